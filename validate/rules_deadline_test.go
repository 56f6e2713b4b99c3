package validate_test

import (
	"fmt"
	"testing"
)

// A decision's deadline: exactly one of within, until and until_field,
// and the timer attributes that go with a date.

func TestDecisionDeadlineRules(t *testing.T) { runCases(t, deadlineCases) }

// deadlineWorkspace is a campaign around one decision whose deadline
// attributes are given.
func deadlineWorkspace(deadline string) string {
	return fmt.Sprintf(`field "renews_on" {
  type = date
}

field "plan" {
  type = string
}

product "pro" {}

campaign "c" {
  trigger "t" {
    on   = contact_created()
    next = decision.renewed
  }

  decision "renewed" {
    on = product_purchased(product.pro)
%s
    yes = end.done
    no  = end.lost
  }

  end "done" {}
  end "lost" {}
}
`, deadline)
}

var deadlineCases = []ruleCase{
	{
		name: "no deadline at all",
		rule: "schema",
		src:  deadlineWorkspace(""),
		want: []want{{rule: "schema", sev: E, at: `decision "renewed"`,
			msg:  []string{"sets none of within, until, until_field or until_event", "no deadline", "wait for the event forever"},
			hint: []string{"set one of within, until, until_field or until_event"}}},
	},
	{
		name: "within and until_field",
		rule: "schema",
		src: deadlineWorkspace(`    within      = "3d"
    until_field = field.renews_on`),
		want: []want{{rule: "schema", sev: E, at: `until_field = field.renews_on`,
			msg: []string{"both within and until_field", "exclude each other"}, hint: []string{"keep only one of within, until, until_field or until_event"}}},
	},
	{
		name: "until and until_field",
		rule: "schema",
		src: deadlineWorkspace(`    until       = "2026-12-24"
    until_field = field.renews_on`),
		want: []want{{rule: "schema", sev: E, at: `until_field = field.renews_on`,
			msg: []string{"both until and until_field"}, hint: []string{"keep only one"}}},
	},
	{
		name: "at and time_zone beside within",
		rule: "schema",
		src: deadlineWorkspace(`    within    = "3d"
    at        = "09:00"
    time_zone = "contact"`),
		want: []want{
			{rule: "schema", sev: E, at: `at        = "09:00"`,
				msg: []string{"at only goes with until, until_field or until_event"}, hint: []string{"remove at"}},
			{rule: "schema", sev: E, at: `time_zone = "contact"`,
				msg: []string{"time_zone only goes with until, until_field or until_event"}, hint: []string{"remove time_zone"}},
		},
	},
	{
		name: "offset and annual beside until",
		rule: "schema",
		src: deadlineWorkspace(`    until  = "2026-12-24"
    offset = "-1d"
    annual = true`),
		want: []want{
			{rule: "schema", sev: E, at: `offset = "-1d"`, msg: []string{"offset only goes with until_field"}, hint: []string{"set until_field"}},
			{rule: "schema", sev: E, at: `annual = true`, msg: []string{"annual only goes with until_field"}, hint: []string{"set until_field"}},
		},
	},
	{
		name: "a date-time and an at",
		rule: "schema",
		src: deadlineWorkspace(`    until = "2026-12-24T18:00"
    at    = "09:00"`),
		want: []want{{rule: "schema", sev: E, at: `at    = "09:00"`,
			msg: []string{"until already has a time of day"}, hint: []string{"remove at"}}},
	},
	{
		name: "until_field on a field that holds no date",
		rule: "type",
		src:  deadlineWorkspace(`    until_field = field.plan`),
		want: []want{{rule: "type", sev: E, at: `field.plan`,
			msg: []string{"until_field must be a date or datetime field", "plan is a string field"}, hint: []string{"type = date"}}},
	},
	{
		name: "an until that is not a date",
		rule: "invalid-value",
		src:  deadlineWorkspace(`    until = "Christmas"`),
		want: []want{{rule: "invalid-value", sev: E, at: `"Christmas"`,
			msg: []string{"not a date"}, hint: []string{"2026-07-04"}}},
	},
	{
		name: "a deadline date gone by",
		rule: "past-date",
		src:  deadlineWorkspace(`    until = "2026-05-01"`),
		want: []want{{rule: "past-date", sev: W, at: `until = "2026-05-01"`,
			msg:  []string{`decision "renewed"`, "2026-05-01 10:00", "has passed", "takes no at once"},
			hint: []string{"future date", "within"}}},
	},
	{
		name: "every deadline a date can be",
		rule: "schema",
		files: map[string]string{
			"main.journey.hcl": deadlineWorkspace(`    until_field = field.renews_on
    offset      = "-2d"
    annual      = true
    at          = "23:00"
    time_zone   = "contact"`),
			"more.journey.hcl": `campaign "sale" {
  trigger "t" {
    on   = contact_created()
    next = decision.bought
  }

  decision "bought" {
    on        = product_purchased(product.pro)
    until     = "2026-12-24"
    at        = "18:00"
    time_zone = "Europe/Berlin"
    yes       = end.done
    no        = end.done
  }

  end "done" {}
}
`,
		},
	},
	{
		name: "a draft decision's date gone by",
		rule: "past-date",
		src: deadlineWorkspace(`    until = "2026-05-01"
    draft = true`),
		allow: []string{"draft-element"},
	},
}
