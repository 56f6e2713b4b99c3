package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime/api"
)

// workspaceOf writes a workspace of one file and returns its directory.
func workspaceOf(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.journey.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// attendees makes n contacts attend: each stands on webinar/two_days.
func (s *opServer) attendees(n int) {
	s.t.Helper()
	for i := range n {
		_, err := s.client.SendEvent(context.Background(), api.Event{
			Contact: api.ContactRef{Email: "c" + string(rune('a'+i)) + "@example.com"}, Type: "tag_added", Args: map[string]string{"tag": "attended"},
		}, "")
		if err != nil {
			s.t.Fatal(err)
		}
	}
}

func (s *opServer) serial() int64 {
	s.t.Helper()
	d, err := s.client.Deployment(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	return d.Serial
}

var (
	longerWait = strings.Replace(webinarCampaigns, `for  = "2d"`, `for  = "3d"`, 1)
	noWait     = strings.Replace(strings.Replace(webinarCampaigns, "next  = wait.two_days", "next  = end.done", 1),
		"  wait \"two_days\" {\n    for  = \"2d\"\n    next = end.done\n  }\n", "", 1)
)

func TestPlanServerShowsTheContactsAndSavesAPlanFile(t *testing.T) {
	s := newOpServer(t)
	s.attendees(2)
	dir := workspaceOf(t, longerWait)
	out := filepath.Join(t.TempDir(), "change.plan")
	code, stdout, stderr := s.run("", nil, "plan", dir, "--server", s.url, "--out", out)
	if code != 0 || !strings.Contains(stdout, `~ wait "two_days"  for: "2d" -> "3d"         (2 contacts waiting: their due times are kept)`) {
		t.Fatalf("journey plan --server: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "made against deployment serial 1 of "+s.url) {
		t.Errorf("the saved plan's message: %q", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, file, err := plan.DecodeAny(data)
	if err != nil || file == nil || file.Against.Serial == nil || *file.Against.Serial != 1 || file.Against.Source != s.url || file.Against.Hash == "" {
		t.Fatalf("the plan file: %v %+v", err, file)
	}
	code, stdout, _ = s.run("", nil, "plan", dir, "--server", s.url, "--format", "json")
	var changes struct {
		Changes []struct {
			Children []struct {
				Name     string `json:"name"`
				Contacts *int   `json:"contacts"`
			} `json:"children"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(stdout), &changes); code != 0 || err != nil || len(changes.Changes) != 1 ||
		changes.Changes[0].Children[0].Contacts == nil || *changes.Changes[0].Children[0].Contacts != 2 {
		t.Errorf("--format json: exit %d, %v: %s", code, err, stdout)
	}
}

func TestPlanServerFailsNamingTheStrandedContacts(t *testing.T) {
	s := newOpServer(t)
	s.attendees(2)
	dir := workspaceOf(t, noWait)
	code, stdout, stderr := s.run("", nil, "plan", dir, "--server", s.url)
	if code != 1 || !strings.Contains(stdout, `- wait "two_days"`) || !strings.Contains(stdout, "(2 contacts here)") ||
		!strings.Contains(stderr, "2 contacts on webinar/two_days, which the new plan removes (--drain would send them to webinar/done)") {
		t.Errorf("a plan that strands contacts: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = s.run("", nil, "plan", dir, "--server", s.url, "--drain")
	if code != 0 || !strings.Contains(stdout, "(2 contacts here: drained to webinar/done)") {
		t.Errorf("--drain: exit %d\n%s%s", code, stdout, stderr)
	}
	if s.serial() != 1 {
		t.Error("journey plan applied something")
	}
}

func TestApplyPlanFileOnceThenStale(t *testing.T) {
	s := newOpServer(t)
	s.attendees(1)
	out := filepath.Join(t.TempDir(), "change.plan")
	if code, stdout, stderr := s.run("", nil, "plan", workspaceOf(t, longerWait), "--server", s.url, "--out", out); code != 0 {
		t.Fatalf("plan: %d %s%s", code, stdout, stderr)
	}
	code, stdout, stderr := s.run("", nil, "apply", out)
	if code != 0 || !strings.Contains(stdout, "Applied deployment serial 2") || !strings.Contains(stdout, "waits:   1 contact on webinar/two_days, due times kept") {
		t.Fatalf("apply: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = s.run("", nil, "apply", out)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "stale plan: it was made against deployment serial 1, and the server runs serial 2 now") {
		t.Errorf("the same plan file again: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = s.run("", nil, "apply", out, "--drain")
	if code != 1 || !strings.Contains(stderr, "applied exactly as it was planned") {
		t.Errorf("a plan file with other options: exit %d %s", code, stderr)
	}
	if s.serial() != 2 {
		t.Errorf("serial %d after one apply; want 2", s.serial())
	}
}

func TestApplyDirectoryAsksFirst(t *testing.T) {
	s := newOpServer(t)
	s.attendees(1)
	dir := workspaceOf(t, longerWait)
	for _, answer := range []string{"no\n", "", "yes please\n"} {
		code, stdout, stderr := s.run(answer, nil, "apply", dir)
		if code != 1 || !strings.Contains(stdout, "Only 'yes' applies.") || !strings.Contains(stderr, "apply cancelled") || s.serial() != 1 {
			t.Errorf("answer %q: exit %d, serial %d\n%s%s", answer, code, s.serial(), stdout, stderr)
		}
	}
	code, stdout, stderr := s.run("yes\n", nil, "apply", dir)
	if code != 0 || !strings.Contains(stdout, `(1 contact waiting: their due times are kept)`) || !strings.Contains(stdout, "Applied deployment serial 2") {
		t.Errorf("yes: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = s.run("", nil, "apply", dir)
	if code != 0 || !strings.Contains(stdout, "Nothing to apply.") || s.serial() != 2 {
		t.Errorf("the same workspace again: exit %d, serial %d\n%s", code, s.serial(), stdout)
	}
}

// Rolling back is applying an earlier deployment's plan, through the same
// checks, as a new deployment.
func TestApplyCompiledPlanRollsBack(t *testing.T) {
	s := newOpServer(t)
	s.attendees(1)
	first, err := s.client.DeploymentPlan(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "deployed-1.json")
	os.WriteFile(old, first, 0o644)
	if code, stdout, stderr := s.run("", nil, "apply", workspaceOf(t, longerWait), "--auto-approve"); code != 0 {
		t.Fatalf("apply: %d %s%s", code, stdout, stderr)
	}
	code, stdout, stderr := s.run("", nil, "apply", old, "--auto-approve")
	if code != 0 || !strings.Contains(stdout, `for: "3d" -> "2d"`) || !strings.Contains(stdout, "Applied deployment serial 3") {
		t.Fatalf("rollback: exit %d\n%s%s", code, stdout, stderr)
	}
	d, err := s.client.Deployment(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := plan.Decode(first)
	if d.Serial != 3 || d.Hash != p.Hash {
		t.Errorf("after the rollback the server runs %d %s; want 3 with the first plan's hash %s", d.Serial, d.Hash, p.Hash)
	}
}

func TestPlanAndApplyShowEveryFlagInAnExample(t *testing.T) {
	c := NewCLI(nil, nil, nil)
	for _, cmd := range []*cobra.Command{c.planCommand(), c.applyCommand()} {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(cmd.Example, "--"+f.Name) {
				t.Errorf("journey %s: no example uses --%s", cmd.Name(), f.Name)
			}
		})
	}
}
