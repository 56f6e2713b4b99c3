package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler/diff"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/jsonread"
)

type planOptions struct {
	dir              string
	against          string
	server           string
	out              string
	format           string
	detailedExitcode bool
}

// commentSeparator separates pull-request comments in --format markdown
// when the change list needs more than one.
const commentSeparator = "\n<!-- journey plan: next comment -->\n"

func (c *CLI) planCommand() *cobra.Command {
	var o planOptions
	cmd := &cobra.Command{
		Use:   "plan [DIR] --against OLD_PLAN.json",
		Short: "Show what a change does, element by element",
		Long: `Compile DIR (default .) and compare it with the plan deployed before:
a plan file (--against, a compiled plan or a saved plan file) or, once a
journey server runs, the instance itself (--server URL, token in
JOURNEY_TOKEN). Elements renamed with a moved block show as moved; template
text changes show as a line diff.

Exit status   without --detailed-exitcode   with --detailed-exitcode
  0           success (changes or not)      no change
  1           any error                     any error
  2           never                         changes
Any error is 1, as in Terraform: a workspace with errors, a usage error (an
unknown flag or format, no --against, an --against file that cannot be read
or is not a plan), an internal error. So with --detailed-exitcode a 2 always
means that the plan printed has changes.`,
		Annotations: map[string]string{errorsExitOne: "yes"},
		Example: `  journey compile . -o deployed.json                 # what runs today
  journey plan . --against deployed.json             # what this branch changes
  journey plan . --against deployed.json --out change.plan
  journey plan . --against deployed.json --detailed-exitcode; echo $?  # 0 none, 1 error, 2 changes
  journey plan . --against deployed.json --format json      # for bots
  journey plan . --against deployed.json --format markdown  # a PR comment`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			return c.plan(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.against, "against", "", "a compiled plan or saved plan file to compare with")
	f.StringVar(&o.server, "server", "", "a running journey server to compare with (token from JOURNEY_TOKEN)")
	f.StringVar(&o.out, "out", "", "save the plan file (the new plan and what it was made against) for journey apply")
	f.StringVarP(&o.format, "format", "f", "text", "output format: text, json or markdown")
	f.BoolVar(&o.detailedExitcode, "detailed-exitcode", false, "exit 0 when nothing changes, 2 when something does (errors are always 1)")
	return cmd
}

// baseline is what a plan is compared with: the deployed plan and, from a
// server, its serial and the contacts on each element.
type baseline struct {
	plan   *plan.Plan
	serial *int64
	counts diff.Counts
	source string
}

// baselineFile checks what the plan is compared with and reads it; the
// decoding is left to decodeBaseline.
func baselineFile(o planOptions) ([]byte, error) {
	switch {
	case o.against != "" && o.server != "":
		return nil, usage("give --against or --server, not both")
	case o.server != "":
		return nil, usage("--server needs a running journey server, which this build does not have yet; compare with --against PLAN.json")
	case o.against == "":
		return nil, usage("nothing to compare with: give --against PLAN.json (journey compile -o PLAN.json writes one)")
	}
	data, err := os.ReadFile(o.against)
	if err != nil {
		return nil, usage("cannot read %s: %v", o.against, err)
	}
	return data, nil
}

func decodeBaseline(source string, data []byte) (*baseline, error) {
	p, _, err := plan.DecodeAny(data)
	if err != nil {
		return nil, usage("%v", jsonread.WithFile(source, err))
	}
	return &baseline{plan: p, source: source}, nil
}

func (c *CLI) plan(o planOptions) error {
	if !slices.Contains([]string{"text", "json", "markdown"}, o.format) {
		return usage("unknown format %q: use text, json or markdown", o.format)
	}
	if o.out == "-" {
		return usage("--out - would mix the plan file into the change printed on stdout: give --out a file name")
	}
	data, err := baselineFile(o)
	if err != nil {
		return err
	}
	// The deployed plan is decoded (and its hash checked) while the
	// workspace is validated: neither needs the other, and done one after
	// the other they make a plan take a third longer.
	type decoded struct {
		base *baseline
		err  error
	}
	baseDone := make(chan decoded, 1)
	go func() {
		base, err := decodeBaseline(o.against, data)
		baseDone <- decoded{base, err}
	}()
	next, err := c.compiledPlan(o.dir, "plan")
	d := <-baseDone
	if d.err != nil {
		return d.err
	}
	if err != nil {
		return err
	}
	base := d.base
	changes := diff.Compare(base.plan, next, base.counts)
	switch o.format {
	case "text":
		_, err = fmt.Fprint(c.Stdout, diff.Text(changes, c.colorFor(c.Stdout)))
	case "json":
		out, merr := json.MarshalIndent(struct {
			FormatVersion string `json:"format_version"`
			*diff.Changes
		}{plan.FormatVersion, changes}, "", "  ")
		if merr != nil {
			return &exitError{code: exitInternal, err: merr}
		}
		_, err = fmt.Fprintf(c.Stdout, "%s\n", out)
	case "markdown":
		_, err = fmt.Fprint(c.Stdout, strings.Join(diff.Markdown(changes), commentSeparator))
	}
	if err != nil {
		return err
	}
	if o.out != "" {
		file := &plan.File{FormatVersion: plan.FormatVersion, ToolVersion: version(), Plan: next,
			Against: plan.Against{Hash: base.plan.Hash, Serial: base.serial, Source: base.source}}
		data, err := plan.EncodeFile(file)
		if err != nil {
			return &exitError{code: exitInternal, err: err}
		}
		if err := c.writeOutput(o.out, data); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "Saved the plan to %s: the new plan, and the hash it was made against.\n", o.out)
	}
	if o.detailedExitcode && !changes.Empty() {
		return changesFound()
	}
	return nil
}
