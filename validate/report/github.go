package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/validate"
)

// writeGitHub prints one GitHub Actions workflow command per finding, so
// that each appears as an annotation on its line of the pull request,
// then the summary line as plain text. With opts.StepSummary it also
// writes a Markdown table of every finding there: GitHub shows only ten
// annotations of each severity per step, and the job summary is where the
// rest are seen.
func writeGitHub(w io.Writer, r *Report, opts Options) error {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(annotation(r, f))
		b.WriteString("\n")
	}
	b.WriteString(summary(r))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if opts.StepSummary != nil {
		if _, err := io.WriteString(opts.StepSummary, stepSummary(r)); err != nil {
			return fmt.Errorf("cannot write the step summary: %w", err)
		}
	}
	return nil
}

// annotation is the workflow command for one finding:
//
//	::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE
//
// Columns are left out when the range spans lines (GitHub takes them only
// on one line), the place when the finding has no file.
func annotation(r *Report, f validate.Finding) string {
	cmd := "error"
	if f.Severity == validate.Warning {
		cmd = "warning"
	}
	var props []string
	prop := func(k, v string) { props = append(props, k+"="+escapeProperty(v)) }
	if rg := f.Range; rg.Filename != "" {
		prop("file", r.repoPath(rg.Filename))
		if rg.Start.Line > 0 {
			line := rg.Start.Line
			endLine := max(rg.End.Line, line)
			prop("line", strconv.Itoa(line))
			if endLine == line && rg.Start.Column > 0 {
				prop("col", strconv.Itoa(rg.Start.Column))
			}
			prop("endLine", strconv.Itoa(endLine))
			if endLine == line && rg.Start.Column > 0 {
				prop("endColumn", strconv.Itoa(max(rg.End.Column, rg.Start.Column+1)))
			}
		}
	}
	prop("title", f.Rule)
	return "::" + cmd + " " + strings.Join(props, ",") + "::" + escapeData(annotationText(r, f))
}

// annotationText is the message, the hint and the related places, one a
// line.
func annotationText(r *Report, f validate.Finding) string {
	s := f.Message
	if f.Hint != "" {
		s += "\nHint: " + f.Hint
	}
	for _, rel := range f.Related {
		at := rel.Range
		at.Filename = r.repoPath(at.Filename)
		s += "\nSee " + position(at) + ": " + rel.Message
	}
	return s
}

// escapeData escapes a workflow command's message as @actions/core does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value as
// @actions/core does.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// stepSummary is the Markdown job summary: a heading, the counts and a
// table of every finding.
func stepSummary(r *Report) string {
	var b strings.Builder
	errs, warns := validate.Counts(r.Findings)
	b.WriteString("## journey validate")
	if dir := strings.TrimSuffix(r.Dir, "/"); dir != "" && dir != "." {
		b.WriteString(" " + mdCell(dir))
	}
	b.WriteString("\n\n")
	switch {
	case errs == 0 && warns == 0:
		fmt.Fprintf(&b, "No problems found in %s.\n\n", words.Count(r.FileCount, "file"))
		return b.String()
	case r.valid():
		fmt.Fprintf(&b, "**%s, %s** in %s. Warnings do not fail validation (use --strict to make them).\n\n",
			words.Count(errs, "error"), words.Count(warns, "warning"), words.Count(r.FileCount, "file"))
	default:
		fmt.Fprintf(&b, "**%s, %s** in %s: validation fails.\n\n",
			words.Count(errs, "error"), words.Count(warns, "warning"), words.Count(r.FileCount, "file"))
	}
	b.WriteString("| Location | Severity | Rule | Message | Hint |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, f := range r.Findings {
		loc := "(workspace)"
		if f.Range.Filename != "" {
			loc = r.repoPath(f.Range.Filename)
			if f.Range.Start.Line > 0 {
				loc += ":" + strconv.Itoa(f.Range.Start.Line)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s |\n",
			mdCell(loc), f.Severity, f.Rule, mdCell(f.Message), mdCell(f.Hint))
	}
	b.WriteString("\n")
	return b.String()
}

// mdCell escapes text for a cell of a GitHub Markdown table: a | would end
// the cell and a newline the row; the characters Markdown gives a meaning
// inside a line are shown as themselves.
func mdCell(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, c := range s {
		switch c {
		case '\n', '\r':
			b.WriteString("<br>")
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '|', '`', '*', '_', '[', ']', '~', '!':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
