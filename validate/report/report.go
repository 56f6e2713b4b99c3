// Package report renders validation findings in every output format of
// journey validate: text for people, json for tools, sarif for code
// scanning and github for workflow annotations. Every format renders from
// the same findings, sorted the same way.
package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/journeyhq/journey/validate"
)

// Formats lists the output formats.
func Formats() []string { return []string{"text", "json", "sarif", "github"} }

// Report is what one journey validate run found, over one or more
// workspaces.
type Report struct {
	Findings []validate.Finding
	// Sources are the files' contents by the names the findings use, for
	// the source lines of the text format.
	Sources map[string][]byte
	// FileCount is the number of campaign files read.
	FileCount int
	// Strict makes warnings fail the run.
	Strict bool
	// ToolVersion names journey in sarif output.
	ToolVersion string
}

// Options are per-format settings.
type Options struct {
	// Color turns on ANSI colour in the text format.
	Color bool
	// StepSummary, when set, gets the github format's Markdown summary of
	// every finding (GitHub shows only ten annotations of each severity per
	// step).
	StepSummary io.Writer
}

// Write renders the report in the named format.
func Write(w io.Writer, format string, r *Report, opts Options) error {
	sorted := append([]validate.Finding(nil), r.Findings...)
	sort.SliceStable(sorted, func(i, j int) bool { return less(sorted[i], sorted[j]) })
	r = &Report{Findings: sorted, Sources: r.Sources, FileCount: r.FileCount, Strict: r.Strict, ToolVersion: r.ToolVersion}
	switch format {
	case "text":
		return writeText(w, r, opts)
	default:
		return fmt.Errorf("unknown format %q: use one of text, json, sarif, github", format)
	}
}

func less(a, b validate.Finding) bool {
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
	return a.Message < b.Message
}

// lineIndex finds source lines without rescanning a file per finding.
type lineIndex struct {
	sources map[string][]byte
	starts  map[string][]int
}

func newLineIndex(sources map[string][]byte) *lineIndex {
	return &lineIndex{sources: sources, starts: map[string][]int{}}
}

// line returns line n (1-based) of the file without its newline.
func (x *lineIndex) line(file string, n int) (string, bool) {
	src, ok := x.sources[file]
	if !ok {
		return "", false
	}
	starts, ok := x.starts[file]
	if !ok {
		starts = []int{0}
		for i, b := range src {
			if b == '\n' {
				starts = append(starts, i+1)
			}
		}
		x.starts[file] = starts
	}
	if n < 1 || n > len(starts) {
		return "", false
	}
	end := len(src)
	if n < len(starts) {
		end = starts[n] - 1
	}
	return string(bytes.TrimRight(src[starts[n-1]:end], "\r")), true
}
