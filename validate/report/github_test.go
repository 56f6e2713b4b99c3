package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/validate"
)

func TestGitHubGolden(t *testing.T) {
	want := `::error file=main.journey.hcl,line=7,col=3,endLine=7,endColumn=15,title=unconfigured-timer::wait "later" has no timer settings: contacts would stop here forever%0AHint: set for, until, until_field, at, between or on_days%0ASee main.journey.hcl:2:3: contacts reach it from trigger "signup"
::warning file=main.journey.hcl,line=11,col=3,endLine=11,endColumn=13,title=back-to-back-sends::50%25 of contacts, say: many%0Athen the rest
::warning file=tags.journey.hcl,line=2,col=1,endLine=2,endColumn=10,title=unused::tag "vip" is declared but nothing uses it%0AHint: remove it, or use it in a change_tags
1 error, 2 warnings in 2 files.
`
	var sum bytes.Buffer
	if got := render(t, "github", fixture(t), Options{StepSummary: &sum}); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	wantSum := "## journey validate\n\n" +
		"**1 error, 2 warnings** in 2 files: validation fails.\n\n" +
		"| Location | Severity | Rule | Message | Hint |\n" +
		"|---|---|---|---|---|\n" +
		"| main.journey.hcl:7 | error | `unconfigured-timer` | wait \"later\" has no timer settings: contacts would stop here forever | set for, until, until\\_field, at, between or on\\_days |\n" +
		"| main.journey.hcl:11 | warning | `back-to-back-sends` | 50% of contacts, say: many<br>then the rest |  |\n" +
		"| tags.journey.hcl:2 | warning | `unused` | tag \"vip\" is declared but nothing uses it | remove it, or use it in a change\\_tags |\n\n"
	if sum.String() != wantSum {
		t.Fatalf("step summary:\n%s\nwant\n%s", sum.String(), wantSum)
	}
}

// The escaping of @actions/core's command.ts: % first, so that nothing
// is escaped twice.
func TestGitHubEscaping(t *testing.T) {
	if got := escapeData("100% a:b,c\r\nd"); got != "100%25 a:b,c%0D%0Ad" {
		t.Errorf("data: %q", got)
	}
	if got := escapeProperty("100% a:b,c\r\nd"); got != "100%25 a%3Ab%2Cc%0D%0Ad" {
		t.Errorf("property: %q", got)
	}
	if got := escapeData("%0A"); got != "%250A" {
		t.Errorf("an escape in the text must stay text: %q", got)
	}
	// A file name with the property separators in it.
	r := &Report{Findings: []validate.Finding{{Rule: "schema", Message: "m",
		Range: hcl.Range{Filename: "a,b:c%.journey.hcl", Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 2}}}}}
	out := render(t, "github", r, Options{})
	if !strings.HasPrefix(out, "::error file=a%2Cb%3Ac%25.journey.hcl,line=1,") {
		t.Errorf("file property not escaped: %s", out)
	}
	// Every command is one line, whatever the message holds.
	for _, l := range strings.Split(strings.TrimSuffix(render(t, "github", fixture(t), Options{}), "\n"), "\n") {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasSuffix(l, "files.") {
			t.Errorf("stray line %q", l)
		}
	}
}

