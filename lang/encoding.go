package lang

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// utf8BOM is the byte order mark some editors put at the start of UTF-8
// files. HCL's native syntax skips it; HCL's JSON parser does not.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// encodingProblem returns the finding of a file that is not UTF-8 text (or,
// for JSON, starts with a BOM), or nil. Text in another encoding is named
// as such: "binary" would send its author looking for the wrong problem.
func encodingProblem(name string, src []byte) *hcl.Diagnostic {
	start := hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
	if order := utf16Order(src); order != "" {
		return Errorf(RuleSyntax, start,
			fmt.Sprintf("%s is UTF-16 text (%s); journey reads UTF-8", name, order),
			"save it as UTF-8 (in the editor's Save As or Encoding menu), without a BOM")
	}
	if strings.HasSuffix(name, SuffixJSON) && bytes.HasPrefix(src, utf8BOM) {
		end := hcl.Pos{Line: 1, Column: 2, Byte: len(utf8BOM)}
		return Errorf(RuleSyntax, hcl.Range{Filename: name, Start: hcl.InitialPos, End: end},
			fmt.Sprintf("%s starts with a byte order mark (BOM), which JSON does not allow", name),
			"save the file as UTF-8 without a BOM (in the editor's Save As or Encoding menu)")
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		pos := posAt(src, i)
		return Errorf(RuleSyntax, hcl.Range{Filename: name, Start: pos, End: pos},
			fmt.Sprintf("%s is not a text file: it has a NUL byte at line %d, column %d", name, pos.Line, pos.Column),
			"campaign files are UTF-8 HCL text; move binary files out of the workspace or rename them")
	}
	if !utf8.Valid(src) {
		pos := posAt(src, firstInvalidUTF8(src))
		return Errorf(RuleSyntax, hcl.Range{Filename: name, Start: pos, End: pos},
			fmt.Sprintf("%s is not valid UTF-8 at line %d, column %d", name, pos.Line, pos.Column),
			"save the file as UTF-8")
	}
	return nil
}

// utf16Sample is how many bytes utf16Order looks at without a BOM.
const utf16Sample = 512

// utf16Order tells UTF-16 text by its byte order mark (FF FE, FE FF) or,
// without one, by its NULs: the text of a campaign file is mostly ASCII,
// which UTF-16 writes as the character and a NUL, in the same order
// throughout. It returns the byte order, or "" for anything else.
func utf16Order(src []byte) string {
	switch {
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}):
		return "little-endian, with a byte order mark"
	case bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		return "big-endian, with a byte order mark"
	}
	sample := src[:min(len(src), utf16Sample)&^1]
	if len(sample) == 0 {
		return ""
	}
	var nulsAt [2]int // NULs at even and at odd offsets
	for i, b := range sample {
		if b == 0 {
			nulsAt[i%2]++
		}
	}
	pairs := len(sample) / 2
	switch {
	case nulsAt[0] == 0 && nulsAt[1]*2 >= pairs:
		return "little-endian"
	case nulsAt[1] == 0 && nulsAt[0]*2 >= pairs:
		return "big-endian"
	}
	return ""
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}
