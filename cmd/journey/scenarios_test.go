package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// onboardingCopy copies the onboarding example's campaign files (not its
// scenarios) to dir, and writes files there (relative path -> content).
func onboardingCopy(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "onboarding")
	for _, name := range []string{"account.journey.hcl", "assets.journey.hcl", "onboarding.journey.hcl", "trial_tips.journey.hcl", "emails/welcome.html"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// typoScenario misspells the email on line 6, column 12.
const typoScenario = `scenario "welcome goes at once" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  contact  = { email = "ada@example.com", trial_ends = "2026-06-26" }
  expect {
    sent = email.welcom
    at   = "2026-06-12T16:20:00-04:00"
  }
}
`

// unclosedScenario does not parse.
const unclosedScenario = `scenario "unclosed" {
  campaign = campaign.trial_onboarding
`

// journey validate reads the scenario files too: their findings are
// reported like any other, count in the summary and fail the run.
func TestValidateReportsScenarioFindings(t *testing.T) {
	dir := onboardingCopy(t, t.TempDir(), map[string]string{"typo.journeytest.hcl": typoScenario, "unclosed.journeytest.hcl": unclosedScenario})

	code, out, errOut := runCLI(t, "validate", dir)
	if code != exitFailed {
		t.Fatalf("journey validate exited %d, want 1: a broken scenario file must fail it\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		`typo.journeytest.hcl:6:12: error [unknown-reference] there is no email "welcom"`,
		"    sent = email.welcom\n",
		"hint: did you mean email.welcome?",
		"unclosed.journeytest.hcl:1:21: error [syntax]",
		"2 errors, 0 warnings in 6 files.", // four campaign files and two scenario files
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "not with") {
		t.Errorf("a derived complaint about at beside the unknown reference:\n%s", out)
	}

	code, out, _ = runCLI(t, "validate", "--format", "json", dir)
	var doc struct {
		Valid    bool `json:"valid"`
		Errors   int  `json:"error_count"`
		Findings []struct {
			Rule  string `json:"rule"`
			Range struct {
				Filename string `json:"filename"`
				Start    struct{ Line, Column int }
			} `json:"range"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--format json: %v\n%s", err, out)
	}
	if code != exitFailed || doc.Valid || doc.Errors != 2 || len(doc.Findings) != 2 {
		t.Fatalf("--format json: exit %d, %+v", code, doc)
	}
	if f := doc.Findings[0]; f.Rule != "unknown-reference" || f.Range.Filename != "typo.journeytest.hcl" || f.Range.Start.Line != 6 || f.Range.Start.Column != 12 {
		t.Errorf("--format json: first finding %+v, want unknown-reference at typo.journeytest.hcl:6:12", f)
	}

	code, out, _ = runCLI(t, "validate", "--format", "sarif", dir)
	if code != exitFailed || !strings.Contains(out, `/typo.journeytest.hcl"`) || !strings.Contains(out, `"startLine": 6`) {
		t.Errorf("--format sarif: exit %d, no result at typo.journeytest.hcl line 6:\n%s", code, out)
	}

	code, out, _ = runCLI(t, "validate", "--format", "github", dir)
	if code != exitFailed || !strings.Contains(out, "/typo.journeytest.hcl,line=6,col=12,") {
		t.Errorf("--format github: exit %d, no annotation on typo.journeytest.hcl:6:12:\n%s", code, out)
	}
}

// --recursive reads each workspace's scenario files, named from DIR.
func TestValidateRecursiveReportsScenarioFindings(t *testing.T) {
	root := t.TempDir()
	onboardingCopy(t, filepath.Join(root, "us"), nil)
	onboardingCopy(t, filepath.Join(root, "eu"), map[string]string{"typo.journeytest.hcl": typoScenario})
	code, out, errOut := runCLI(t, "validate", "-r", root)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{`eu/typo.journeytest.hcl:6:12: error [unknown-reference]`, "1 error, 0 warnings in 9 files."} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// The plan does not need the scenarios: compile, graph and simulate work on
// a workspace whose only errors are in scenario files, which journey test
// and journey validate refuse.
func TestCompileIgnoresScenarioFiles(t *testing.T) {
	dir := onboardingCopy(t, t.TempDir(), map[string]string{"typo.journeytest.hcl": typoScenario, "unclosed.journeytest.hcl": unclosedScenario})
	code, out, errOut := runCLI(t, "compile", dir)
	if code != 0 || !strings.Contains(out, `"format_version"`) || errOut != "" {
		t.Errorf("journey compile exited %d; stderr:\n%s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "graph", dir); code != 0 {
		t.Errorf("journey graph exited %d; stderr:\n%s", code, errOut)
	}
	contact := writeTemp(t, "ada.json", ada)
	if code, _, errOut := runCLI(t, "simulate", dir, "--contact", contact, "--start", "2026-06-12T16:20:00-04:00", "--for", "1d"); code != 0 {
		t.Errorf("journey simulate exited %d; stderr:\n%s", code, errOut)
	}

	code, out, errOut = runCLI(t, "test", dir)
	if code != exitFailed {
		t.Fatalf("journey test exited %d, want 1\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, `typo.journeytest.hcl:6:12: error [unknown-reference] there is no email "welcom"`) || !strings.Contains(errOut, "2 errors, 0 warnings in 6 files.") {
		t.Errorf("journey test does not show the scenario findings:\n%s", errOut)
	}
	if !strings.Contains(out, "FAIL\t"+dir+"\t[the scenarios do not compile]") {
		t.Errorf("no FAIL line:\n%s", out)
	}
}

// journey test on a workspace whose campaigns have errors shows every
// finding, campaign and scenario alike, and goes on with the next
// workspace under --recursive.
func TestTestReportsCampaignErrorsAndGoesOn(t *testing.T) {
	root := t.TempDir()
	good := `scenario "welcome" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  contact  = { email = "ada@example.com", trial_ends = "2026-06-26" }
  expect {
    sent = email.welcome
  }
}
`
	onboardingCopy(t, filepath.Join(root, "a"), map[string]string{"broken.journey.hcl": "tag \"x\" {\n  colour = 1\n}\n", "typo.journeytest.hcl": typoScenario})
	onboardingCopy(t, filepath.Join(root, "b"), map[string]string{"good.journeytest.hcl": good})
	code, out, errOut := runCLI(t, "test", "-r", root)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"broken.journey.hcl:2:3: error [schema]", "typo.journeytest.hcl:6:12: error [unknown-reference]"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in stderr:\n%s", want, errOut)
		}
	}
	for _, want := range []string{"FAIL\t" + filepath.Join(root, "a") + "\t[the workspace does not validate]", "ok  \t" + filepath.Join(root, "b")} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in stdout:\n%s", want, out)
		}
	}
}

// goodScenario passes on the onboarding campaign.
const goodScenario = `scenario "welcome goes at once" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  contact  = { email = "ada@example.com", trial_ends = "2026-06-26" }
  expect {
    sent = email.welcome
    at   = "2026-06-12T16:20:00-04:00"
  }
}
`

// journey test that finds nothing to run says so and fails, with -r or
// without, whatever hid the scenarios.
func TestTestFindingNothingFails(t *testing.T) {
	noScenarios := t.TempDir()
	onboardingCopy(t, filepath.Join(noScenarios, "us"), nil)
	withScenario := onboardingCopy(t, t.TempDir(), map[string]string{"good.journeytest.hcl": goodScenario})
	missing := filepath.Join(t.TempDir(), "does-not-exist")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"-r, no scenario files", []string{"-r", noScenarios}, "no scenarios in " + noScenarios + " or below it: write them in *.journeytest.hcl files beside the campaigns"},
		{"no scenario files", []string{filepath.Join(noScenarios, "us")}, "no scenarios in " + filepath.Join(noScenarios, "us") + ": write them in *.journeytest.hcl files"},
		{"--run matches none", []string{"--run", "nudge", withScenario}, `no scenario matches --run "nudge": ` + withScenario + " has 1 scenario"},
		{"-r, --run matches none", []string{"-r", "--run", "nudge", withScenario}, `no scenario matches --run "nudge": ` + withScenario + " and below it have 1 scenario"},
		{"-r, a directory that does not exist", []string{"-r", missing}, missing + " does not exist"},
		{"a directory that does not exist", []string{missing}, missing + " does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"test"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q (stdout %q); want exit 2 saying %q", code, errOut, out, tc.want)
			}
		})
	}
}

