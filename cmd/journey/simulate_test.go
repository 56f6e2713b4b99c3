package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs journey in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cli := NewCLI(nil, &out, &errOut)
	cli.Now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	code := cli.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const ada = `{"email": "ada@example.com", "first_name": "Ada", "phone": "+15550123", "trial_ends": "2026-06-20"}`

func TestSimulateJSONContract(t *testing.T) {
	contact := writeTemp(t, "ada.json", ada)
	code, out, errOut := runCLI(t, "simulate", "../../examples/onboarding", "--campaign", "trial_onboarding",
		"--contact", contact, "--start", "2026-06-10T13:37:00-04:00", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var got struct {
		FormatVersion string `json:"format_version"`
		Timeline      []struct {
			At, Campaign, Element, Kind, Outcome string
			Detail                               map[string]any
		} `json:"timeline"`
		Final struct{ Campaign, Element, Status string } `json:"final"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.FormatVersion != "1" || len(got.Timeline) == 0 {
		t.Fatalf("unexpected output: %+v", got)
	}
	first := got.Timeline[0]
	if first.At != "2026-06-10T13:37:00-04:00" || first.Kind != "trigger" || first.Outcome != "entered" || first.Element != "signup" {
		t.Errorf("first step is %+v, want the signup trigger entered at the start, in the account's zone", first)
	}
	var welcome bool
	for _, s := range got.Timeline {
		if s.Element == "welcome" && s.Outcome == "sent" && s.Detail["subject"] == "Welcome to Tallybook, Ada!" {
			welcome = true
		}
	}
	if !welcome {
		t.Errorf("no welcome email with its rendered subject in %s", out)
	}
	if got.Final.Campaign != "trial_onboarding" || got.Final.Status != "exited" || got.Final.Element != "not_converted" {
		t.Errorf("final = %+v, want exited at not_converted", got.Final)
	}
}

func TestSimulateTextReadsLikeATimeline(t *testing.T) {
	contact := writeTemp(t, "ada.json", ada)
	events := writeTemp(t, "events.json", `[{"at": "2026-06-12T12:00:00-04:00", "type": "product_purchased", "product": "pro"}]`)
	code, out, errOut := runCLI(t, "simulate", "../../examples/onboarding", "--campaign", "trial_onboarding",
		"--contact", contact, "--events", events, "--start", "2026-06-10T13:37:00-04:00", "--for", "30d")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		`Wed 10 Jun 13:37 EDT  sent email welcome "Welcome to Tallybook, Ada!"`,
		"reached goal",
		"Final: exited in campaign trial_onboarding at converted.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestSimulateRejectsBadInput(t *testing.T) {
	dir := "../../examples/onboarding"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown campaign", []string{"--campaign", "trial_onbording"}, `did you mean "trial_onboarding"`},
		{"bad start", []string{"--campaign", "trial_onboarding", "--start", "tomorrow"}, "RFC 3339"},
		{"bad span", []string{"--campaign", "trial_onboarding", "--for", "a while"}, "not a duration"},
		{"unknown field", []string{"--campaign", "trial_onboarding", "--contact", writeTemp(t, "c.json", `{"frist_name": "Ada"}`)}, `did you mean "first_name"`},
		{"wrong type", []string{"--campaign", "trial_onboarding", "--contact", writeTemp(t, "c.json", `{"trial_ends": "soon"}`)}, "not a date"},
		{"unknown event", []string{"--campaign", "trial_onboarding", "--events", writeTemp(t, "e.json", `[{"at": "2026-06-12T12:00:00Z", "type": "product_purchsed", "product": "pro"}]`)}, `did you mean "product_purchased"`},
		{"undeclared product", []string{"--campaign", "trial_onboarding", "--events", writeTemp(t, "e.json", `[{"at": "2026-06-12T12:00:00Z", "type": "product_purchased", "product": "gold"}]`)}, `does not declare`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"simulate", dir}, tc.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, errOut, tc.want)
			}
		})
	}
}

func TestTestCommandPassesAndFails(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "-r", "../../examples")
	if code != 0 {
		t.Fatalf("the examples' scenarios fail (exit %d):\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "ok  \t../../examples/onboarding") {
		t.Errorf("no ok line for onboarding:\n%s", out)
	}

	dir := t.TempDir()
	for _, f := range []string{"account.journey.hcl", "assets.journey.hcl", "onboarding.journey.hcl", "trial_tips.journey.hcl"} {
		src, err := os.ReadFile(filepath.Join("../../examples/onboarding", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), src, 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "emails"), 0o755)
	html, _ := os.ReadFile("../../examples/onboarding/emails/welcome.html")
	os.WriteFile(filepath.Join(dir, "emails", "welcome.html"), html, 0o644)
	os.WriteFile(filepath.Join(dir, "wrong.journeytest.hcl"), []byte(`scenario "nudge on Saturday" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  for      = "3d"
  contact  = { email = "ada@example.com", phone = "+15550123", trial_ends = "2026-06-26" }

  expect {
    sent = sms.setup_nudge
    at   = "2026-06-13T09:00:00-04:00"
  }
}
`), 0o644)
	code, out, _ = runCLI(t, "test", dir)
	if code != exitFailed {
		t.Fatalf("a failing scenario exited %d:\n%s", code, out)
	}
	for _, want := range []string{"--- FAIL: nudge on Saturday", "wrong.journeytest.hcl:7: expected sms setup_nudge at Sat 13 Jun 2026 09:00 EDT; it was sent at Mon 15 Jun 2026 09:00 EDT", "- Sat 13 Jun 2026 09:00 EDT  sent sms setup_nudge", "+ Mon 15 Jun 2026 09:00 EDT  sent sms setup_nudge", "FAIL\t"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}

	code, _, errOut = runCLI(t, "test", "../../shared/does-not-exist")
	if code != exitUsage {
		t.Errorf("a missing directory exited %d: %s", code, errOut)
	}
}

func TestTooLongDurationsSayTheLongest(t *testing.T) {
	code, _, errOut := runCLI(t, "simulate", "../../examples/onboarding", "--campaign", "trial_onboarding", "--for", "1000000d")
	if code != exitUsage || strings.Contains(errOut, "not a duration") ||
		!strings.Contains(errOut, `--for "1000000d" is too long`) || !strings.Contains(errOut, `"36600d"`) {
		t.Errorf("simulate --for 1000000d: exit %d, stderr %q; want 2, too long, and the longest", code, errOut)
	}
	code, _, errOut = runCLI(t, "simulate", "../../examples/onboarding", "--campaign", "trial_onboarding", "--for", "-3d")
	if code != exitUsage || !strings.Contains(errOut, `--for "-3d" is negative`) {
		t.Errorf("simulate --for -3d: exit %d, stderr %q; want 2 and negative", code, errOut)
	}

	// journey test reads a scenario's for with the same reader, and says
	// where it is.
	dir := workspaceFrom(t, "../../examples/onboarding")
	html, err := os.ReadFile("../../examples/onboarding/emails/welcome.html")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "emails"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeWorkspaceFile(t, filepath.Join(dir, "emails"), "welcome.html", string(html))
	writeWorkspaceFile(t, dir, "long.journeytest.hcl", `scenario "a very long run" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  for      = "1000000d"
}
`)
	code, out, errOut := runCLI(t, "test", dir)
	if all := out + errOut; code == 0 || !strings.Contains(all, `long.journeytest.hcl:4:14: error [invalid-value] "1000000d" is too long`) || !strings.Contains(all, `"36600d"`) {
		t.Errorf("journey test with for = \"1000000d\": exit %d:\n%s%s", code, out, errOut)
	}
}

// --property gives the entering event what it carries, and an events
// file's events carry "properties": on the webinar example, a contact
// registered for July and then August is reminded of both sessions.
func TestSimulateCarriesEventProperties(t *testing.T) {
	contact := writeTemp(t, "ines.json", `{"email": "ines@example.com", "first_name": "Ines", "time_zone": "America/Chicago"}`)
	events := writeTemp(t, "events.json", `[{"at": "2026-07-03T10:00:00-05:00", "type": "form_submitted", "form": "webinar_registration",
  "properties": {"session_id": "2026-08", "session_starts_at": "2026-08-13T11:00:00-05:00", "join_url": "https://webinars.example/j/0813"}}]`)
	code, out, errOut := runCLI(t, "simulate", "../../examples/webinar", "--contact", contact, "--events", events,
		"--start", "2026-07-01T15:00:00-05:00", "--for", "50d",
		"--property", "session_id=2026-07", "--property", "session_starts_at=2026-07-09T11:00:00-05:00", "--property", "join_url=https://webinars.example/j/0709")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"Wed 01 Jul 15:00 CDT  entered campaign webinar (trigger registered, key 2026-07)",
		"Fri 03 Jul 10:00 CDT  entered campaign webinar (trigger registered, key 2026-08)",
		`Wed 08 Jul 08:00 CDT  sent email reminder_tomorrow "Tomorrow: Forecasting with Brightline, live"`,
		`Wed 12 Aug 08:00 CDT  sent email reminder_tomorrow "Tomorrow: Forecasting with Brightline, live"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the timeline does not say %q:\n%s", want, out)
		}
	}
	code, _, errOut = runCLI(t, "simulate", "../../examples/webinar", "--contact", contact, "--property", "session_id")
	if code != 2 || !strings.Contains(errOut, `--property: property "session_id" is not NAME=VALUE`) {
		t.Errorf("a --property without a value: exit %d, %s", code, errOut)
	}
	bad := writeTemp(t, "bad.json", `[{"at": "2026-07-03T10:00:00-05:00", "type": "form_submitted", "form": "webinar_registration", "properties": ["x"]}]`)
	code, _, errOut = runCLI(t, "simulate", "../../examples/webinar", "--contact", contact, "--events", bad)
	if code != 2 || !strings.Contains(errOut, `event 1: "properties" must be an object`) {
		t.Errorf("properties that are no object: exit %d, %s", code, errOut)
	}
}
