package compiler_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang"
)

// scenarioCampaign is a small workspace the scenario tests run against.
const scenarioCampaign = `
account {
  time_zone = "America/New_York"
  senders   = ["team@example.com"]
}

form "signup" {}
tag "customer" {}

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

// compileScenarios compiles the workspace and its scenario file, failing
// the test when the campaigns themselves do not compile.
func compileScenarios(t *testing.T, scenarios string) (*compiler.Program, []plan.Scenario, hcl.Diagnostics) {
	t.Helper()
	fsys := fstest.MapFS{
		"main.journey.hcl":     {Data: []byte(scenarioCampaign)},
		"main.journeytest.hcl": {Data: []byte(scenarios)},
	}
	ws, diags, err := lang.Load(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	prog, cdiags := compiler.Compile(ws)
	if diags = append(diags, cdiags...); diags.HasErrors() {
		t.Fatalf("the campaigns do not compile: %s", diags)
	}
	tests, tdiags, err := lang.LoadTests(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	scs, sdiags := compiler.Scenarios(prog, tests)
	return prog, scs, append(tdiags, sdiags...)
}

func messages(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Subject.String()+": ["+lang.RuleOf(d)+"] "+d.Summary)
	}
	return out
}

// An expectation whose message does not resolve is one finding, the unknown
// reference: not also a complaint that at "does not go with" an empty kind.
func TestScenarioUnresolvedSentIsOneFinding(t *testing.T) {
	_, _, diags := compileScenarios(t, `
scenario "typo" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  expect {
    sent = email.welcom
    at   = "2026-06-10T13:37:00-04:00"
  }
}
`)
	got := messages(diags)
	if len(got) != 1 || !strings.Contains(got[0], `main.journeytest.hcl:6,12-24: [unknown-reference] there is no email "welcom"`) {
		t.Fatalf("want the one unknown reference at 6:12, got:\n%s", strings.Join(got, "\n"))
	}
	if !strings.Contains(diags[0].Detail, "email.welcome") {
		t.Errorf("the hint %q does not suggest email.welcome", diags[0].Detail)
	}
}

// at and within with an expectation they do not fit are reported at the
// attribute, naming the expectation, whether its reference resolved or not.
func TestScenarioMisplacedAtNamesTheExpectation(t *testing.T) {
	for _, tc := range []struct{ name, expect, want string }{
		{"known tag", `has_tag = tag.customer`, "within does not go with has_tag: only sent takes a deadline"},
		{"unknown tag", `has_tag = tag.custmer`, "within does not go with has_tag: only sent takes a deadline"},
		{"never_sent", `never_sent = email.welcome`, "within does not go with never_sent: only sent takes a deadline"},
		{"status", `status = "exited"`, "within does not go with status: only sent takes a deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, diags := compileScenarios(t, `
scenario "misplaced" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  expect {
    `+tc.expect+`
    within = "2d"
  }
}
`)
			var found bool
			for _, m := range messages(diags) {
				if strings.Contains(m, "does not go with") {
					found = true
					if want := "main.journeytest.hcl:7,5-11: [schema] " + tc.want; m != want {
						t.Errorf("got  %s\nwant %s", m, want)
					}
				}
			}
			if !found {
				t.Errorf("no complaint about within in:\n%s", strings.Join(messages(diags), "\n"))
			}
		})
	}
}

// Checking scenarios reads the program: references from a test are not
// uses of a declaration, and a typo in a test does not mark a declaration
// as suggested (validate's unused rule reads both).
func TestScenariosLeaveTheProgramAlone(t *testing.T) {
	prog, scs, diags := compileScenarios(t, `
scenario "uses" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  expect {
    has_tag = tag.customer
  }
  expect {
    sent = email.welcom
  }
}
`)
	if len(diags) != 1 || len(scs) != 0 {
		t.Fatalf("want one finding (the typo) and no scenario, got %d scenarios and:\n%s", len(scs), strings.Join(messages(diags), "\n"))
	}
	customer := prog.Decls["tag"]["customer"]
	if uses := prog.Uses[customer]; len(uses) != 0 {
		t.Errorf("tag.customer has %d uses after the scenarios were checked, want 0 (only the test names it)", len(uses))
	}
	if welcome := prog.Decls["email"]["welcome"]; prog.Suggested[welcome] {
		t.Error("email.welcome is marked suggested by a typo in a scenario")
	}
}

// A sent with both at and within would check only at: the author is told
// to keep one.
func TestScenarioSentWithAtAndWithin(t *testing.T) {
	_, _, diags := compileScenarios(t, `
scenario "both" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  expect {
    sent   = email.welcome
    at     = "2026-06-10T13:37:00-04:00"
    within = "1d"
  }
}
`)
	got := messages(diags)
	want := "main.journeytest.hcl:8,5-11: [schema] sent has both at and within: at is the exact time, within a deadline"
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
