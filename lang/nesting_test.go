package lang

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestParseNesting holds the nesting lang measures before parsing to what
// the HCL parser recurses on: brackets, blocks, quotes, template sequences
// and directives, and the prefix operators and ? still open; not to what
// it reads in a loop, nor to brackets inside strings.
func TestParseNesting(t *testing.T) {
	over := MaxParseNesting + 10
	repeat := func(s string) string { return strings.Repeat(s, over) }
	for name, tc := range map[string]struct {
		src    string
		syntax syntaxOf
		deep   bool
	}{
		"parentheses":                        {src: "a = " + repeat("(") + "1" + repeat(")") + "\n", deep: true},
		"a subtraction is a loop":            {src: "a = " + repeat("1 - ") + "1\n"},
		"negations":                          {src: "a = " + repeat("-") + "1\n", deep: true},
		"commas close prefix operators":      {src: "a = [" + repeat("!true, ") + "]\n"},
		"line breaks close them in a body":   {src: repeat("a = !true ? 1 : 2\n")},
		"but not inside parentheses":         {src: "a = (" + repeat("!\n") + "true)\n", deep: true},
		"a chain of conditionals":            {src: "a = " + repeat("x ? 1 : ") + "2\n", deep: true},
		"closed brackets close their levels": {src: "a = [" + repeat("(!(1)), ") + "]\n"},
		"nested directives":                  {src: repeat("%{if x}") + repeat("%{endif}"), syntax: templateSyntax, deep: true},
		"directives one after another":       {src: repeat("%{if x}y%{endif}"), syntax: templateSyntax},
		"blocks":                             {src: repeat("b {\n") + repeat("}\n"), deep: true},
		"json arrays":                        {src: `{"a": ` + repeat("[") + repeat("]") + "}", syntax: jsonSyntax, deep: true},
		"json brackets in a string":          {src: `{"a": "` + repeat("[") + `"}`, syntax: jsonSyntax},
		"json brackets after an escaped quote": {
			src: `{"a": "\"` + repeat("[") + `"}`, syntax: jsonSyntax,
		},
	} {
		t.Run(name, func(t *testing.T) {
			d := parseNestingError([]byte(tc.src), "x", hcl.InitialPos, tc.syntax)
			switch {
			case tc.deep && d == nil:
				t.Errorf("nested %d deep, and not refused", over)
			case !tc.deep && d != nil:
				t.Errorf("refused: %s (at %v)", d.Summary, d.Subject)
			}
		})
	}
}
