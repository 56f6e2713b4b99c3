package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// splitWorkspace is an A/B/C test whose arms are where the contact stops.
const splitWorkspace = `
account {
  time_zone = "UTC"
}

tag "a" {}
tag "b" {}
tag "c" {}

form "signup" {}

campaign "ab" {
  trigger "signup" {
    on   = form_submitted(form.signup)
    next = split.subject
  }
  split "subject" {
    path {
      weight = 50
      next   = change_tags.a
    }
    path {
      weight = 30
      next   = change_tags.b
    }
    path {
      weight = 20
      next   = change_tags.c
    }
  }
  change_tags "a" {
    add = [tag.a]
  }
  change_tags "b" {
    add = [tag.b]
  }
  change_tags "c" {
    add = [tag.c]
  }
}
`

var splitWeights = map[string]float64{"a": 50, "b": 30, "c": 20}

// splitContacts is how many contacts the command tests run one by one.
// The shares over 2,000 contacts are measured in the engine
// (runtime/scenario_split_test.go); here each command must give every
// contact the arm the other gives it, so the engine's shares hold for them.
const splitContacts = 150

func writeSplitWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ab.journey.hcl"), []byte(splitWorkspace), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// simulatedArm runs journey simulate for one contact file and returns the
// arm it stopped on.
func simulatedArm(t *testing.T, dir, contact string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "contact.json")
	if err := os.WriteFile(file, []byte(contact), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "simulate", dir, "--contact", file, "--start", "2026-06-10T10:00:00Z", "--for", "1d", "--format", "json")
	if code != 0 {
		t.Fatalf("simulate %s: exit %d\n%s", contact, code, errOut)
	}
	var got struct{ Final struct{ Element string } }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return got.Final.Element
}

func TestSimulateSplitsContactsByWeight(t *testing.T) {
	dir := writeSplitWorkspace(t)
	counts := map[string]int{}
	for i := 0; i < splitContacts; i++ {
		counts[simulatedArm(t, dir, fmt.Sprintf(`{"email": "person%d@example.com"}`, i))]++
	}
	for arm := range splitWeights {
		if counts[arm] == 0 {
			t.Errorf("journey simulate: none of %d contacts took %s; the arms: %v", splitContacts, arm, counts)
		}
	}
}

func TestSimulateSplitArmFollowsTheExternalID(t *testing.T) {
	dir := writeSplitWorkspace(t)
	arms := map[string]bool{}
	for i := 0; i < 50; i++ {
		arm := simulatedArm(t, dir, fmt.Sprintf(`{"external_id": "crm-%d", "email": "old@example.com"}`, i))
		if again := simulatedArm(t, dir, fmt.Sprintf(`{"external_id": "crm-%d", "email": "new%d@example.com"}`, i, i)); again != arm {
			t.Fatalf("crm-%d took %s, then %s with another email", i, arm, again)
		}
		arms[arm] = true
	}
	if len(arms) != 3 {
		t.Errorf("50 contacts with their own external_id and one email took only %v: the arm follows the email", arms)
	}

	file := writeTemp(t, "c.json", `{"external_id": 42}`)
	if code, _, errOut := runCLI(t, "simulate", dir, "--contact", file); code != exitUsage || !strings.Contains(errOut, `"external_id": "42"`) {
		t.Errorf("a number external_id: exit %d, stderr %q; want exit 2 saying to write it as a string", code, errOut)
	}
}

func TestTestCommandSplitsScenariosByWeight(t *testing.T) {
	dir := writeSplitWorkspace(t)
	// Every scenario expects the arm journey simulate gives the same
	// contact: journey test must agree with it for each one.
	var b strings.Builder
	const n = splitContacts
	for i := 0; i < n; i++ {
		arm := simulatedArm(t, dir, fmt.Sprintf(`{"email": "person%d@example.com"}`, i))
		fmt.Fprintf(&b, `scenario "person %d" {
  campaign = campaign.ab
  start    = "2026-06-10T10:00:00Z"
  for      = "1d"
  contact  = { email = "person%d@example.com" }
  expect {
    has_tag = tag.%s
  }
}
`, i, i, arm)
	}
	if err := os.WriteFile(filepath.Join(dir, "ab.journeytest.hcl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "test", dir)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("(%d scenarios)", n)) {
		t.Fatalf("journey test and journey simulate put some contacts on different arms: exit %d\n%s\n%s", code, out[:min(len(out), 2000)], errOut)
	}
}
