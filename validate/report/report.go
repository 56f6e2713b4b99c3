// Package report renders validation findings in every output format of
// journey validate: text for people, json for tools, sarif for code
// scanning and github for workflow annotations. Every format renders from
// the same findings, sorted the same way.
package report

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/journeyhq/journey/validate"
)

// Formats lists the output formats.
func Formats() []string { return []string{"text", "json", "sarif", "github"} }

// Report is what one journey validate run found, over one or more
// workspaces.
type Report struct {
	Findings []validate.Finding
	// Sources are the files' contents by the names the findings use, for
	// the source lines of the text format and the fingerprints of sarif.
	Sources map[string][]byte
	// FileCount is the number of campaign files read.
	FileCount int
	// Strict makes warnings fail the run.
	Strict bool
	// ToolVersion names journey in sarif output.
	ToolVersion string
	// Dir is the directory given to journey validate, as typed. The
	// findings' file names are relative to it. GitHub resolves the paths of
	// sarif results and of github annotations from the repository root, so
	// those two formats put Dir in front of every file name (journey runs
	// from the repository root in a workflow). Empty or "." adds nothing;
	// the text and json formats never use it.
	Dir string
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
	sort.SliceStable(sorted, func(i, j int) bool { return validate.Less(sorted[i], sorted[j]) })
	cp := *r
	cp.Findings = sorted
	r = &cp
	switch format {
	case "text":
		return writeText(w, r, opts)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r)
	case "github":
		return writeGitHub(w, r, opts)
	default:
		return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats(), ", "))
	}
}

// valid reports whether the run passes: no errors, and with Strict no
// warnings either.
func (r *Report) valid() bool {
	errs, warns := validate.Counts(r.Findings)
	return errs == 0 && !(r.Strict && warns > 0)
}

// repoPath is a finding's file name as GitHub wants it: from the
// repository root, slash-separated.
func (r *Report) repoPath(name string) string {
	if name == "" {
		return ""
	}
	dir := strings.ReplaceAll(r.Dir, "\\", "/")
	if dir == "" || dir == "." {
		return name
	}
	return path.Join(dir, name)
}

// lineIndex finds source lines without rescanning a file per finding.
type lineIndex struct {
	sources map[string][]byte
	starts  map[string][]int
}

func newLineIndex(sources map[string][]byte) *lineIndex {
	return &lineIndex{sources: sources, starts: map[string][]int{}}
}

// lineAt returns line n (1-based) of the file without its newline, and the
// byte offset in the file where it starts.
func (x *lineIndex) lineAt(file string, n int) (text string, start int, ok bool) {
	src, ok := x.sources[file]
	if !ok {
		return "", 0, false
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
		return "", 0, false
	}
	end := len(src)
	if n < len(starts) {
		end = starts[n] - 1
	}
	return string(bytes.TrimRight(src[starts[n-1]:end], "\r")), starts[n-1], true
}
