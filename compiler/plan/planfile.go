package plan

import (
	"encoding/json"
	"fmt"
)

// File is a saved plan (journey plan --out): the new plan, what it was made
// against, and the journey that made it. Apply refuses a file made against
// something other than what the instance runs now.
type File struct {
	FormatVersion string  `json:"format_version"`
	ToolVersion   string  `json:"tool_version"`
	Against       Against `json:"against"`
	Plan          *Plan   `json:"plan"`
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
// (and the file, when it was one).
func DecodeAny(data []byte) (*Plan, *File, error) {
	var probe struct {
		Plan json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, nil, fmt.Errorf("not an execution plan or plan file: %w", err)
	}
	if len(probe.Plan) == 0 {
		p, err := Decode(data)
		return p, nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, fmt.Errorf("not a plan file: %w", err)
	}
	if f.FormatVersion != FormatVersion {
		return nil, nil, fmt.Errorf("plan file format version %q is not %q", f.FormatVersion, FormatVersion)
	}
	p, err := Decode(probe.Plan)
	if err != nil {
		return nil, nil, err
	}
	f.Plan = p
	return p, &f, nil
}
