package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

type applyOptions struct {
	target      string
	remote      remoteFlags
	autoApprove bool
	apply       plan.ApplyOptions
}

func (c *CLI) applyCommand() *cobra.Command {
	var o applyOptions
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE | DIR]",
		Short: "Apply a plan to a running journey server, moving the contacts in flight",
		Long: `Apply a new plan version to a running journey server, in one transaction:
the plan, the deployment serial + 1, and the migration of every contact in
flight by the policy of docs/apply.md.

With a plan file (journey plan --server URL --out FILE), apply exactly it:
the server refuses it as stale, changing nothing, if anything was applied
since it was made. With a directory (default .), or a compiled plan (an
earlier deployment's, to roll back), plan against what the server runs,
show the change, and ask before applying, unless --auto-approve.

An apply that would leave contacts on a removed element is refused, naming
the element and how many stand on it: add a moved block saying where they
go, or apply with --drain (their next). --recompute-waits recomputes the
due times of the contacts on a changed wait instead of keeping them.

The server's address comes from --server, else $JOURNEY_SERVER, else
http://127.0.0.1:8080; its token from --token, else $JOURNEY_TOKEN.

Exit status: 0 applied (or nothing to apply), 1 anything else: a stale
plan, a refused apply, an answer other than yes, an error.`,
		Annotations: map[string]string{errorsExitOne: "yes"},
		Example: `  journey plan . --server http://127.0.0.1:8080 --out change.plan
  journey apply change.plan --server http://127.0.0.1:8080   # exactly what the plan showed, or refused as stale
  journey apply .                                             # plan, show, ask, apply
  journey apply . --auto-approve                              # no question (CI)
  journey apply . --drain                                     # contacts on removed elements go to their next
  journey apply . --recompute-waits                           # changed waits' due times are recomputed
  journey apply deployed-3.json                               # roll back: an earlier plan, through the same checks
  journey apply change.plan --token "$(cat journey.token)"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.target = "."
			if len(args) == 1 {
				o.target = args[0]
			}
			return c.apply(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	o.remote.add(f)
	f.BoolVar(&o.autoApprove, "auto-approve", false, "apply without asking")
	f.BoolVar(&o.apply.Drain, "drain", false, "the contacts on a removed element go to its next")
	f.BoolVar(&o.apply.RecomputeWaits, "recompute-waits", false, "the due times on a changed wait are recomputed from when each contact arrived")
	return cmd
}

func (c *CLI) apply(ctx context.Context, o applyOptions) error {
	r, err := c.remote(o.remote)
	if err != nil {
		return err
	}
	info, err := os.Stat(o.target)
	if err != nil {
		return usage("cannot read %s: %v; give a plan file (journey plan --out) or a workspace directory", o.target, err)
	}
	var next *plan.Plan
	if !info.IsDir() {
		data, err := os.ReadFile(o.target)
		if err != nil {
			return usage("cannot read %s: %v", o.target, err)
		}
		p, file, err := plan.DecodeAny(data)
		if err != nil {
			return usage("%v", jsonread.WithFile(o.target, err))
		}
		if file != nil {
			return c.applyFile(ctx, r, o, file, data)
		}
		next = p
	} else if next, err = c.compiledPlan(o.target, "apply"); err != nil {
		return err
	}
	sp, err := c.planAgainstServer(ctx, r, next, o.apply)
	if err != nil {
		return err
	}
	if err := c.printChanges(sp.changes, "text"); err != nil {
		return err
	}
	if sp.refusal != nil {
		return errors.New(sp.refusal.Message)
	}
	if sp.changes.Empty() {
		fmt.Fprintln(c.Stdout, "Nothing to apply.")
		return nil
	}
	if !o.autoApprove {
		fmt.Fprintf(c.Stdout, "\nApply these changes to %s (deployment serial %d)? Only 'yes' applies.\n  Enter a value: ", r.server, *sp.base.serial)
		if answer := readAnswer(c.Stdin); answer != "yes" {
			return fmt.Errorf("apply cancelled: the answer was %q, not yes; nothing changed (--auto-approve applies without asking)", answer)
		}
		fmt.Fprintln(c.Stdout)
	}
	return c.post(ctx, r, sp.file, next)
}

// applyFile applies a saved plan file exactly: its options are the ones it
// was previewed with, so flags that would change them are refused.
func (c *CLI) applyFile(ctx context.Context, r *remote, o applyOptions, file *plan.File, data []byte) error {
	if o.apply.Drain && !file.Options.Drain || o.apply.RecomputeWaits && !file.Options.RecomputeWaits {
		return usage("%s was planned without the options given here, and a plan file is applied exactly as it was planned: "+
			"make it again with journey plan --server URL --out %s and those flags", o.target, o.target)
	}
	if file.Against.Serial == nil {
		return usage("%s was made against %s, not a server: apply cannot tell whether anything was applied since; "+
			"make it with journey plan --server URL --out FILE, or apply the workspace directory", o.target, file.Against.Source)
	}
	return c.post(ctx, r, data, file.Plan)
}

// post sends a plan file (of plan next) to the server's apply and reports
// what it did.
func (c *CLI) post(ctx context.Context, r *remote, file []byte, next *plan.Plan) error {
	ctx, cancel := context.WithTimeout(ctx, applyTimeout)
	defer cancel()
	got, err := r.client.Apply(ctx, file)
	if err != nil {
		return r.explain(err)
	}
	loc, err := time.LoadLocation(next.Account.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	writeApplied(c.Stdout, r.server, got, loc)
	return nil
}

// writeApplied says what an apply did, for people; times are in loc (the
// account's time zone).
func writeApplied(w io.Writer, server string, a *api.Applied, loc *time.Location) {
	d := a.Deployment
	fmt.Fprintf(w, "Applied deployment serial %d (%s) to %s: %d to add, %d to change, %d to remove.\n",
		d.Serial, d.Hash, server, d.Summary.Add, d.Summary.Change, d.Summary.Remove)
	if a.Report == nil {
		return
	}
	for _, m := range a.Report.Moved {
		fmt.Fprintf(w, "  moved:   %s from %s to %s\n", words.Count(m.Contacts, "contact"), m.From, m.To)
	}
	for _, m := range a.Report.Drained {
		fmt.Fprintf(w, "  drained: %s from %s to %s\n", words.Count(m.Contacts, "contact"), m.From, drainedTo(m))
	}
	for _, wt := range a.Report.Waits {
		kept := "due times kept"
		if wt.Recomputed {
			kept = "due times recomputed"
		}
		fmt.Fprintf(w, "  waits:   %s on %s, %s\n", words.Count(wt.Contacts, "contact"), wt.Element, kept)
	}
	for _, st := range a.Report.NewSteps {
		first := ""
		if st.First != nil {
			first = ", the first at " + st.First.In(loc).Format(time.RFC3339)
		}
		fmt.Fprintf(w, "  new step: %s will get %s%s\n", words.Count(st.Contacts, "contact"), st.Step, first)
	}
}

func drainedTo(c runtime.Carried) string {
	if c.To == "" {
		return "out (they left it)"
	}
	return c.To
}

// readAnswer reads one line of the answer to a question ("" at the end
// of the input).
func readAnswer(in io.Reader) string {
	if in == nil {
		return ""
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	return strings.TrimSpace(line)
}
