package plan

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/journeyhq/journey/internal/parallel"
)

// ComputeHash returns the plan's content hash, "sha256:HEX", over what the
// plan means: its compact JSON with the hash itself empty, no source
// positions, no source text of expressions (their tree is what they mean),
// and each campaign's elements in ID order. Moving a block, reordering a
// campaign's elements or reformatting a file does not make a new version;
// contacts stand on names, so nothing of that changes what happens to them.
//
// It hashes the bytes of one json.Marshal of a view of the plan: a plan
// read from a file hashes the same as the one compiled (its settings are
// compacted as they are marshaled), and hashing costs about what writing
// the plan does, spread over the cores (writeHashedJSON).
func (p *Plan) ComputeHash() (string, error) {
	h := sha256.New()
	if err := writeHashedJSON(h, p.hashView()); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// parallelCampaigns is the fewest campaigns worth encoding on every core.
const parallelCampaigns = 64

// viewTail is how json.Marshal ends a view without campaigns and moves;
// campaigns and moved are its last two fields.
const viewTail = `"campaigns":null,"moved":null}`

// writeHashedJSON writes withoutExpressionText(json.Marshal(v)) to w. A
// large plan is mostly campaigns, so they are encoded on every core, each
// on its own, and the bytes put together in order: an expression never
// spans two campaigns, and a campaign's JSON is the same alone or in its
// list (a test compares the two ways).
func writeHashedJSON(w io.Writer, v *Plan) error {
	head := *v
	head.Campaigns, head.Moved = nil, nil
	raw, err := json.Marshal(&head)
	if err != nil {
		return err
	}
	if len(v.Campaigns) < parallelCampaigns || !bytes.HasSuffix(raw, []byte(viewTail)) {
		if raw, err = json.Marshal(v); err != nil {
			return err
		}
		_, err = w.Write(withoutExpressionText(raw))
		return err
	}
	campaigns := make([][]byte, len(v.Campaigns))
	errs := make([]error, len(v.Campaigns))
	parallel.Chunks(len(v.Campaigns), runtime.GOMAXPROCS(0), nil, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			var c []byte
			if c, errs[i] = json.Marshal(&v.Campaigns[i]); errs[i] == nil {
				campaigns[i] = withoutExpressionText(c)
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	moved, err := json.Marshal(v.Moved)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(withoutExpressionText(raw[:len(raw)-len(viewTail)]))
	bw.WriteString(`"campaigns":[`)
	for i, c := range campaigns {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(c)
	}
	bw.WriteString(`],"moved":`)
	bw.Write(withoutExpressionText(moved))
	bw.WriteByte('}')
	return bw.Flush()
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
