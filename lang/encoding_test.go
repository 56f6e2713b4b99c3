package lang_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf16"
)

// Files in another encoding than UTF-8 get one finding that names the
// encoding and says how to save the file, at line 1.

const utf8BOM = "\xef\xbb\xbf"

func TestEncodingJSONWithBOM(t *testing.T) {
	r := mustLoad(t, fstest.MapFS{"x.journey.json": {Data: []byte(utf8BOM + `{"tag": {"lead": {}}}` + "\n")}}, 10*time.Second)
	if len(r.diags) != 1 {
		t.Fatalf("%d diagnostics, want one: %v", len(r.diags), r.diags)
	}
	d := wantSyntaxDiag(t, r.diags, "x.journey.json", 1, "x.journey.json", "BOM", "save the file as UTF-8 without a BOM")
	if d.Subject.Start.Column != 1 {
		t.Errorf("column %d, want 1", d.Subject.Start.Column)
	}
	if !r.ws.Incomplete {
		t.Errorf("workspace not marked incomplete")
	}
}

// HCL's native syntax skips a UTF-8 BOM, as Terraform does: the file is
// read, and columns do not count the BOM.
func TestEncodingHCLWithBOM(t *testing.T) {
	r := mustLoad(t, fstest.MapFS{"x.journey.hcl": {Data: []byte(utf8BOM + "tag \"lead\" {}\n")}}, 10*time.Second)
	noErrors(t, r.diags)
	tags := r.ws.Of("tag")
	if len(tags) != 1 || tags[0].Name != "lead" {
		t.Fatalf("tags %v, want tag \"lead\"", tags)
	}
	if at := tags[0].DefRange.Start; at.Line != 1 || at.Column != 1 {
		t.Errorf("tag \"lead\" at %d:%d, want 1:1", at.Line, at.Column)
	}
}

func TestEncodingUTF16(t *testing.T) {
	hcl := "tag \"lead\" {}\n"
	json := `{"tag": {"lead": {}}}` + "\n"
	for _, c := range []struct {
		name, file string
		data       []byte
		words      []string
	}{
		{"little-endian with a BOM", "x.journey.hcl", append([]byte{0xff, 0xfe}, utf16LE(hcl)...), []string{"UTF-16", "little-endian"}},
		{"big-endian with a BOM", "x.journey.hcl", append([]byte{0xfe, 0xff}, utf16BE(hcl)...), []string{"UTF-16", "big-endian"}},
		{"little-endian without a BOM", "x.journey.hcl", utf16LE(hcl), []string{"UTF-16", "little-endian"}},
		{"big-endian without a BOM", "x.journey.json", utf16BE(json), []string{"UTF-16", "big-endian"}},
		{"JSON with a BOM", "x.journey.json", append([]byte{0xff, 0xfe}, utf16LE(json)...), []string{"UTF-16"}},
		{"no ASCII at all, with a BOM", "x.journey.hcl", append([]byte{0xff, 0xfe}, utf16LE("日本語")...), []string{"UTF-16"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mustLoad(t, fstest.MapFS{c.file: {Data: c.data}}, 10*time.Second)
			if len(r.diags) != 1 {
				t.Fatalf("%d diagnostics, want one: %v", len(r.diags), r.diags)
			}
			d := wantSyntaxDiag(t, r.diags, c.file, 1, append([]string{c.file, "save it as UTF-8"}, c.words...)...)
			if strings.Contains(d.Summary, "not a text file") {
				t.Errorf("UTF-16 text called binary: %s", d.Summary)
			}
			if d.Subject.Start.Column != 1 {
				t.Errorf("column %d, want 1", d.Subject.Start.Column)
			}
		})
	}
}

func utf16LE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16BE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}
