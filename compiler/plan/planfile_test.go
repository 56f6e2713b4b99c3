package plan_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

// DecodeAny tells a plan from a plan file and checks either as strictly.
func TestDecodeAny(t *testing.T) {
	p := workspaces(t)["examples/onboarding"]
	bare, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	file, err := json.Marshal(plan.File{FormatVersion: plan.FormatVersion, ToolVersion: "test", Against: plan.Against{Hash: "sha256:00", Source: "deployed.json"}, Plan: p})
	if err != nil {
		t.Fatal(err)
	}

	got, f, err := plan.DecodeAny(bare)
	if err != nil || f != nil || got.Hash != p.Hash {
		t.Fatalf("a compiled plan: %v, file %v", err, f)
	}
	got, f, err = plan.DecodeAny(file)
	if err != nil || f == nil || got.Hash != p.Hash || f.Against.Source != "deployed.json" || f.ToolVersion != "test" {
		t.Fatalf("a plan file: %v, file %+v", err, f)
	}

	tampered := strings.Replace(string(file), `"trial_onboarding"`, `"trial_onboardin"`, 1)
	for name, c := range map[string]struct{ data, want string }{
		"an edited plan inside a file": {tampered, "does not match its hash"},
		"an edited plan":               {strings.Replace(string(bare), `"trial_onboarding"`, `"trial_onboardin"`, 1), "does not match its hash"},
		"a file of another format":     {strings.Replace(string(file), `"format_version":"1","tool_version"`, `"format_version":"9","tool_version"`, 1), `plan file format version "9"`},
		"an unknown field":             {strings.Replace(string(bare), `"format_version"`, `"colour": "blue", "format_version"`, 1), `unknown field "colour"`},
		"not JSON":                     {"deployed on Tuesday", "1:1: not JSON (invalid character 'd' looking for beginning of value): an execution plan is a JSON object"},
	} {
		if _, _, err := plan.DecodeAny([]byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
		}
	}
}
