package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/words"
)

func (c *CLI) compileCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "compile [DIR] -o plan.json",
		Short: "Compile a workspace into its execution plan",
		Long: `Validate DIR (default .) and write its execution plan: the deterministic
JSON the runtime runs and reviewers read (docs/plan.md). Refused, with exit
status 1, while any error finding stands in the campaign files (scenario
files are not read: journey validate and journey test check them). Without
-o (or with -o -) the plan goes to stdout.

A file is written whole: a temporary file beside it, synced and renamed
over it. A symlink's target, a device or a named pipe is written through,
never replaced: -o /dev/null discards the plan.`,
		Example: `  journey compile examples/onboarding -o plan.json
  journey compile . | jq '.campaigns[].name'
  journey compile . -o - | sha256sum
  journey compile . -o /dev/null && echo compiles     # check only`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return c.compile(dir, out)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "-", "where to write the plan (- for stdout)")
	return cmd
}

func (c *CLI) compile(dir, out string) error {
	p, err := c.compiledPlan(dir, "compile")
	if err != nil {
		return err
	}
	data, err := plan.Encode(p)
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	if err := c.writeOutput(out, data); err != nil || out == "-" {
		return err
	}
	fmt.Fprintf(c.Stderr, "Wrote %s (%s, %s, %s; %s).\n", out,
		words.Count(len(p.Campaigns), "campaign"), words.Count(len(p.Sequences), "sequence"), words.Count(len(p.Rules), "rule"), p.Hash)
	return nil
}
