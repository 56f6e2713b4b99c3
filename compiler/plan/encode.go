package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Encode returns a plan's canonical bytes: JSON laid out with one element
// per line (layout.go) and a newline.
func Encode(p *Plan) ([]byte, error) { return marshalSpread(p, planSpreadDepth) }

// EncodeFile returns a plan file's bytes, laid out as Encode lays out its
// plan.
func EncodeFile(f *File) ([]byte, error) { return marshalSpread(f, fileSpreadDepth) }

// Decode reads a plan, refusing other format versions and plans whose
// content does not match their hash.
func Decode(data []byte) (*Plan, error) {
	var p Plan
	if err := decodeStrict(data, &p); err != nil {
		return nil, fmt.Errorf("not an execution plan this journey can read: %w", err)
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return &p, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// check refuses a plan of another format version or whose content does
// not match its hash.
func (p *Plan) check() error {
	if p.FormatVersion != FormatVersion {
		return fmt.Errorf("plan format version %q is not %q: compile it again with this journey", p.FormatVersion, FormatVersion)
	}
	hash, err := p.ComputeHash()
	if err != nil {
		return err
	}
	if hash != p.Hash {
		return fmt.Errorf("the plan's content does not match its hash %s (it was edited by hand?): compile it again", p.Hash)
	}
	return nil
}
