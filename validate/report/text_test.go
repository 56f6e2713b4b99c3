package report

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/validate"
)

func TestTextGolden(t *testing.T) {
	want := `main.journey.hcl:7:3: error [unconfigured-timer] wait "later" has no timer settings: contacts would stop here forever
   7 |   wait "later" {
     |   ^^^^^^^^^^^^
     hint: set for, until, until_field, at, between or on_days
     see: main.journey.hcl:2:3: contacts reach it from trigger "signup"

main.journey.hcl:11:3: warning [back-to-back-sends] ` + awkward + `
  11 |   end "done" {}
     |   ^^^^^^^^^^

tags.journey.hcl:2:1: warning [unused] tag "vip" is declared but nothing uses it
   2 | tag "vip" {}
     | ^^^^^^^^^
     hint: remove it, or use it in a change_tags

1 error, 2 warnings in 2 files.
`
	if got := render(t, "text", fixture(t), Options{}); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTextColor(t *testing.T) {
	plain := render(t, "text", fixture(t), Options{})
	colored := render(t, "text", fixture(t), Options{Color: true})
	if strings.Contains(plain, "\x1b[") {
		t.Fatalf("colour without Color")
	}
	if !strings.Contains(colored, "\x1b[") {
		t.Fatalf("no colour with Color")
	}
}

func TestTextSummaries(t *testing.T) {
	if got := render(t, "text", &Report{FileCount: 1}, Options{}); got != "No problems found in 1 file.\n" {
		t.Errorf("clean: %q", got)
	}
	r := fixture(t)
	r.Findings = r.Findings[:1]
	if got := render(t, "text", r, Options{}); !strings.HasSuffix(got, "0 errors, 1 warning in 2 files. Warnings do not fail validation (use --strict to make them).\n") {
		t.Errorf("warnings only: %q", got)
	}
	r.Strict = true
	if got := render(t, "text", r, Options{}); !strings.HasSuffix(got, "0 errors, 1 warning in 2 files.\n") {
		t.Errorf("warnings only, strict: %q", got)
	}
}

// snippetOf renders one finding over src and returns its source line and
// underline, without the gutter.
func snippetOf(t *testing.T, src string, rg hcl.Range) (line, under string) {
	t.Helper()
	rg.Filename = "f.journey.hcl"
	r := &Report{
		Findings: []validate.Finding{{Rule: "schema", Message: "m", Range: rg}},
		Sources:  map[string][]byte{"f.journey.hcl": []byte(src)},
	}
	out := strings.Split(render(t, "text", r, Options{}), "\n")
	if len(out) < 3 || !strings.Contains(out[1], " | ") {
		t.Fatalf("no snippet in %q", out)
	}
	_, line, _ = strings.Cut(out[1], " | ")
	_, under, _ = strings.Cut(out[2], " | ")
	return line, under
}

func TestTextUnderlineTabs(t *testing.T) {
	src := "campaign \"c\" {\n\t\twait \"later\" {}\n}\n"
	line, under := snippetOf(t, src, at(t, "f.journey.hcl", src, 2, `wait "later"`))
	if line != "\t\twait \"later\" {}" {
		t.Fatalf("line %q", line)
	}
	// The underline keeps the tabs, so that it lines up whatever the tab
	// width of the terminal.
	if under != "\t\t^^^^^^^^^^^^" {
		t.Fatalf("underline %q", under)
	}
}

func TestTextUnderlineNonASCII(t *testing.T) {
	// "é" written as e + combining acute is one column for HCL, two runes:
	// the byte offsets put the carets under the right text.
	src := "subject = \"Caf\u0065\u0301\" + x.y\n"
	rg := at(t, "f.journey.hcl", src, 1, "x.y")
	rg.Start.Column, rg.End.Column = 20, 23 // grapheme columns
	line, under := snippetOf(t, src, rg)
	col := len([]rune(line[:strings.Index(line, "x.y")]))
	if under != strings.Repeat(" ", col)+"^^^" {
		t.Fatalf("underline %q under %q", under, line)
	}
}

func TestTextUnderlineWithoutBytes(t *testing.T) {
	// A range with columns only (bytes left 0) still underlines.
	src := "a = 1\nbb = 2\n"
	line, under := snippetOf(t, src, hcl.Range{Start: hcl.Pos{Line: 2, Column: 6}, End: hcl.Pos{Line: 2, Column: 7}})
	if line != "bb = 2" || under != "     ^" {
		t.Fatalf("%q / %q", line, under)
	}
}

func TestTextUnderlineMultiLine(t *testing.T) {
	src := "wait \"w\" {\n  for = \"1d\"\n}\n"
	rg := at(t, "f.journey.hcl", src, 1, "wait")
	rg.End = hcl.Pos{Line: 3, Column: 2, Byte: len(src) - 1}
	_, under := snippetOf(t, src, rg)
	if under != strings.Repeat("^", len("wait \"w\" {")) {
		t.Fatalf("underline %q", under)
	}
}

func TestTextLongLine(t *testing.T) {
	long := strings.Repeat("x", 600) + "NEEDLE" + strings.Repeat("y", 600)
	src := "a = 1\nb = \"" + long + "\"\n"
	line, under := snippetOf(t, src, at(t, "f.journey.hcl", src, 2, "NEEDLE"))
	if n := len([]rune(line)); n > maxShownLine+2 {
		t.Fatalf("shown line has %d characters, want at most %d", n, maxShownLine+2)
	}
	if !strings.HasPrefix(line, "…") || !strings.HasSuffix(line, "…") {
		t.Fatalf("cut line not marked: %q", line)
	}
	i := strings.Index(line, "NEEDLE")
	if i < 0 {
		t.Fatalf("the range is not in the window: %q", line)
	}
	col := len([]rune(line[:i]))
	if under != strings.Repeat(" ", col)+"^^^^^^" {
		t.Fatalf("underline is not under NEEDLE:\n%s\n%s", line, under)
	}
}

func TestTextLongLineEdges(t *testing.T) {
	long := strings.Repeat("z", 1000)
	src := long + "\n"
	for _, rg := range []hcl.Range{
		// At the very start, at the very end, past the end, spanning it all,
		// and nonsense: no panic, an underline every time.
		{Start: hcl.Pos{Line: 1, Column: 1, Byte: 0}, End: hcl.Pos{Line: 1, Column: 2, Byte: 1}},
		{Start: hcl.Pos{Line: 1, Column: 1000, Byte: 999}, End: hcl.Pos{Line: 1, Column: 1001, Byte: 1000}},
		{Start: hcl.Pos{Line: 1, Column: 1001, Byte: 1000}, End: hcl.Pos{Line: 1, Column: 1001, Byte: 1000}},
		{Start: hcl.Pos{Line: 1, Column: 1, Byte: 0}, End: hcl.Pos{Line: 1, Column: 1001, Byte: 1000}},
		{Start: hcl.Pos{Line: 1, Column: 5000}, End: hcl.Pos{Line: 1, Column: 2}},
		{Start: hcl.Pos{Line: 1, Column: -3, Byte: -3}, End: hcl.Pos{}},
	} {
		line, under := snippetOf(t, src, rg)
		if len([]rune(line)) > maxShownLine+2 || !strings.Contains(under, "^") {
			t.Errorf("%v: %q / %q", rg, line, under)
		}
	}
}

func TestTextNoSnippetWithoutSource(t *testing.T) {
	r := &Report{Findings: []validate.Finding{
		{Rule: "schema", Message: "past the end", Range: hcl.Range{Filename: "f.journey.hcl", Start: hcl.Pos{Line: 99, Column: 1}}},
		{Rule: "schema", Message: "unknown file", Range: hcl.Range{Filename: "other.hcl", Start: hcl.Pos{Line: 1, Column: 1}}},
		{Rule: "schema", Message: "no file"},
	}, Sources: map[string][]byte{"f.journey.hcl": []byte("a = 1\n")}}
	got := render(t, "text", r, Options{})
	if strings.Contains(got, " | ") {
		t.Fatalf("snippet printed:\n%s", got)
	}
	if !strings.Contains(got, "(workspace): error [schema] no file") {
		t.Fatalf("file-less finding:\n%s", got)
	}
}