// A failed send expectation says why in the engine's words, and the sends
// diff has no empty line and no "-" for an expectation that held.
func TestTestFailureSaysWhy(t *testing.T) {
	dir := onboardingCopy(t, t.TempDir(), map[string]string{"why.journeytest.hcl": `scenario "no address" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  for      = "3d"
  contact  = { first_name = "Ada", trial_ends = "2026-06-26" }
  expect {
    sent = email.welcome
  }
}

scenario "the nudge on Saturday" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00"
  for      = "3d"
  contact  = { email = "ada@example.com", phone = "+15550123", trial_ends = "2026-06-26" }
  expect {
    sent = email.welcome
  }
  expect {
    sent   = sms.setup_nudge
    within = "1d"
  }
}
`})
	code, out, errOut := runCLI(t, "test", dir)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"why.journeytest.hcl:6: expected email welcome to be sent; it never was: send_email welcome skipped it at Fri 12 Jun 2026 16:20 EDT: no email address\n",
		"    sends (- expected; nothing was sent):\n      - any time  sent email welcome\n",
		"why.journeytest.hcl:19: expected sms setup_nudge within 1d (by Sat 13 Jun 2026 16:20 EDT); it was sent at Mon 15 Jun 2026 09:00 EDT\n",
		"        Fri 12 Jun 2026 16:20 EDT  sent email welcome\n",
		"      - by Sat 13 Jun 2026 16:20 EDT  sent sms setup_nudge\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if op := strings.TrimSpace(line); op == "+" || op == "-" {
			t.Errorf("an empty diff line %q in:\n%s", line, out)
		}
	}
	if strings.Contains(out, "- any time  sent email welcome\n      + Fri") || strings.Contains(out, "- any time  sent email welcome\n      + ") {
		t.Errorf("an expectation that held shows as missing:\n%s", out)
	}
}
