package validate_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/journeyhq/journey/validate"
)

// scenarioWorkspace is a campaign the scenario files below test.
const scenarioWorkspace = `
account {
  time_zone = "America/New_York"
  senders   = ["team@example.com"]
}

form "signup" {}

email "welcome" {
  subject = "Welcome"
  body    = "Hello"
}

campaign "onboarding" {
  trigger "signup" {
    on   = form_submitted(form.signup)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.welcome
    next  = end.done
  }
  end "done" {}
}
`

const goodScenario = `scenario "welcome at once" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.welcome
  }
}
`

// typoScenario references an email that does not exist (line 6, column 12).
const typoScenario = `scenario "typo" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.welcom
  }
}
`

// brokenScenario does not parse: the block is never closed.
const brokenScenario = `scenario "broken" {
  campaign = campaign.onboarding
`

func scenarioFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

// findingLines are the findings as file:line:col [rule] message (hint).
func findingLines(fs []validate.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d:%d [%s] %s (%s)", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Rule, f.Message, f.Hint))
	}
	return out
}

// validate.Dir checks the scenario files beside the campaigns as journey
// test reads them: their syntax errors and unknown references are findings
// with their positions, and their files are files the run read.
func TestDirChecksScenarioFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		dir   string
		files map[string]string
		want  []string
	}{
		{
			name:  "unknown reference",
			dir:   ".",
			files: map[string]string{"main.journey.hcl": scenarioWorkspace, "good.journeytest.hcl": goodScenario, "typo.journeytest.hcl": typoScenario},
			want:  []string{`typo.journeytest.hcl:6:12 [unknown-reference] there is no email "welcom" (did you mean email.welcome?)`},
		},
		{
			name:  "syntax error",
			dir:   ".",
			files: map[string]string{"main.journey.hcl": scenarioWorkspace, "broken.journeytest.hcl": brokenScenario},
			want:  []string{"broken.journeytest.hcl:1:19 [syntax] "},
		},
		{
			name:  "a workspace below the root, as --recursive reads it",
			dir:   "eu",
			files: map[string]string{"eu/main.journey.hcl": scenarioWorkspace, "eu/typo.journeytest.hcl": typoScenario},
			want:  []string{`eu/typo.journeytest.hcl:6:12 [unknown-reference] there is no email "welcom"`},
		},
		{
			name: "campaigns that do not parse: the scenarios' own syntax is still checked",
			dir:  ".",
			files: map[string]string{"main.journey.hcl": scenarioWorkspace + "\ncampaign \"x\" {\n",
				"broken.journeytest.hcl": brokenScenario, "typo.journeytest.hcl": typoScenario},
			want: []string{"broken.journeytest.hcl:1:19 [syntax] ", "main.journey.hcl:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := validate.Dir(scenarioFS(tc.files), tc.dir, validate.Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			got := findingLines(res.Findings)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("finding %d is\n  %s\nwant it to start\n  %s", i, got[i], w)
				}
				if res.Findings[i].Severity != validate.Error {
					t.Errorf("finding %d is a %s, want an error: a broken test must fail validation", i, res.Findings[i].Severity)
				}
			}
			var names []string
			for name := range tc.files {
				if !strings.HasSuffix(name, "/") {
					names = append(names, name)
				}
			}
			sort.Strings(names)
			read := res.FileNames()
			sort.Strings(read)
			if strings.Join(read, " ") != strings.Join(names, " ") {
				t.Errorf("the run read %v, want every campaign and scenario file %v", read, names)
			}
			sources := res.Sources()
			for _, f := range res.Findings {
				if _, ok := sources[f.Range.Filename]; !ok {
					t.Errorf("no source for %s, where a finding points", f.Range.Filename)
				}
			}
		})
	}
}

// A scenario file that checks clean gives its scenarios, compiled, to the
// caller (journey test runs them).
func TestDirCompilesTheScenarios(t *testing.T) {
	res, err := validate.Dir(scenarioFS(map[string]string{"main.journey.hcl": scenarioWorkspace, "good.journeytest.hcl": goodScenario}), ".", validate.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("unexpected findings:\n%s", strings.Join(findingLines(res.Findings), "\n"))
	}
	if len(res.Scenarios) != 1 || res.Scenarios[0].Name != "welcome at once" || res.Scenarios[0].Campaign != "onboarding" {
		t.Errorf("scenarios: %+v", res.Scenarios)
	}
}

// SkipScenarios is the run of compile, plan, graph and simulate: the plan
// does not need the scenario files, so they are not read.
func TestDirSkipScenarios(t *testing.T) {
	fsys := scenarioFS(map[string]string{"main.journey.hcl": scenarioWorkspace, "typo.journeytest.hcl": typoScenario, "broken.journeytest.hcl": brokenScenario})
	res, err := validate.Dir(fsys, ".", validate.Options{Now: testNow, SkipScenarios: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings with SkipScenarios:\n%s", strings.Join(findingLines(res.Findings), "\n"))
	}
	if read := res.FileNames(); len(read) != 1 || read[0] != "main.journey.hcl" {
		t.Errorf("the run read %v, want only main.journey.hcl", read)
	}
}

// An email only a scenario sends is still unused by the campaigns: a test
// is not a use.
func TestScenarioReferencesAreNotUses(t *testing.T) {
	ws := strings.Replace(scenarioWorkspace, `campaign "onboarding"`, "email \"spare\" {\n  subject = \"S\"\n  body    = \"B\"\n}\n\ncampaign \"onboarding\"", 1)
	scenario := strings.Replace(goodScenario, "email.welcome", "email.spare", 1)
	res, err := validate.Dir(scenarioFS(map[string]string{"main.journey.hcl": ws, "spare.journeytest.hcl": scenario}), ".", validate.Options{Now: testNow, Only: []string{"unused"}})
	if err != nil {
		t.Fatal(err)
	}
	got := findingLines(res.Findings)
	if len(got) != 1 || !strings.Contains(got[0], `[unused] email "spare"`) {
		t.Errorf("want email spare reported unused, got:\n%s", strings.Join(got, "\n"))
	}
}
