// Package validate runs the rules of CHECKS.md over a compiled program and
// reports findings: a stable rule name, a severity, what will go wrong for a
// contact, a hint, and source ranges. Rules read the program; they never
// change it.
package validate

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Severity of a finding.
type Severity int

const (
	// Error findings fail journey validate.
	Error Severity = iota
	// Warning findings fail it only with --strict.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Finding is one problem found in a workspace.
type Finding struct {
	Rule     string
	Severity Severity
	// Message says what goes wrong for a contact; Hint how to fix it.
	Message string
	Hint    string
	Range   hcl.Range
	Related []Related
}

// Related is another place a finding concerns.
type Related struct {
	Message string
	Range   hcl.Range
}

// sortFindings orders findings as Less does, so that output is the same on
// every run.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return Less(fs[i], fs[j]) })
}

// Less orders findings by file, line, column and rule (the order of
// CHECKS.md), then by what is left, so that the order never depends on the
// order the findings came in.
func Less(a, b Finding) bool {
	if a.Range.Filename != b.Range.Filename {
		return a.Range.Filename < b.Range.Filename
	}
	if a.Range.Start.Line != b.Range.Start.Line {
		return a.Range.Start.Line < b.Range.Start.Line
	}
	if a.Range.Start.Column != b.Range.Start.Column {
		return a.Range.Start.Column < b.Range.Start.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	if a.Message != b.Message {
		return a.Message < b.Message
	}
	if a.Range.End.Line != b.Range.End.Line {
		return a.Range.End.Line < b.Range.End.Line
	}
	if a.Range.End.Column != b.Range.End.Column {
		return a.Range.End.Column < b.Range.End.Column
	}
	if a.Severity != b.Severity {
		return a.Severity < b.Severity
	}
	return a.Hint < b.Hint
}

// Counts returns the number of errors and warnings.
func Counts(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}
