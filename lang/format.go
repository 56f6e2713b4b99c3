package lang

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// RuleFormatBug marks the diagnostic Format returns when its own output
// would not have the tokens of its input: a bug in the formatter, never the
// file's fault. The file must then be left as it is.
const RuleFormatBug = "format-bug"

// Format returns the native-syntax (HCL) campaign file src in the canonical
// layout of journey fmt: hclwrite's formatting (two-space indentation, one
// space around operators, the = of neighbouring attributes aligned, comments
// aligned) and a file that ends with exactly one line break.
//
// Format only moves whitespace. It refuses a file that does not parse, that
// is not UTF-8 text, and, as a safeguard, any result whose tokens differ from
// the input's: then it returns nil and error diagnostics with the file name
// and position (rule RuleSyntax for the file's faults, RuleFormatBug for the
// safeguard). The JSON syntax (*.journey.json) is not formatted: callers
// leave those files alone.
//
// Format is idempotent: Format of its output returns the output unchanged.
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if d := encodingProblem(filename, src); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	if d := parseNestingError(src, filename, hcl.InitialPos, configSyntax); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, tagRule(diags, RuleSyntax)
	}
	out := hclwrite.Format(src)
	out = endWithOneNewline(out)
	if d := sameTokens(endWithOneNewline(src), out, filename); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	return out, nil
}

// endWithOneNewline drops the blank lines and spaces at the end of a parsed
// file and ends it with one line break ("\r\n" in a file that uses them); an
// empty or blank file becomes empty. The end of a file that parsed lies
// outside every string and heredoc, so this changes no value.
func endWithOneNewline(src []byte) []byte {
	trimmed := bytes.TrimRight(src, " \t\r\n")
	if len(trimmed) == 0 {
		return []byte{}
	}
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	out := make([]byte, 0, len(trimmed)+len(nl))
	out = append(out, trimmed...)
	return append(out, nl...)
}

// sameTokens checks that formatted has the tokens of src, byte for byte, in
// the same order: formatting may only change the spaces between tokens (in
// templates and heredocs, where spaces are part of the string tokens, it may
// change nothing).
func sameTokens(src, formatted []byte, filename string) *hcl.Diagnostic {
	a, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	b, diags := hclsyntax.LexConfig(formatted, filename, hcl.InitialPos)
	bug := func(at hcl.Range, what string) *hcl.Diagnostic {
		return Errorf(RuleFormatBug, at,
			fmt.Sprintf("journey fmt would change %s of %s at line %d, column %d, not only its layout; the file is left as it is", what, filename, at.Start.Line, at.Start.Column),
			"this is a bug in journey fmt: please report it with the file")
	}
	if diags.HasErrors() {
		return bug(*diags[0].Subject, "the syntax")
	}
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			return bug(b[i].Range, "the end")
		case i >= len(b):
			return bug(a[i].Range, "the end")
		case a[i].Type != b[i].Type || !bytes.Equal(a[i].Bytes, b[i].Bytes):
			return bug(a[i].Range, fmt.Sprintf("the text %q", a[i].Bytes))
		}
	}
	return nil
}
