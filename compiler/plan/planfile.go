package plan

import (
	"fmt"

	"github.com/journeyhq/journey/internal/jsonread"
)

// File is a saved plan (journey plan --out): the new plan, what it was made
// against, and the journey that made it. Apply refuses a file made against
// something other than what the instance runs now.
type File struct {
	FormatVersion string  `json:"format_version"`
	ToolVersion   string  `json:"tool_version"`
	Against       Against `json:"against"`
	// Options are the apply options the plan was made with (journey plan
	// --drain, --recompute-waits): journey apply applies the file with
	// them, so that what it does is what the plan showed.
	Options ApplyOptions `json:"options,omitzero"`
	Plan    *Plan        `json:"plan"`
}

// ApplyOptions are the operator's choices for what the policy of applying
// a new version leaves open (RUNTIME.md, "Applying a new version").
type ApplyOptions struct {
	// Drain sends the contacts on a removed element to its next.
	Drain bool `json:"drain,omitempty"`
	// RecomputeWaits recomputes the due times on a changed wait.
	RecomputeWaits bool `json:"recompute_waits,omitempty"`
}

// Against is the deployed state a plan file was made against.
type Against struct {
	// Hash of the plan compared with ("" when nothing was deployed).
	Hash string `json:"hash"`
	// Serial of the instance's deployment, when made against a server.
	Serial *int64 `json:"serial,omitempty"`
	// Source is the file or server URL compared with.
	Source string `json:"source"`
}

// DecodeAny reads either a compiled plan or a plan file and returns the plan
// (and the file, when it was one). A plan is large: it is read in one
// strict pass whichever it is. A JSON error is a *jsonread.Error with the
// line and column.
func DecodeAny(data []byte) (*Plan, *File, error) {
	// A plan's fields at the top, or a plan file's: format_version is
	// both's.
	var doc struct {
		Plan
		ToolVersion string       `json:"tool_version"`
		Against     Against      `json:"against"`
		Options     ApplyOptions `json:"options"`
		Inner       *Plan        `json:"plan"`
	}
	want := wantPlan + `; a plan file (journey plan --out) holds one under "plan"`
	if err := jsonread.Decode(data, &doc, jsonread.Options{Want: want, Strict: true}); err != nil {
		return nil, nil, err
	}
	if doc.Inner == nil {
		p := doc.Plan
		if err := p.check(); err != nil {
			return nil, nil, err
		}
		return &p, nil, nil
	}
	if doc.FormatVersion != FormatVersion {
		return nil, nil, fmt.Errorf("plan file format version %q is not %q", doc.FormatVersion, FormatVersion)
	}
	if err := doc.Inner.check(); err != nil {
		return nil, nil, err
	}
	f := &File{FormatVersion: doc.FormatVersion, ToolVersion: doc.ToolVersion, Against: doc.Against, Options: doc.Options, Plan: doc.Inner}
	return doc.Inner, f, nil
}
