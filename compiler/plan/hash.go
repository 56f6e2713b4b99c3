package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// ComputeHash returns the plan's content hash, "sha256:HEX", over its JSON
// with the hash itself and every source position left out: moving a block
// within its file, or reformatting it, does not make a new version.
func (p *Plan) ComputeHash() (string, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return "", err
	}
	tree = stripSources(tree)
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

func stripSources(v any) any {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "source")
		for k, child := range t {
			t[k] = stripSources(child)
		}
	case []any:
		for i, child := range t {
			t[i] = stripSources(child)
		}
	}
	return v
}
