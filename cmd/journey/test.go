package main

import (
	"context"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/diff"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
	"github.com/journeyhq/journey/validate/report"
)

type testOptions struct {
	dir       string
	run       string
	verbose   bool
	recursive bool
}

func (c *CLI) testCommand() *cobra.Command {
	var o testOptions
	cmd := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Run the *.journeytest.hcl scenarios beside the campaigns",
		Long: `Run every scenario of the *.journeytest.hcl files in DIR (default .) with
the real engine on a virtual clock: a contact enters a campaign, events
happen at their times, and each expect block must hold (sent at or within,
never sent, at an element at a time, has or lacks a tag, field values,
final status). Output and exit status follow go test: 0 when every
scenario passes, 1 when one fails (saying why, in the words of the
engine's timeline, with a diff of the sends) or does not compile, 2 for
usage errors and when there is nothing to run (no scenario in DIR, or
below it with --recursive; none that --run selects). docs/testing.md
describes the file format.`,
		Example: `  journey test examples/onboarding
  journey test -v .                      # every scenario, passing or not
  journey test --run 'converts' .        # scenarios whose name matches
  journey test --recursive campaigns/    # each workspace below`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			return c.test(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.run, "run", "", "run only the scenarios whose name matches this regular expression")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "print every scenario, not only the failures")
	f.BoolVarP(&o.recursive, "recursive", "r", false, "run the scenarios of each workspace below DIR")
	return cmd
}

func (c *CLI) test(ctx context.Context, o testOptions) error {
	var filter *regexp.Regexp
	if o.run != "" {
		var err error
		if filter, err = regexp.Compile(o.run); err != nil {
			return usage("--run %q is not a regular expression: %v", o.run, err)
		}
	}
	dirs, err := workspaceDirs(o.dir, o.recursive)
	if err != nil {
		return err
	}
	var total tally
	for _, dir := range dirs {
		t, err := c.testWorkspace(ctx, o, path.Join(o.dir, dir), filter)
		if err != nil {
			return err
		}
		total.found, total.ran, total.failed = total.found+t.found, total.ran+t.ran, total.failed || t.failed
	}
	scope := o.dir
	if o.recursive {
		scope += " or below it"
	}
	switch {
	case total.failed:
		return &exitError{code: exitFailed}
	case total.found == 0:
		return usage("no scenarios in %s: write them in *%s files beside the campaigns (docs/testing.md)", scope, lang.SuffixTest)
	case total.ran == 0:
		have := o.dir + " has"
		if o.recursive {
			have = o.dir + " and below it have"
		}
		return usage("no scenario matches --run %q: %s %s", o.run, have, words.Count(total.found, "scenario"))
	}
	return nil
}

// tally counts scenarios: those the files hold, those --run selected and
// ran, and whether any failed (or did not compile).
type tally struct {
	found, ran int
	failed     bool
}

// testWorkspace runs one workspace's scenarios and prints go-test style
// results. A workspace without scenario files is not validated: it has
// nothing to run.
func (c *CLI) testWorkspace(ctx context.Context, o testOptions, dir string, filter *regexp.Regexp) (tally, error) {
	began := time.Now()
	fsys := os.DirFS(dir)
	names, err := lang.TestFiles(fsys, ".")
	if err != nil {
		return tally{}, usage("cannot list %s: %v", dir, err)
	}
	if len(names) == 0 {
		return tally{}, nil
	}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: c.Now()})
	if err != nil {
		return tally{}, usage("%v", err)
	}
	errs, warns := validate.Counts(res.Findings)
	if errs > 0 {
		rep := &report.Report{Findings: res.Findings, Sources: res.Sources(), FileCount: len(res.FileNames())}
		if err := report.Write(c.Stderr, "text", rep, report.Options{Color: c.colorFor(c.Stderr)}); err != nil {
			return tally{}, err
		}
		why := "the scenarios do not compile"
		if campaignErrors(res) {
			why = "the workspace does not validate"
		}
		fmt.Fprintf(c.Stdout, "FAIL\t%s\t[%s]\n", dir, why)
		return tally{found: len(res.Tests.Of("scenario")), failed: true}, nil
	}
	if warns > 0 {
		c.noteWarnings("test", dir, warns)
	}
	scenarios := res.Scenarios
	p, err := compiler.Plan(res.Program)
	if err != nil {
		return tally{}, &exitError{code: exitInternal, err: err}
	}
	linked, err := runtime.Link(p)
	if err != nil {
		return tally{}, &exitError{code: exitInternal, err: err}
	}
	t := tally{found: len(scenarios)}
	for i := range scenarios {
		sc := &scenarios[i]
		if filter != nil && !filter.MatchString(sc.Name) {
			continue
		}
		t.ran++
		if o.verbose {
			fmt.Fprintf(c.Stdout, "=== RUN   %s\n", sc.Name)
		}
		start := time.Now()
		store, err := sqlstore.OpenSQLite(ctx, ":memory:")
		if err != nil {
			return t, err
		}
		res, err := runtime.RunScenario(ctx, linked, store, sc)
		store.Close()
		elapsed := time.Since(start).Seconds()
		switch {
		case err != nil:
			t.failed = true
			fmt.Fprintf(c.Stdout, "--- FAIL: %s (%.2fs)\n    %s: %v\n", sc.Name, elapsed, where(dir, sc.Source.File, sc.Source.Line), err)
		case len(res.Failures) > 0:
			t.failed = true
			fmt.Fprintf(c.Stdout, "--- FAIL: %s (%.2fs)\n", sc.Name, elapsed)
			for _, f := range res.Failures {
				fmt.Fprintf(c.Stdout, "    %s: %s\n", where(dir, f.Source.File, f.Source.Line), f.Message)
			}
			fmt.Fprint(c.Stdout, sendsDiff(res))
		case o.verbose:
			fmt.Fprintf(c.Stdout, "--- PASS: %s (%.2fs)\n", sc.Name, elapsed)
		}
	}
	status := "ok  "
	if t.failed {
		status = "FAIL"
	}
	fmt.Fprintf(c.Stdout, "%s\t%s\t%.2fs (%s)\n", status, dir, time.Since(began).Seconds(), words.Count(t.ran, "scenario"))
	return t, nil
}

// campaignErrors reports whether an error finding is outside the scenario
// files: then the campaigns themselves do not validate.
func campaignErrors(res *validate.Result) bool {
	for _, f := range res.Findings {
		if f.Severity == validate.Error && !lang.IsTestFile(path.Base(f.Range.Filename)) {
			return true
		}
	}
	return false
}

func where(dir, file string, line int) string {
	if dir != "." {
		file = path.Join(dir, file)
	}
	return fmt.Sprintf("%s:%d", file, line)
}

// sendsDiff shows the expected sends against the actual ones when a send
// expectation failed.
func sendsDiff(res *runtime.ScenarioResult) string {
	if !res.FailedOnSends() {
		return ""
	}
	var b strings.Builder
	if len(res.Got) == 0 {
		b.WriteString("    sends (- expected; nothing was sent):\n")
	} else {
		b.WriteString("    sends (- expected, + actual):\n")
	}
	for _, l := range diff.LineDiff(textOf(res.Want), textOf(res.Got)) {
		fmt.Fprintf(&b, "      %s %s\n", l.Op, l.Text)
	}
	return b.String()
}

// textOf is lines as text: nothing at all for no line, not one empty line.
func textOf(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
