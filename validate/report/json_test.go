package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/journeyhq/journey/validate"
)

// The json format as CHECKS.md documents it: decoding rejects any field
// the schema does not have.
type schemaReport struct {
	FormatVersion *string         `json:"format_version"`
	Valid         *bool           `json:"valid"`
	ErrorCount    *int            `json:"error_count"`
	WarningCount  *int            `json:"warning_count"`
	Findings      []schemaFinding `json:"findings"`
}

type schemaFinding struct {
	Rule     string          `json:"rule"`
	Severity string          `json:"severity"`
	Message  string          `json:"message"`
	Hint     *string         `json:"hint"`
	Range    schemaRange     `json:"range"`
	Related  []schemaRelated `json:"related"`
}

type schemaRelated struct {
	Message string      `json:"message"`
	Range   schemaRange `json:"range"`
}

type schemaRange struct {
	Filename string    `json:"filename"`
	Start    schemaPos `json:"start"`
	End      schemaPos `json:"end"`
}

type schemaPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

func decodeJSON(t *testing.T, out string) schemaReport {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var got schemaReport
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decoding json output: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value in the output")
	}
	if got.FormatVersion == nil || got.Valid == nil || got.ErrorCount == nil || got.WarningCount == nil || got.Findings == nil {
		t.Fatalf("a top-level field is missing:\n%s", out)
	}
	return got
}

func TestJSONRoundTrip(t *testing.T) {
	r := fixture(t)
	out := render(t, "json", r, Options{})
	got := decodeJSON(t, out)
	if *got.FormatVersion != "1" || *got.Valid || *got.ErrorCount != 1 || *got.WarningCount != 2 {
		t.Fatalf("header: version %q valid %v errors %d warnings %d", *got.FormatVersion, *got.Valid, *got.ErrorCount, *got.WarningCount)
	}
	if len(got.Findings) != 3 {
		t.Fatalf("got %d findings, want 3", len(got.Findings))
	}
	// Sorted by file, line, column, rule.
	var order []string
	for _, f := range got.Findings {
		order = append(order, f.Rule)
	}
	if strings.Join(order, " ") != "unconfigured-timer back-to-back-sends unused" {
		t.Fatalf("order: %v", order)
	}
	timer := got.Findings[0]
	want := schemaFinding{
		Rule: "unconfigured-timer", Severity: "error",
		Message: `wait "later" has no timer settings: contacts would stop here forever`,
		Range: schemaRange{Filename: "main.journey.hcl",
			Start: schemaPos{Line: 7, Column: 3, Byte: 105},
			End:   schemaPos{Line: 7, Column: 15, Byte: 117}},
	}
	if timer.Rule != want.Rule || timer.Severity != want.Severity || timer.Message != want.Message || timer.Range != want.Range {
		t.Fatalf("finding:\n got %+v\nwant %+v", timer, want)
	}
	if mainSrc[105:117] != `wait "later"` {
		t.Fatalf("the fixture's byte offsets are off: %q", mainSrc[105:117])
	}
	if timer.Hint == nil || *timer.Hint != "set for, until, until_field, at, between or on_days" {
		t.Fatalf("hint: %v", timer.Hint)
	}
	if len(timer.Related) != 1 || timer.Related[0].Message != `contacts reach it from trigger "signup"` ||
		timer.Related[0].Range.Start.Line != 2 || timer.Related[0].Range.Start.Column != 3 || timer.Related[0].Range.Filename != "main.journey.hcl" {
		t.Fatalf("related: %+v", timer.Related)
	}
	sends := got.Findings[1]
	if sends.Message != awkward || sends.Severity != "warning" {
		t.Fatalf("awkward message did not survive: %q", sends.Message)
	}
}

func TestJSONOmitsEmptyHintAndRelated(t *testing.T) {
	out := render(t, "json", fixture(t), Options{})
	var raw struct {
		Findings []map[string]json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, f := range raw.Findings {
		var rule string
		_ = json.Unmarshal(f["rule"], &rule)
		_, hasHint := f["hint"]
		_, hasRelated := f["related"]
		switch rule {
		case "back-to-back-sends":
			if hasHint || hasRelated {
				t.Errorf("%s: empty hint or related written: %v", rule, f)
			}
		case "unconfigured-timer":
			if !hasHint || !hasRelated {
				t.Errorf("%s: hint or related missing", rule)
			}
		case "unused":
			if !hasHint || hasRelated {
				t.Errorf("%s: hint missing or empty related written", rule)
			}
		}
	}
}

func TestJSONEmpty(t *testing.T) {
	out := render(t, "json", &Report{FileCount: 3}, Options{})
	want := `{
  "format_version": "1",
  "valid": true,
  "error_count": 0,
  "warning_count": 0,
  "findings": []
}
`
	if out != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	decodeJSON(t, out)
}

func TestJSONGolden(t *testing.T) {
	r := fixture(t)
	r.Findings = r.Findings[:1] // the unused warning: a hint, no related
	want := `{
  "format_version": "1",
  "valid": true,
  "error_count": 0,
  "warning_count": 1,
  "findings": [
    {
      "rule": "unused",
      "severity": "warning",
      "message": "tag \"vip\" is declared but nothing uses it",
      "hint": "remove it, or use it in a change_tags",
      "range": {
        "filename": "tags.journey.hcl",
        "start": {
          "line": 2,
          "column": 1,
          "byte": 14
        },
        "end": {
          "line": 2,
          "column": 10,
          "byte": 23
        }
      }
    }
  ]
}
`
	if out := render(t, "json", r, Options{}); out != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
}

func TestJSONKeepsMarkupReadable(t *testing.T) {
	r := &Report{Findings: []validate.Finding{{Rule: "type", Message: `contact.points > "ten" & <b>`}}}
	out := render(t, "json", r, Options{})
	if !strings.Contains(out, `contact.points > \"ten\" & <b>`) {
		t.Fatalf("HTML-escaped or mangled: %s", out)
	}
	got := decodeJSON(t, out)
	if got.Findings[0].Message != `contact.points > "ten" & <b>` {
		t.Fatalf("message: %q", got.Findings[0].Message)
	}
}

// Strict decides whether warnings make the run invalid, in every format
// that says so.
func TestStrict(t *testing.T) {
	warnOnly := func(strict bool) *Report {
		r := fixture(t)
		r.Findings = r.Findings[:1]
		r.Strict = strict
		return r
	}
	for _, c := range []struct {
		r     *Report
		valid bool
	}{
		{warnOnly(false), true},
		{warnOnly(true), false},
		{&Report{Strict: true}, true},
		{fixture(t), false},
	} {
		got := decodeJSON(t, render(t, "json", c.r, Options{}))
		if *got.Valid != c.valid {
			t.Errorf("strict %v, %d findings: valid %v, want %v", c.r.Strict, len(c.r.Findings), *got.Valid, c.valid)
		}
	}
	var sum bytes.Buffer
	render(t, "github", warnOnly(true), Options{StepSummary: &sum})
	if !strings.Contains(sum.String(), "validation fails") {
		t.Errorf("strict step summary does not say validation fails:\n%s", sum.String())
	}
	sum.Reset()
	render(t, "github", warnOnly(false), Options{StepSummary: &sum})
	if !strings.Contains(sum.String(), "Warnings do not fail validation") {
		t.Errorf("step summary does not say warnings pass:\n%s", sum.String())
	}
}
