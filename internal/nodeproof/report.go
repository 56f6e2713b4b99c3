package nodeproof

import (
	"fmt"
	"io"
	"strings"
)

// Check is one thing the proof shows, with the numbers that show it.
type Check struct {
	Name   string
	Pass   bool
	Detail string
}

// Figure is a measurement reported beside the checks.
type Figure struct {
	Name  string
	Value string
}

// Report is what a run of the proof found.
type Report struct {
	Checks  []Check
	Figures []Figure
}

// Passed reports whether every check passed.
func (r *Report) Passed() bool {
	for _, c := range r.Checks {
		if !c.Pass {
			return false
		}
	}
	return len(r.Checks) > 0
}

func (r *Report) check(pass bool, name, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Pass: pass, Detail: fmt.Sprintf(format, args...)})
}

func (r *Report) figure(name, format string, args ...any) {
	r.Figures = append(r.Figures, Figure{Name: name, Value: fmt.Sprintf(format, args...)})
}

// Write prints the checks, one a line with PASS or FAIL first, then the
// figures.
func (r *Report) Write(w io.Writer) {
	for _, c := range r.Checks {
		result := "PASS"
		if !c.Pass {
			result = "FAIL"
		}
		fmt.Fprintf(w, "%s  %s: %s\n", result, c.Name, c.Detail)
	}
	if len(r.Figures) == 0 {
		return
	}
	width := 0
	for _, f := range r.Figures {
		width = max(width, len(f.Name))
	}
	fmt.Fprintln(w)
	for _, f := range r.Figures {
		fmt.Fprintf(w, "%s%s  %s\n", f.Name, strings.Repeat(" ", width-len(f.Name)), f.Value)
	}
}
