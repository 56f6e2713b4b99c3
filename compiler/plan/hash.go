package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// ComputeHash returns the plan's content hash, "sha256:HEX", over what the
// plan means: the hash itself, source positions and the source text of
// expressions are left out, and a campaign's elements count in ID order.
// Moving a block, reordering a campaign's elements or reformatting a file
// does not make a new version; contacts stand on names, so nothing of that
// changes what happens to them.
func (p *Plan) ComputeHash() (string, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return "", err
	}
	tree = canonical(tree)
	if m, ok := tree.(map[string]any); ok {
		delete(m, "hash")
	}
	canonical, err := json.Marshal(tree)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canonical)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

func canonical(v any) any {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "source")
		if _, ok := t["root"]; ok {
			delete(t, "text") // an expression: its tree is what it means
		}
		for k, child := range t {
			t[k] = canonical(child)
		}
		if els, ok := t["elements"].([]any); ok {
			sort.SliceStable(els, func(i, j int) bool { return idOf(els[i]) < idOf(els[j]) })
		}
	case []any:
		for i, child := range t {
			t[i] = canonical(child)
		}
	}
	return v
}

func idOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		id, _ := m["id"].(string)
		return id
	}
	return ""
}
