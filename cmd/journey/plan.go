package main

import (
	"context"
	"encoding/json"
	"errors"
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
	server, token    string
	out              string
	format           string
	detailedExitcode bool
	apply            plan.ApplyOptions
}

// commentSeparator separates pull-request comments in --format markdown
// when the change list needs more than one.
const commentSeparator = "\n<!-- journey plan: next comment -->\n"

func (c *CLI) planCommand() *cobra.Command {
	var o planOptions
	cmd := &cobra.Command{
		Use:   "plan [DIR] (--server URL | --against OLD_PLAN.json)",
		Short: "Show what a change does, element by element",
		Long: `Compile DIR (default .) and compare it with the plan deployed before:
a running journey server (--server URL, token from --token or
JOURNEY_TOKEN) or a plan file (--against, a compiled plan or a saved plan
file). Elements renamed with a moved block show as moved; template text
changes show as a line diff.

Against a server, the change shows what it does to the contacts in
flight, as the server's own apply would do it (run and rolled back): how
many contacts stand on every changed or removed element, and for a step
added to a sequence how many will get it and when the first will. A plan
that would leave contacts on a removed element fails (exit 1) naming them;
a moved block, or --drain, says where they go. --out saves a plan file
that journey apply applies exactly, or refuses if anything was applied
since (docs/apply.md).

Exit status   without --detailed-exitcode   with --detailed-exitcode
  0           success (changes or not)      no change
  1           any error                     any error
  2           never                         changes
Any error is 1, as in Terraform: a workspace with errors, a usage error (an
unknown flag or format, no --against, an --against file that cannot be read
or is not a plan), an internal error. So with --detailed-exitcode a 2 always
means that the plan printed has changes.`,
		Annotations: map[string]string{errorsExitOne: "yes"},
		Example: `  journey plan . --server http://127.0.0.1:8080      # the change against what the server runs
  journey plan . --server http://127.0.0.1:8080 --out change.plan   # then: journey apply change.plan
  journey plan . --server http://127.0.0.1:8080 --token "$(cat journey.token)"
  journey plan . --server http://127.0.0.1:8080 --drain             # removed elements' contacts go to their next
  journey plan . --server http://127.0.0.1:8080 --recompute-waits   # changed waits' due times are recomputed
  journey compile . -o deployed.json                 # what runs today
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
			return c.plan(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.against, "against", "", "a compiled plan or saved plan file to compare with")
	f.StringVar(&o.server, "server", "", "a running journey server to compare with (token from --token or JOURNEY_TOKEN)")
	f.StringVar(&o.token, "token", "", "the server's token (default $"+envToken+")")
	f.BoolVar(&o.apply.Drain, "drain", false, "with --server: the contacts on a removed element go to its next (saved in --out's plan file)")
	f.BoolVar(&o.apply.RecomputeWaits, "recompute-waits", false, "with --server: the due times on a changed wait are recomputed from when each contact arrived (saved in --out's plan file)")
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
	case o.against == "":
		return nil, usage("nothing to compare with: give --server URL (a running journey server) or --against PLAN.json (journey compile -o PLAN.json writes one)")
	case o.apply != (plan.ApplyOptions{}):
		return nil, usage("--drain and --recompute-waits say what an apply does to the contacts on a server: give --server URL instead of --against")
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

func (c *CLI) plan(ctx context.Context, o planOptions) error {
	if !slices.Contains([]string{"text", "json", "markdown"}, o.format) {
		return usage("unknown format %q: use text, json or markdown", o.format)
	}
	if o.out == "-" {
		return usage("--out - would mix the plan file into the change printed on stdout: give --out a file name")
	}
	if o.server != "" {
		if o.against != "" {
			return usage("give --against or --server, not both")
		}
		return c.planServer(ctx, o)
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
	if err := c.printChanges(changes, o.format); err != nil {
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

// planServer is journey plan --server: the change against what the server
// runs, with what it does to the contacts in flight.
func (c *CLI) planServer(ctx context.Context, o planOptions) error {
	r, err := c.remote(remoteFlags{server: o.server, token: o.token})
	if err != nil {
		return err
	}
	next, err := c.compiledPlan(o.dir, "plan")
	if err != nil {
		return err
	}
	sp, err := c.planAgainstServer(ctx, r, next, o.apply)
	if err != nil {
		return err
	}
	if err := c.printChanges(sp.changes, o.format); err != nil {
		return err
	}
	if sp.refusal != nil {
		return errors.New(sp.refusal.Message)
	}
	if o.out != "" {
		if err := c.writeOutput(o.out, sp.file); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "Saved the plan to %s: the new plan, made against deployment serial %d of %s; journey apply %s applies exactly it.\n",
			o.out, *sp.base.serial, r.server, o.out)
	}
	if o.detailedExitcode && !sp.changes.Empty() {
		return changesFound()
	}
	return nil
}

// printChanges prints the change list in a format of journey plan.
func (c *CLI) printChanges(changes *diff.Changes, format string) error {
	var err error
	switch format {
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
	return err
}
