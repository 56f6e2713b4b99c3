package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// ComputeHash returns the plan's content hash, "sha256:HEX", over what the
// plan means: its compact JSON with the hash itself empty, no source
// positions, no source text of expressions (their tree is what they mean),
// and each campaign's elements in ID order. Moving a block, reordering a
// campaign's elements or reformatting a file does not make a new version;
// contacts stand on names, so nothing of that changes what happens to them.
//
// It is one json.Marshal of a view of the plan: a plan read from a file
// hashes the same as the one compiled (its settings are compacted as they
// are marshaled), and hashing costs about what writing the plan does.
func (p *Plan) ComputeHash() (string, error) {
	raw, err := json.Marshal(p.hashView())
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(withoutExpressionText(raw))
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// hashView is the plan without its hash and source positions, with the
// elements of each campaign in ID order. It copies only what it changes.
func (p *Plan) hashView() *Plan {
	v := *p
	v.Hash = ""
	v.Assets = editedCopy(p.Assets, func(a *Asset) { a.Source = nil })
	v.Sequences = editedCopy(p.Sequences, func(s *Sequence) {
		s.Source = nil
		s.Steps = editedCopy(s.Steps, func(st *Step) { st.Source = nil })
	})
	v.Rules = editedCopy(p.Rules, func(r *Rule) { r.Source = nil })
	v.Campaigns = editedCopy(p.Campaigns, func(c *Campaign) {
		c.Source = nil
		c.Elements = editedCopy(c.Elements, func(e *Element) { e.Source = nil })
		slices.SortStableFunc(c.Elements, func(a, b Element) int { return strings.Compare(a.ID, b.ID) })
	})
	return &v
}

// editedCopy returns a copy of items with edit applied to each; items
// itself is left as it was.
func editedCopy[T any](items []T, edit func(*T)) []T {
	out := slices.Clone(items)
	for i := range out {
		edit(&out[i])
	}
	return out
}

// expressionStart is how an Expression begins in compact JSON: Text is its
// first field and Root, never omitted, its second. Inside a JSON string a
// quote is always escaped, so this can only match an expression's key.
var (
	expressionStart = []byte(`{"text":"`)
	expressionRoot  = []byte(`,"root":`)
)

// withoutExpressionText drops the "text" member of every expression from
// compact JSON. An object whose "text" is not followed by "root" (a
// setting of that name) keeps it.
func withoutExpressionText(js []byte) []byte {
	out := make([]byte, 0, len(js))
	for {
		i := bytes.Index(js, expressionStart)
		if i < 0 {
			return append(out, js...)
		}
		end := stringEnd(js, i+len(expressionStart)-1) // past the text's closing quote
		if bytes.HasPrefix(js[end:], expressionRoot) {
			out = append(out, js[:i+1]...) // the brace
			js = js[end+1:]                // from "root"
		} else {
			out = append(out, js[:end]...)
			js = js[end:]
		}
	}
}
