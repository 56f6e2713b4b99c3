package main

import (
	"strings"
	"testing"
)

// TestJSONFilesSayWhatIsWrong: a plan, contact or events file of the wrong
// shape gets words and a FILE:LINE:COL, never a Go type.
func TestJSONFilesSayWhatIsWrong(t *testing.T) {
	dir, _ := deployed(t)
	onboarding := "../../examples/onboarding"
	arrayPlan := writeTemp(t, "deployed.json", "[1, 2]\n")
	numberVersion := writeTemp(t, "deployed.json", "{\n  \"format_version\": 1\n}\n")
	arrayContact := writeTemp(t, "ada.json", `[{"email": "ada@example.com"}]`)
	objectEvents := writeTemp(t, "events.json", `{"at": "2026-06-12T12:00:00Z", "type": "tag_added", "tag": "lead"}`)
	numberEvent := writeTemp(t, "events.json", "[\n  7\n]")
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"an array for a plan", []string{"plan", dir, "--against", arrayPlan},
			[]string{arrayPlan + ":1:1: ", "an execution plan is a JSON object with format_version", "this file holds an array"}},
		{"a number for the plan's format version", []string{"plan", dir, "--against", numberVersion},
			[]string{numberVersion + ":2:21: ", "format_version must be a string, not a number"}},
		{"an array for a contact", []string{"simulate", onboarding, "--contact", arrayContact},
			[]string{arrayContact + ":1:1: ", "a contact file is a JSON object of the contact's fields", "this file holds an array"}},
		{"an object for the events", []string{"simulate", onboarding, "--events", objectEvents},
			[]string{objectEvents + ":1:1: ", "an events file is a JSON list of events", "this file holds an object"}},
		{"a number for an event", []string{"simulate", onboarding, "--events", numberEvent},
			[]string{numberEvent + ":2:3: ", "an object {...} was expected here, not a number"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			// journey plan exits 1 on any error, as Terraform's plan
			// does; the other commands give usage errors 2.
			want := exitUsage
			if c.args[0] == "plan" {
				want = exitFailed
			}
			if code != want {
				t.Errorf("exit %d, want %d", code, want)
			}
			if stdout != "" {
				t.Errorf("printed a result anyway:\n%s", stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			for _, goWords := range []string{"Go value", "Go struct", "unmarshal", "map[string]"} {
				if strings.Contains(stderr, goWords) {
					t.Errorf("stderr speaks Go (%q):\n%s", goWords, stderr)
				}
			}
		})
	}
}
