package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/validate"
)

// The fixture: two files and findings that exercise every part of a
// finding — related places, no hint, and a message with %, ',', ':' and a
// newline (the characters GitHub workflow commands escape).

const mainSrc = `campaign "onboarding" {
  trigger "signup" {
    on   = tag_added(tag.lead)
    next = wait.later
  }

  wait "later" {
    next = end.done
  }

  end "done" {}
}
`

const tagsSrc = `tag "lead" {}
tag "vip" {}
`

// at is the range of the first occurrence of text on line of src, with
// true byte offsets and columns, as HCL would give it.
func at(t *testing.T, file, src string, line int, text string) hcl.Range {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	if line < 1 || line > len(lines) {
		t.Fatalf("%s has no line %d", file, line)
	}
	off := 0
	for _, l := range lines[:line-1] {
		off += len(l)
	}
	col := strings.Index(lines[line-1], text)
	if col < 0 {
		t.Fatalf("%s:%d has no %q", file, line, text)
	}
	n := len([]rune(text))
	start := hcl.Pos{Line: line, Column: len([]rune(lines[line-1][:col])) + 1, Byte: off + col}
	end := hcl.Pos{Line: line, Column: start.Column + n, Byte: start.Byte + len(text)}
	return hcl.Range{Filename: file, Start: start, End: end}
}

const awkward = "50% of contacts, say: many\nthen the rest"

func fixture(t *testing.T) *Report {
	t.Helper()
	return &Report{
		// Out of order on purpose: every format sorts.
		Findings: []validate.Finding{
			{
				Rule: "unused", Severity: validate.Warning,
				Message: `tag "vip" is declared but nothing uses it`,
				Hint:    "remove it, or use it in a change_tags",
				Range:   at(t, "tags.journey.hcl", tagsSrc, 2, `tag "vip"`),
			},
			{
				Rule: "unconfigured-timer", Severity: validate.Error,
				Message: `wait "later" has no timer settings: contacts would stop here forever`,
				Hint:    "set for, until, until_field, at, between or on_days",
				Range:   at(t, "main.journey.hcl", mainSrc, 7, `wait "later"`),
				Related: []validate.Related{
					{Message: `contacts reach it from trigger "signup"`, Range: at(t, "main.journey.hcl", mainSrc, 2, `trigger "signup"`)},
				},
			},
			{
				Rule: "back-to-back-sends", Severity: validate.Warning,
				Message: awkward,
				Range:   at(t, "main.journey.hcl", mainSrc, 11, `end "done"`),
			},
		},
		Sources:     map[string][]byte{"main.journey.hcl": []byte(mainSrc), "tags.journey.hcl": []byte(tagsSrc)},
		FileCount:   2,
		ToolVersion: "v1.2.3",
	}
}

func render(t *testing.T, format string, r *Report, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, r, opts); err != nil {
		t.Fatalf("Write %s: %v", format, err)
	}
	return b.String()
}

func TestWriteRejectsUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "xml", &Report{}, Options{})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Fatalf("got %v, want an error naming the format", err)
	}
}

// TestDeterministic renders every format twice, from findings in two
// different orders: the bytes must not change.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			r1 := fixture(t)
			r2 := fixture(t)
			fs := r2.Findings
			for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
				fs[i], fs[j] = fs[j], fs[i]
			}
			var sum1, sum2 bytes.Buffer
			a := render(t, format, r1, Options{StepSummary: &sum1})
			b := render(t, format, r2, Options{StepSummary: &sum2})
			c := render(t, format, r1, Options{})
			if a != b || a != c {
				t.Fatalf("output changed between runs:\n%s\n---\n%s", a, b)
			}
			if sum1.String() != sum2.String() {
				t.Fatalf("step summary changed between runs")
			}
		})
	}
}

func TestWriteDoesNotReorderCallersFindings(t *testing.T) {
	r := fixture(t)
	first := r.Findings[0].Rule
	render(t, "json", r, Options{})
	if r.Findings[0].Rule != first {
		t.Fatalf("Write sorted the caller's slice")
	}
}

func TestSortOrder(t *testing.T) {
	mk := func(file string, line, col int, rule, msg string) validate.Finding {
		return validate.Finding{Rule: rule, Message: msg, Range: hcl.Range{Filename: file,
			Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: col + 1}}}
	}
	in := []validate.Finding{
		mk("b.hcl", 1, 1, "a", "m"),
		mk("a.hcl", 2, 1, "a", "m"),
		mk("a.hcl", 1, 5, "a", "m"),
		mk("a.hcl", 1, 1, "z", "m"),
		mk("a.hcl", 1, 1, "a", "z"),
		mk("a.hcl", 1, 1, "a", "a"),
	}
	out := render(t, "github", &Report{Findings: in}, Options{})
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "::") {
			got = append(got, l[strings.Index(l, "file="):])
		}
	}
	want := []string{
		"file=a.hcl,line=1,col=1,endLine=1,endColumn=2,title=a::a",
		"file=a.hcl,line=1,col=1,endLine=1,endColumn=2,title=a::z",
		"file=a.hcl,line=1,col=1,endLine=1,endColumn=2,title=z::m",
		"file=a.hcl,line=1,col=5,endLine=1,endColumn=6,title=a::m",
		"file=a.hcl,line=2,col=1,endLine=2,endColumn=2,title=a::m",
		"file=b.hcl,line=1,col=1,endLine=1,endColumn=2,title=a::m",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("order:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRepoPath(t *testing.T) {
	for _, c := range []struct{ dir, name, want string }{
		{"", "main.journey.hcl", "main.journey.hcl"},
		{".", "main.journey.hcl", "main.journey.hcl"},
		{"campaigns", "main.journey.hcl", "campaigns/main.journey.hcl"},
		{"./campaigns/", "sub/main.journey.hcl", "campaigns/sub/main.journey.hcl"},
		{`campaigns\eu`, "main.journey.hcl", "campaigns/eu/main.journey.hcl"},
		{"campaigns", "", ""},
	} {
		if got := (&Report{Dir: c.dir}).repoPath(c.name); got != c.want {
			t.Errorf("Dir %q, %q: got %q, want %q", c.dir, c.name, got, c.want)
		}
	}
}
