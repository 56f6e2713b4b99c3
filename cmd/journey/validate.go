package main

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/validate"
	"github.com/journeyhq/journey/validate/report"
)

type validateOptions struct {
	dir       string
	format    string
	strict    bool
	recursive bool
	only      []string
	skip      []string
}

func (c *CLI) validateCommand() *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Type-check campaigns and find what would strand contacts",
		Long: `Parse every *.journey.hcl and *.journey.json file in DIR (default .),
resolve references, type-check expressions and run every rule. The
scenario files (*.journeytest.hcl) are checked too, as journey test reads
them.

DIR - validates standard input as a workspace of one file, named
<stdin>.journey.hcl in findings (<stdin>.journey.json when the text starts
with "{": the JSON syntax).

Exit status: 0 clean, 1 findings that fail (errors; warnings too with
--strict), 2 usage, 3 internal error.

Rules:
` + ruleList(),
		Example: `  journey validate examples/onboarding
  journey validate --strict .                         # warnings fail too
  journey validate --format json . > findings.json    # for tools
  journey validate --format sarif . > journey.sarif   # GitHub code scanning
  journey validate --format github .                  # annotations in Actions
  journey validate --rule unconfigured-timer .        # only these rules
  journey validate --skip unused,back-to-back-sends . # all but these
  journey validate --recursive campaigns/             # each directory below
  cat main.journey.hcl | journey validate -           # standard input`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			o.only, o.skip = splitNames(o.only), splitNames(o.skip)
			return c.validate(o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	f.BoolVar(&o.strict, "strict", false, "warnings fail validation too")
	f.BoolVarP(&o.recursive, "recursive", "r", false, "treat each directory below DIR holding campaign files as a workspace")
	f.StringSliceVar(&o.only, "rule", nil, "report only these rules (repeat or comma-separate)")
	f.StringSliceVar(&o.skip, "skip", nil, "do not report these rules (repeat or comma-separate)")
	return cmd
}

func (c *CLI) validate(o validateOptions) error {
	if !slices.Contains(report.Formats(), o.format) {
		return usage("unknown format %q: use one of %s", o.format, strings.Join(report.Formats(), ", "))
	}
	if err := validate.CheckRuleNames(append(append([]string(nil), o.only...), o.skip...)); err != nil {
		return usage("%v", err)
	}
	fsys, dirs, err := c.validateTargets(o)
	if err != nil {
		return err
	}
	rep := &report.Report{Sources: map[string][]byte{}, Strict: o.strict, ToolVersion: version(), Dir: o.dir}
	if o.dir == "-" {
		rep.Dir = ""
	}
	opts := validate.Options{Now: c.Now(), Only: o.only, Skip: o.skip}
	for _, dir := range dirs {
		res, err := validate.Dir(fsys, dir, opts)
		if err != nil {
			return usage("%v", err)
		}
		rep.Findings = append(rep.Findings, res.Findings...)
		rep.FileCount += len(res.FileNames())
		maps.Copy(rep.Sources, res.Sources())
	}
	ropts := report.Options{Color: c.colorFor(c.Stdout)}
	if o.format == "github" {
		if path := c.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return fmt.Errorf("cannot write the step summary %s: %w", path, err)
			}
			defer f.Close()
			ropts.StepSummary = f
		}
	}
	if err := report.Write(c.Stdout, o.format, rep, ropts); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	errs, warns := validate.Counts(rep.Findings)
	if errs > 0 || (o.strict && warns > 0) {
		return failed()
	}
	return nil
}

// validateTargets returns the file system to validate and its workspaces:
// the directory o.dir, or for "-" a workspace of the one file read from
// standard input.
func (c *CLI) validateTargets(o validateOptions) (fs.FS, []string, error) {
	if o.dir != "-" {
		dirs, err := workspaceDirs(o.dir, o.recursive)
		return os.DirFS(o.dir), dirs, err
	}
	if o.recursive {
		return nil, nil, usage("--recursive reads directories; - is one file read from standard input")
	}
	src, err := c.readStdin()
	if err != nil {
		return nil, nil, err
	}
	return fstest.MapFS{stdinFileName(src): {Data: src, Mode: 0o644}}, []string{"."}, nil
}

// ruleList is the rules for --help: name, severity, summary.
func ruleList() string {
	var b strings.Builder
	for _, r := range validate.Rules() {
		fmt.Fprintf(&b, "  %-38s %-7s %s\n", r.Name, r.Severity, r.Summary)
	}
	return b.String()
}
