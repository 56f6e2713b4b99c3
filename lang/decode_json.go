package lang

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// jsonBlocks mends the blocks HCL's JSON body makes of an array: in
// `"b": [{...}, {...}]` (the block written twice) every block gets the
// array's "[" as its place, so a duplicate-name pointed at itself; and in
// `"b": [1, 2]` each number became a block with no body, reported twice by
// HCL and then declared twice. Here each object gets its own "{" and each
// other value one finding at the value, and no block. parent is the block
// whose body holds them, nil at the top of a file.
func (d *decoder) jsonBlocks(blocks hcl.Blocks, parent *Block) hcl.Blocks {
	out := make(hcl.Blocks, 0, len(blocks))
	for i := 0; i < len(blocks); {
		at := blocks[i].DefRange
		j := i + 1
		for j < len(blocks) && blocks[j].DefRange == at {
			j++
		}
		var elements []jsonElement
		if at.Start.Byte < len(d.src) && d.src[at.Start.Byte] == '[' {
			elements = jsonArrayElements(d.src, at.Start.Byte)
		}
		if len(elements) != j-i {
			out = append(out, blocks[i:j]...)
			i = j
			continue
		}
		for k, el := range elements {
			hb := blocks[i+k]
			if d.src[el.start] != '{' {
				d.add(d.notAnObject(hb, parent, el))
				continue
			}
			mended := *hb
			mended.DefRange = hcl.Range{Filename: at.Filename, Start: posAt(d.src, el.start), End: posAt(d.src, el.start+1)}
			out = append(out, &mended)
		}
		i = j
	}
	return out
}

// notAnObject reports an array item that should be a block's object.
func (d *decoder) notAnObject(hb *hcl.Block, parent *Block, el jsonElement) *hcl.Diagnostic {
	b := &Block{Type: hb.Type, Parent: parent}
	hint := fmt.Sprintf(`write each %s as an object: "%s": [{ ... }, { ... }]`, hb.Type, hb.Type)
	if len(hb.Labels) > 0 {
		b.Name = hb.Labels[len(hb.Labels)-1]
		hint = fmt.Sprintf(`write "%s": { ... } with the attributes of the %s inside`, b.Name, hb.Type)
	}
	rng := hcl.Range{Filename: hb.DefRange.Filename, Start: posAt(d.src, el.start), End: posAt(d.src, el.end)}
	return Errorf(RuleSchema, rng, fmt.Sprintf("%s must be a JSON object, not %s", describe(b), jsonKind(d.src[el.start])), hint)
}

// jsonElement is the byte span of one item of a JSON array.
type jsonElement struct{ start, end int }

// jsonArrayElements are the items of the array that starts at src[open],
// or nil when it cannot be read (HCL read it, so that should not happen).
func jsonArrayElements(src []byte, open int) []jsonElement {
	dec := json.NewDecoder(bytes.NewReader(src[open:]))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil
	}
	var out []jsonElement
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil || len(raw) == 0 {
			return nil
		}
		end := open + int(dec.InputOffset())
		out = append(out, jsonElement{start: end - len(raw), end: end})
	}
	return out
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case 't', 'f':
		return "a bool"
	case 'n':
		return "null"
	case '{':
		return "an object"
	}
	return "a number"
}
