package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/validate"
)

// maxShownLine is the longest source line the text format prints whole; a
// longer one is cut to a window around the finding.
const maxShownLine = 160

type palette struct {
	err, warn, rule, loc, gutter, caret, hint func(a ...any) string
}

func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) func(a ...any) string {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.SprintFunc()
	}
	return palette{
		err: mk(color.FgRed, color.Bold), warn: mk(color.FgYellow, color.Bold),
		rule: mk(color.Faint), loc: mk(color.Bold), gutter: mk(color.FgBlue),
		caret: mk(color.FgRed, color.Bold), hint: mk(color.FgCyan),
	}
}

// writeText prints each finding as file:line:col, severity and rule, the
// message, the source line with the range underlined, the hint and the
// related places; then a summary line.
func writeText(w io.Writer, r *Report, opts Options) error {
	p := newPalette(opts.Color)
	lines := newLineIndex(r.Sources)
	var b strings.Builder
	for _, f := range r.Findings {
		sev := p.err("error")
		if f.Severity == validate.Warning {
			sev = p.warn("warning")
		}
		fmt.Fprintf(&b, "%s: %s %s %s\n", p.loc(position(f.Range)), sev, p.rule("["+f.Rule+"]"), f.Message)
		snippet(&b, lines, f.Range, p)
		if f.Hint != "" {
			fmt.Fprintf(&b, "     %s %s\n", p.hint("hint:"), f.Hint)
		}
		for _, rel := range f.Related {
			fmt.Fprintf(&b, "     %s %s: %s\n", p.gutter("see:"), position(rel.Range), rel.Message)
		}
		b.WriteString("\n")
	}
	b.WriteString(summary(r))
	_, err := io.WriteString(w, b.String())
	return err
}

func position(r hcl.Range) string {
	if r.Filename == "" {
		return "(workspace)"
	}
	if r.Start.Line == 0 {
		return r.Filename
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// snippet prints the range's first line with a caret underline. A line
// longer than maxShownLine is cut to a window around the range, with "…"
// where it was cut.
func snippet(b *strings.Builder, lines *lineIndex, r hcl.Range, p palette) {
	text, lineStart, ok := lines.lineAt(r.Filename, r.Start.Line)
	if !ok {
		return
	}
	runes := []rune(text)
	for i, r := range runes {
		// A terminal acts on control characters (escape sequences can
		// retitle or clear it): show them as the replacement character,
		// one for one, so the underline still lines up.
		if (r < 0x20 && r != '\t') || (r >= 0x7f && r < 0xa0) {
			runes[i] = '\uFFFD'
		}
	}
	// first and last are the rune indexes (0-based, last exclusive) of the
	// range on this line.
	first, last := underlined(text, lineStart, r)
	first = min(first, len(runes))
	last = min(max(last, first+1), max(len(runes), first+1))
	lead, trail := "", ""
	if len(runes) > maxShownLine {
		offset := max(0, min(first-maxShownLine/4, len(runes)-maxShownLine))
		end := min(len(runes), offset+maxShownLine)
		if offset > 0 {
			lead = "…"
		}
		if end < len(runes) {
			trail = "…"
		}
		runes = runes[offset:end]
		first, last = first-offset, min(last-offset, max(len(runes), first-offset+1))
	}
	num := fmt.Sprintf("%4d", r.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "%s %s %s%s%s\n", p.gutter(num), p.gutter("|"), lead, string(runes), trail)
	var under strings.Builder
	if lead != "" {
		under.WriteRune(' ')
	}
	for i := 0; i < first && i < len(runes); i++ {
		if runes[i] == '\t' {
			under.WriteRune('\t')
		} else {
			under.WriteRune(' ')
		}
	}
	fmt.Fprintf(b, "%s %s %s%s\n", pad, p.gutter("|"), under.String(), p.caret(strings.Repeat("^", max(1, last-first))))
}

// underlined returns the rune indexes on the line of the range's start and
// end. The byte offsets of the range say exactly where it is (HCL columns
// count grapheme clusters, not runes); ranges without them fall back to the
// columns.
func underlined(text string, lineStart int, r hcl.Range) (first, last int) {
	lineEnd := lineStart + len(text)
	if sb := r.Start.Byte; sb >= lineStart && sb <= lineEnd && utf8.RuneCountInString(text[:sb-lineStart]) >= r.Start.Column-1 && utf8.ValidString(text) {
		first = utf8.RuneCountInString(text[:sb-lineStart])
		switch eb := r.End.Byte; {
		case r.End.Line == r.Start.Line && eb > sb && eb <= lineEnd:
			return first, utf8.RuneCountInString(text[:eb-lineStart])
		case r.End.Line > r.Start.Line:
			return first, utf8.RuneCountInString(text)
		default:
			return first, first + 1
		}
	}
	first = max(r.Start.Column, 1) - 1
	switch {
	case r.End.Line == r.Start.Line && r.End.Column-1 > first:
		return first, r.End.Column - 1
	case r.End.Line > r.Start.Line:
		return first, utf8.RuneCountInString(text)
	default:
		return first, first + 1
	}
}

func summary(r *Report) string {
	errs, warns := validate.Counts(r.Findings)
	files := words.Count(r.FileCount, "file")
	if errs == 0 && warns == 0 {
		return fmt.Sprintf("No problems found in %s.\n", files)
	}
	s := fmt.Sprintf("%s, %s in %s.", words.Count(errs, "error"), words.Count(warns, "warning"), files)
	if errs == 0 && !r.Strict {
		s += " Warnings do not fail validation (use --strict to make them)."
	}
	return s + "\n"
}
