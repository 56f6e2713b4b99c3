package plan

import (
	"fmt"

	"github.com/journeyhq/journey/internal/jsonread"
)

// Encode returns a plan's canonical bytes: JSON laid out with one element
// per line (layout.go) and a newline.
func Encode(p *Plan) ([]byte, error) { return marshalSpread(p, planSpreadDepth) }

// EncodeFile returns a plan file's bytes, laid out as Encode lays out its
// plan.
func EncodeFile(f *File) ([]byte, error) { return marshalSpread(f, fileSpreadDepth) }

// Decode reads a plan, refusing other format versions and plans whose
// content does not match their hash. A JSON error is a *jsonread.Error
// with the line and column.
func Decode(data []byte) (*Plan, error) {
	var p Plan
	if err := jsonread.Decode(data, &p, jsonread.Options{Want: wantPlan, Strict: true}); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return &p, nil
}

// wantPlan says what a plan file holds, for an error about the whole file.
const wantPlan = "an execution plan is a JSON object with format_version, hash, account, fields, assets and campaigns, as journey compile -o writes it"

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
