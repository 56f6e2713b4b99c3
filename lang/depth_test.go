package lang_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/lang"
)

// depthShape is one way of nesting an expression: build nests it k times,
// levels says how deep that is as journey counts, and deepest is how the
// source text begins where one level too many starts. tokens is the levels
// of nesting the parser recurses on for each k (lang.MaxParseNesting).
type depthShape struct {
	build   func(k int) string
	levels  func(k int) int
	deepest string
	tokens  int
}

var depthShapes = map[string]depthShape{
	"negations": {
		build:   func(k int) string { return strings.Repeat("!", k) + "has_tag(tag.x)" },
		levels:  func(k int) int { return k + 2 },
		deepest: "tag.x",
		tokens:  1,
	},
	"parentheses": {
		build:   func(k int) string { return nest("(", "has_tag(tag.x)", ")", k) },
		levels:  func(k int) int { return k + 2 },
		deepest: "tag.x",
		tokens:  1,
	},
	"function calls": {
		build:   func(k int) string { return nest("upper(", "contact.first_name", ")", k) + ` == "A"` },
		levels:  func(k int) int { return k + 2 },
		deepest: "contact.first_name",
		tokens:  1,
	},
	"and chain": {
		build:   func(k int) string { return strings.Repeat("has_tag(tag.x) && ", k) + "true" },
		levels:  func(k int) int { return k + 2 },
		deepest: "tag.x",
		tokens:  0,
	},
	"conditionals": {
		build:   func(k int) string { return nest("contact.points > 1 ? true : (", "false", ")", k) },
		levels:  func(k int) int { return 2*k + 1 },
		deepest: "contact.points",
		tokens:  2,
	},
	"tuples": {
		build:   func(k int) string { return "length(" + nest("[", "1", "]", k) + ") > 0" },
		levels:  func(k int) int { return k + 3 },
		deepest: "1",
		tokens:  1,
	},
	"index steps": {
		build:   func(k int) string { return "length(contact.tags" + strings.Repeat("[0]", k) + ") > 0" },
		levels:  func(k int) int { return k + 3 },
		deepest: "contact.tags[0]",
		tokens:  1,
	},
	"templates": {
		build:   func(k int) string { return nest(`"${`, "contact.first_name", `}"`, k) + ` == "A"` },
		levels:  func(k int) int { return k + 2 },
		deepest: "contact.first_name",
		tokens:  2,
	},
}

// deepestWithin is the largest k whose nesting is at most limit levels.
func (s depthShape) deepestWithin(limit int) int {
	k := 0
	for s.levels(k+1) <= limit {
		k++
	}
	return k
}

// depthDiags returns the expression-too-deep diagnostics, failing on a hang
// or an error of another rule.
func depthDiags(t *testing.T, fsys fstest.MapFS) (hcl.Diagnostics, *lang.Workspace) {
	t.Helper()
	r, ok := robustLoad(t, fsys, ".", 2*time.Minute)
	if !ok {
		t.Fatal("lang.Load did not return within 2 minutes")
	}
	if r.err != nil {
		t.Fatalf("lang.Load: %v", r.err)
	}
	var deep hcl.Diagnostics
	for _, d := range r.diags {
		if lang.RuleOf(d) == lang.RuleExpressionTooDeep {
			deep = append(deep, d)
		} else if d.Severity == hcl.DiagError {
			t.Errorf("unexpected error: %s", d.Error())
		}
	}
	return deep, r.ws
}

// subjectText is the source text a diagnostic points at.
func subjectText(ws *lang.Workspace, d *hcl.Diagnostic) string {
	f := ws.Files[d.Subject.Filename]
	if f == nil || d.Subject.End.Byte > len(f.Src) {
		return fmt.Sprintf("<no source for %v>", d.Subject)
	}
	return string(f.Src[d.Subject.Start.Byte:d.Subject.End.Byte])
}

// wantTooDeep asserts one expression-too-deep error at line of file,
// pointing at text that begins with deepest, saying how deep it is and
// what to do.
func wantTooDeep(t *testing.T, diags hcl.Diagnostics, ws *lang.Workspace, file string, line, levels int, deepest string) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("%d expression-too-deep diagnostics, want 1: %v", len(diags), diags)
	}
	d := diags[0]
	switch {
	case d.Severity != hcl.DiagError:
		t.Errorf("severity %v, want error", d.Severity)
	case d.Subject == nil || d.Subject.Filename != file || d.Subject.Start.Line != line:
		t.Errorf("subject %v, want %s line %d", d.Subject, file, line)
	case !strings.HasPrefix(subjectText(ws, d), deepest):
		t.Errorf("the finding points at %.80q, want where it gets too deep: %q", subjectText(ws, d), deepest)
	}
	for _, w := range []string{fmt.Sprintf("%d levels", levels), fmt.Sprint(lang.MaxExpressionDepth)} {
		if !strings.Contains(d.Summary, w) {
			t.Errorf("message %q does not say %q", d.Summary, w)
		}
	}
	if !strings.Contains(d.Detail, "contains(") {
		t.Errorf("hint %q does not say how to make it shallower", d.Detail)
	}
}