func TestGitHubPlaces(t *testing.T) {
	r := &Report{
		Dir: "campaigns",
		Findings: []validate.Finding{
			{Rule: "instant-loop", Message: "multi-line", Range: hcl.Range{Filename: "main.journey.hcl",
				Start: hcl.Pos{Line: 3, Column: 5}, End: hcl.Pos{Line: 9, Column: 2}}},
			{Rule: "schema", Message: "no file"},
			{Rule: "syntax", Message: "file only", Range: hcl.Range{Filename: "main.journey.hcl"}},
			{Rule: "schema", Message: "no end", Range: hcl.Range{Filename: "main.journey.hcl", Start: hcl.Pos{Line: 4, Column: 7}}},
		},
	}
	got := render(t, "github", r, Options{})
	for _, want := range []string{
		"::error title=schema::no file\n",
		"::error file=campaigns/main.journey.hcl,title=syntax::file only\n",
		// Columns only on one line: GitHub takes no columns across lines.
		"::error file=campaigns/main.journey.hcl,line=3,endLine=9,title=instant-loop::multi-line\n",
		"::error file=campaigns/main.journey.hcl,line=4,col=7,endLine=4,endColumn=8,title=schema::no end\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

// TestGitHubStepSummaryHasEveryFinding: GitHub shows ten annotations per
// severity per step, so the summary must list all of them.
func TestGitHubStepSummaryHasEveryFinding(t *testing.T) {
	r := &Report{FileCount: 1}
	for i := 1; i <= 25; i++ {
		sev := validate.Error
		if i%2 == 0 {
			sev = validate.Warning
		}
		r.Findings = append(r.Findings, validate.Finding{
			Rule: "unused", Severity: sev, Message: fmt.Sprintf("finding %02d | with a pipe", i),
			Range: hcl.Range{Filename: "main.journey.hcl", Start: hcl.Pos{Line: i, Column: 1}, End: hcl.Pos{Line: i, Column: 2}},
		})
	}
	var sum bytes.Buffer
	out := render(t, "github", r, Options{StepSummary: &sum})
	if n := strings.Count(out, "\n::") + 1; n != 25 {
		t.Errorf("%d annotations, want 25", n)
	}
	if !strings.HasSuffix(out, "\n13 errors, 12 warnings in 1 file.\n") {
		t.Errorf("no count line at the end: %q", out[len(out)-60:])
	}
	rows := 0
	for _, l := range strings.Split(sum.String(), "\n") {
		if strings.HasPrefix(l, "| main.journey.hcl:") {
			rows++
			// Five cells: six unescaped pipes.
			if n := strings.Count(l, "|") - strings.Count(l, `\|`); n != 6 {
				t.Errorf("row has %d cell borders: %q", n, l)
			}
		}
	}
	if rows != 25 {
		t.Errorf("%d rows in the step summary, want 25:\n%s", rows, sum.String())
	}
}

func TestGitHubStepSummaryClean(t *testing.T) {
	var sum bytes.Buffer
	out := render(t, "github", &Report{FileCount: 2}, Options{StepSummary: &sum})
	if out != "No problems found in 2 files.\n" {
		t.Errorf("output %q", out)
	}
	if sum.String() != "## journey validate\n\nNo problems found in 2 files.\n\n" {
		t.Errorf("summary %q", sum.String())
	}
}

func TestMDCell(t *testing.T) {
	for in, want := range map[string]string{
		"a | b":               `a \| b`,
		"one\ntwo\r\nthree":   "one<br>two<br>three",
		"x < 3 && y > 2":      "x &lt; 3 &amp;&amp; y &gt; 2",
		"`code` *b* _i_ ~s~":  "\\`code\\` \\*b\\* \\_i\\_ \\~s\\~",
		`[link](x) ![img](y)`: `\[link\](x) \!\[img\](y)`,
		`back\slash`:          `back\\slash`,
	} {
		if got := mdCell(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestGitHubStepSummaryError(t *testing.T) {
	err := Write(&bytes.Buffer{}, "github", fixture(t), Options{StepSummary: failWriter{}})
	if err == nil || !strings.Contains(err.Error(), "step summary") {
		t.Fatalf("got %v", err)
	}
}

func TestGitHubStepSummaryNamesDir(t *testing.T) {
	var sum bytes.Buffer
	render(t, "github", &Report{Dir: "campaigns/eu/", FileCount: 1}, Options{StepSummary: &sum})
	if !strings.HasPrefix(sum.String(), "## journey validate campaigns/eu\n") {
		t.Errorf("summary %q", sum.String())
	}
}
