package validate_test

import (
	"fmt"
	"testing"
)

// Relative dates in update_contact: today() and date_add go into date
// fields, with arguments the runtime can read.

func TestRelativeDateRules(t *testing.T) { runCases(t, relativeDateCases) }

// setWorkspace is a campaign whose update_contact sets the given values.
func setWorkspace(set string) string {
	return fmt.Sprintf(`field "renews_on" {
  type = date
}

field "call_at" {
  type = datetime
}

field "plan" {
  type = string
}

field "score" {
  type = number
}

campaign "c" {
  trigger "t" {
    on   = contact_created()
    next = update_contact.dates
  }

  update_contact "dates" {
%s
  }
}
`, set)
}

var relativeDateCases = []ruleCase{
	{
		name: "a relative date into a text field",
		rule: "type",
		src:  setWorkspace(`    set = { plan = date_add(today(), "14d") }`),
		want: []want{{rule: "type", sev: E, at: `date_add(today(), "14d")`,
			msg:  []string{"plan is a string field", `date_add(today(), "14d") is a date`, "only a date or datetime field holds"},
			hint: []string{"set a date field", "format("}}},
	},
	{
		name: "today() into a number field, through a conditional",
		rule: "type",
		src:  setWorkspace(`    set = { score = contact.plan == "" ? today() : 1 }`),
		want: []want{{rule: "type", sev: E, at: `contact.plan == ""`,
			msg: []string{"score is a number field", "today() is a date"}, hint: []string{"date field"}}},
	},
	{
		name: "a duration date_add cannot read",
		rule: "type",
		src:  setWorkspace(`    set = { renews_on = date_add(contact.renews_on, "2 weeks") }`),
		want: []want{{rule: "type", sev: E, at: `2 weeks"`,
			msg: []string{`"2 weeks" is not a duration`}, hint: []string{`"2d"`, `"1w"`}}},
	},
	{
		name: "a duration too long",
		rule: "type",
		src:  setWorkspace(`    set = { renews_on = date_add(contact.renews_on, "100000d") }`),
		want: []want{{rule: "type", sev: E, at: `100000d"`,
			msg: []string{"longer than", `"36600d"`}, hint: []string{"duration"}}},
	},
	{
		name: "a number to add to",
		rule: "type",
		src:  setWorkspace(`    set = { renews_on = date_add(contact.score, "1d") }`),
		want: []want{{rule: "type", sev: E, at: `contact.score, "1d"`,
			msg: []string{"date_add adds to a date", "a number"}, hint: []string{"today()", "datetime field"}}},
	},
	{
		name: "a literal that is not a date",
		rule: "type",
		src:  setWorkspace(`    set = { renews_on = date_add("tomorrow", "1d") }`),
		want: []want{{rule: "type", sev: E, at: `tomorrow"`,
			msg: []string{`"tomorrow" is not a date`}, hint: []string{`"2026-07-04"`}}},
	},
	{
		name: "a zone that does not exist",
		rule: "invalid-value",
		src: setWorkspace(`    set       = { renews_on = today() }
    time_zone = "Mars/Base"`),
		want: []want{{rule: "invalid-value", sev: E, at: `"Mars/Base"`,
			msg: []string{"not an IANA time zone"}, hint: []string{"America/New_York"}}},
	},
	{
		name: "relative dates where they belong",
		rule: "type",
		src: setWorkspace(`    set = {
      renews_on = date_add(coalesce(contact.renews_on, today()), "-2d")
      call_at   = date_add(now(), "1d2h")
      plan      = "renews ${date_add(contact.renews_on, "1w")}"
    }
    time_zone = "contact"`),
	},
}