// TestExpressionDepthLimit: an expression exactly as deep as the limit is
// read; one level more is an expression-too-deep error that says where and
// by how much, whatever nests.
func TestExpressionDepthLimit(t *testing.T) {
	limit := lang.MaxExpressionDepth
	for name, s := range depthShapes {
		t.Run(name, func(t *testing.T) {
			k := s.deepestWithin(limit)
			if s.levels(k) < limit-1 {
				t.Fatalf("shape cannot come within a level of the limit: %d levels", s.levels(k))
			}
			diags, _ := depthDiags(t, fstest.MapFS{"x.journey.hcl": {Data: nestedCondition(s.build(k))}})
			if len(diags) != 0 {
				t.Errorf("%d levels (the limit is %d): %v", s.levels(k), limit, diags)
			}
			diags, ws := depthDiags(t, fstest.MapFS{"x.journey.hcl": {Data: nestedCondition(s.build(k + 1))}})
			wantTooDeep(t, diags, ws, "x.journey.hcl", 10, s.levels(k+1), s.deepest)
		})
	}
}

// TestExpressionDepthEverywhere: templates, template files, update_contact
// values, the JSON syntax and attributes that take no expression at all
// are held to the same limit.
func TestExpressionDepthEverywhere(t *testing.T) {
	limit := lang.MaxExpressionDepth
	calls := func(levels int) string { return nest("upper(", "contact.first_name", ")", levels-1) }
	campaign := func(element string) string {
		return `tag "x" {}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.x)
    next = ` + element + `
  }

` + element[:strings.IndexByte(element, '.')] + ` "` + element[strings.IndexByte(element, '.')+1:] + `" {
`
	}
	for name, tc := range map[string]struct {
		files func(levels int) fstest.MapFS
		file  string
		line  int
	}{
		"subject": {
			files: func(levels int) fstest.MapFS {
				return fstest.MapFS{"x.journey.hcl": {Data: []byte(`email "e" {
  subject = "Hi ${` + calls(levels-1) + `}"
  body    = "hello"
}
`)}}
			},
			file: "x.journey.hcl", line: 2,
		},
		"template file": {
			files: func(levels int) fstest.MapFS {
				return fstest.MapFS{
					"x.journey.hcl": {Data: []byte("email \"e\" {\n  subject = \"hi\"\n  body    = template(\"body.html\")\n}\n")},
					"body.html":     {Data: []byte("<p>Hello\n${" + calls(levels-1) + "}</p>\n")},
				}
			},
			file: "body.html", line: 2,
		},
		"update_contact value": {
			files: func(levels int) fstest.MapFS {
				return fstest.MapFS{"x.journey.hcl": {Data: []byte(campaign("update_contact.u") +
					"    set  = { last_name = " + calls(levels-1) + " }\n    next = end.done\n  }\n\n  end \"done\" {}\n}\n")}}
			},
			file: "x.journey.hcl", line: 10,
		},
		"wait duration": {
			files: func(levels int) fstest.MapFS {
				return fstest.MapFS{"x.journey.hcl": {Data: []byte(campaign("wait.w") +
					"    for  = " + nest("(", `"1d"`, ")", levels-1) + "\n    next = end.done\n  }\n\n  end \"done\" {}\n}\n")}}
			},
			file: "x.journey.hcl", line: 10,
		},
		"json syntax": {
			files: func(levels int) fstest.MapFS {
				return fstest.MapFS{"x.journey.json": {Data: []byte(`{
  "tag": {"x": {}},
  "campaign": {"c": {
    "trigger": {"t": {"on": "${tag_added(tag.x)}", "next": "${condition.deep}"}},
    "condition": {"deep": {
      "if": "${` + strings.Repeat("!", levels-2) + `has_tag(tag.x)}",
      "then": "${end.yes}",
      "else": "${end.no}"
    }},
    "end": {"yes": {}, "no": {}}
  }}
}
`)}}
			},
			file: "x.journey.json", line: 6,
		},
	} {
		t.Run(name, func(t *testing.T) {
			if diags, _ := depthDiags(t, tc.files(limit)); len(diags) != 0 {
				t.Errorf("%d levels (the limit): %v", limit, diags)
			}
			diags, ws := depthDiags(t, tc.files(limit+1))
			if len(diags) == 1 && diags[0].Subject != nil {
				t.Logf("%s: %s", diags[0].Subject, diags[0].Summary)
			}
			wantTooDeep(t, diags, ws, tc.file, tc.line, limit+1, "")
		})
	}
}

// TestExpressionDepthJSONEvent: an event of the JSON syntax is parsed from
// its string and measured like any expression. Only the line is checked:
// positions inside a JSON event's "${...}" are three columns early (they
// start at the string's quote), a defect of the JSON event reader.
func TestExpressionDepthJSONEvent(t *testing.T) {
	src := `{
  "tag": {"x": {}},
  "campaign": {"c": {
    "trigger": {"t": {"on": "${tag_added(` + nest("(", "tag.x", ")", lang.MaxExpressionDepth) + `)}", "next": "${end.done}"}},
    "end": {"done": {}}
  }}
}
`
	diags, ws := depthDiags(t, fstest.MapFS{"x.journey.json": {Data: []byte(src)}})
	wantTooDeep(t, diags, ws, "x.journey.json", 4, lang.MaxExpressionDepth+2, "")
}
