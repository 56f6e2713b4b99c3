package validate_test

import (
	"fmt"
	"testing"
)

// Event properties, page visits and keyed entry: what validate says about
// event.NAME, page_visited's pattern and key.

func TestEventPropertyRules(t *testing.T) {
	cases := append([]ruleCase(nil), eventPropertyCases...)
	for i := range cases {
		if cases[i].rule != "unused" {
			// The shared declarations are not all used by every case.
			cases[i].allow = append(cases[i].allow, "unused")
		}
	}
	runCases(t, cases)
}

// appointmentWorkspace declares an api event and a form with properties,
// and holds campaign (and rule) blocks around them.
func appointmentWorkspace(blocks string) string {
	return fmt.Sprintf(`event "appointment_booked" {
  property "appointment_id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
  property "price" {
    type = number
  }
}

form "contact_us" {
  property "message" {
    type = string
  }
}

tag "vip" {}

%s`, blocks)
}

var eventPropertyCases = []ruleCase{
	{
		name: "every property read where its event carries it",
		rule: "unknown-reference",
		src: appointmentWorkspace(`email "reminder" {
  subject = "Your appointment on ${event.starts_at}"
  body    = "Booking ${event.appointment_id}"
  kind    = "transactional"
}

campaign "reminders" {
  reentry = "always"

  trigger "booked" {
    on    = api("appointment_booked")
    key   = event.appointment_id
    where = event.price > 0
    next  = wait.day_before
  }
  goal "moved" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    next        = send_email.remind
  }
  send_email "remind" {
    email = email.reminder
    next  = condition.paid
  }
  condition "paid" {
    if   = event.price >= 100
    then = change_tags.vip
  }
  change_tags "vip" {
    add = [tag.vip]
  }
}

campaign "inbox" {
  trigger "wrote" {
    on   = form_submitted(form.contact_us)
    next = apply_note.message
  }
  apply_note "message" {
    text = "Wrote: ${event.message}"
  }
}

rule "big_order" {
  when = api("appointment_booked")
  if   = event.price > 500
  then {
    apply_note {
      text = "Big booking ${event.appointment_id}"
    }
  }
}
`),
	},
	{
		name: "a property the event does not declare",
		rule: "unknown-reference",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on    = api("appointment_booked")
    where = event.startsat != ""
  }
}
`),
		want: []want{{rule: "unknown-reference", sev: E, at: `event.startsat`,
			msg:  []string{`api("appointment_booked")`, `carries no property "startsat"`},
			hint: []string{"did you mean event.starts_at?"}}},
	},
	{
		name: "an api event nobody declared",
		rule: "unknown-reference",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "paid" {
    on    = api("invoice_paid")
    where = event.amount > 0
  }
}
`),
		want: []want{{rule: "unknown-reference", sev: E, at: `event.amount`,
			msg:  []string{`api("invoice_paid")`, `carries no property "amount"`},
			hint: []string{`declare it: event "invoice_paid" { property "amount" { type = string } }`}}},
	},
	{
		name: "a path one of whose entries lacks the property",
		rule: "unknown-reference",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = wait.day_before
  }
  trigger "wrote" {
    on   = form_submitted(form.contact_us)
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
  }
}
`),
		want: []want{{rule: "unknown-reference", sev: E, at: `event.starts_at`,
			msg:  []string{"event.starts_at is not carried by form_submitted(form.contact_us)", `trigger "wrote"`, "leads here"},
			hint: []string{"read it only on paths whose events all carry it", `property "starts_at" { type = string } block in form "contact_us"`}}},
	},
	{
		name: "a sequence step sends a message that reads the event",
		rule: "unknown-reference",
		src: appointmentWorkspace(`email "reminder" {
  subject = "See you on ${event.starts_at}"
  body    = "x"
}

sequence "nurture" {
  step "one" {
    email = email.reminder
  }
}

campaign "c" {
  trigger "t" {
    on   = api("appointment_booked")
    next = add_to_sequence.nurture
  }
  add_to_sequence "nurture" {
    sequence = sequence.nurture
  }
}
`),
		want: []want{{rule: "unknown-reference", sev: E, at: `event.starts_at`,
			msg:  []string{"event.starts_at cannot be read here", `step "one" of sequence "nurture" sends email "reminder"`, "runs on its schedule"},
			hint: []string{"read a contact field instead"}}},
	},
	{
		name: "a message sent where its events give a property two types",
		rule: "type",
		src: appointmentWorkspace(`event "invoice_paid" {
  property "price" {
    type = string
  }
}

email "receipt" {
  subject = "Paid ${event.price}"
  body    = "x"
  kind    = "transactional"
}

campaign "c" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
  }
}

rule "paid" {
  when = api("invoice_paid")
  then {
    send_email {
      email = email.receipt
    }
  }
}
`),
		want: []want{{rule: "type", sev: E, at: `event.price`,
			msg:  []string{"event.price is a", "number", "string", "both lead here"},
			hint: []string{"declare the property with one type in both"}}},
	},
	{
		name: "a key that is no id",
		rule: "type",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on  = api("appointment_booked")
    key = event.starts_at
  }
}
`),
		want: []want{{rule: "type", sev: E, at: `event.starts_at`,
			msg:  []string{"the key event.starts_at is a datetime property"},
			hint: []string{"string or number property"}}},
	},
	{
		name: "a goal's key in a campaign without keyed entries",
		rule: "schema",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = wait.later
  }
  goal "moved" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.later
  }
  wait "later" {
    for = "1d"
  }
}
`),
		want: []want{{rule: "schema", sev: E, at: `event.appointment_id`,
			msg:  []string{`goal "moved" has a key`, "no trigger of campaign \"reminders\" has one"},
			hint: []string{"give the campaign's triggers a key"}}},
	},
	{
		name: "until_event on a property that is no date",
		rule: "type",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = wait.later
  }
  wait "later" {
    until_event = event.price
  }
}
`),
		want: []want{{rule: "type", sev: E, at: `event.price`,
			msg:  []string{"until_event must be a date or datetime property", "event.price is a number"},
			hint: []string{"type = date or type = datetime"}}},
	},
	{
		name: "until_event beside for",
		rule: "schema",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = wait.later
  }
  wait "later" {
    for         = "1d"
    until_event = event.starts_at
  }
}
`),
		want: []want{{rule: "schema", sev: E, at: `until_event`,
			msg: []string{"for and until_event exclude each other"}, hint: []string{"keep only one"}}},
	},
	{
		name: "offset without a date to move",
		rule: "schema",
		src: appointmentWorkspace(`campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = wait.later
  }
  wait "later" {
    for    = "1d"
    offset = "-1d"
  }
}
`),
		want: []want{{rule: "schema", sev: E, at: `offset`,
			msg: []string{"offset only goes with until_field or until_event"}, hint: []string{"set until_field or until_event"}}},
	},
	{
		name: "event.X where there is no event",
		rule: "unknown-reference",
		src: appointmentWorkspace(`sequence "s" {
  step "one" {
    rule {
      if = event.price > 0
      then {
        change_tags {
          add = [tag.vip]
        }
      }
    }
  }
}

campaign "c" {
  trigger "t" {
    on   = contact_created()
    next = add_to_sequence.s
  }
  add_to_sequence "s" {
    sequence = sequence.s
  }
}
`),
		want: []want{{rule: "unknown-reference", sev: E, at: `event.price`,
			msg: []string{"event.price cannot be read here", "runs on its schedule"}, hint: []string{"read a contact field instead"}}},
	},
	{
		name: "a property declared twice",
		rule: "duplicate-name",
		src: `event "booked" {
  property "id" {
    type = string
  }
  property "id" {
    type = number
  }
}

campaign "c" {
  trigger "t" {
    on = api("booked")
  }
}
`,
		want: []want{{rule: "duplicate-name", sev: E, line: 5,
			msg: []string{`event "booked" declares the property "id" twice`}, hint: []string{"remove one"}}},
	},
	{
		name: "an event declaration no api event uses",
		rule: "unused",
		src: `event "appointment_booked" {}

campaign "c" {
  trigger "t" {
    on = api("appointment_bookd")
  }
}
`,
		want: []want{{rule: "unused", sev: W, at: `event "appointment_booked"`,
			msg: []string{`event "appointment_booked" is declared but nothing uses it`}, hint: []string{`listen for it with api("appointment_booked")`}}},
	},
}

func TestPageVisitRules(t *testing.T) { runCases(t, pageVisitCases) }

var pageVisitCases = []ruleCase{
	{
		name: "a page and a prefix",
		rule: "invalid-value",
		src: `campaign "c" {
  trigger "pricing" {
    on    = page_visited("https://shop.example/pricing*")
    where = event.url != ""
    next  = decision.checkout
  }
  decision "checkout" {
    on     = page_visited("https://shop.example/checkout")
    within = "1d"
  }
}
`,
	},
	{
		name: "a star inside the URL",
		rule: "invalid-value",
		src: `campaign "c" {
  trigger "pricing" {
    on = page_visited("https://shop.example/*/pricing")
  }
}
`,
		want: []want{{rule: "invalid-value", sev: E, at: `"https://shop.example/*/pricing"`,
			msg:  []string{"is not a page", "a * may only end the pattern"},
			hint: []string{"or the start of it followed by *"}}},
	},
	{
		name: "a path without its site",
		rule: "invalid-value",
		src: `campaign "c" {
  trigger "pricing" {
    on = page_visited("/pricing")
  }
}
`,
		want: []want{{rule: "invalid-value", sev: E, at: `"/pricing"`,
			msg:  []string{"is not a page", "absolute http(s) URL"},
			hint: []string{`"https://example.com/pricing"`}}},
	},
}

func TestScenarioPropertyRules(t *testing.T) { runCases(t, scenarioPropertyCases) }

// keyedCampaign reminds of each appointment booked, once per appointment.
const keyedCampaign = `event "appointment_booked" {
  property "appointment_id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
}

campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
  }
}
`

func keyedScenario(body string) map[string]string {
	return map[string]string{"reminders.journeytest.hcl": fmt.Sprintf(`scenario "reminded" {
  campaign = campaign.reminders
  start    = "2026-06-10T13:37:00-04:00"
%s
}
`, body)}
}

var scenarioPropertyCases = []ruleCase{
	{
		name: "the entry's event and a second booking, as the event declares them",
		rule: "unknown-reference",
		src:  keyedCampaign,
		files: keyedScenario(`  properties = { appointment_id = "a-1", starts_at = "2026-06-15T14:00:00-04:00" }
  event {
    after      = "1h"
    on         = api("appointment_booked")
    properties = { appointment_id = "a-2", starts_at = "2026-06-20T11:30" }
  }`),
	},
	{
		name:  "a keyed entry without its key",
		rule:  "schema",
		src:   keyedCampaign,
		files: keyedScenario(`  properties = { starts_at = "2026-06-15T14:00:00-04:00" }`),
		want: []want{{rule: "schema", sev: E, file: "reminders.journeytest.hcl", line: 4,
			msg:  []string{`trigger "booked", whose key is event.appointment_id`, "have no appointment_id", "would not enter"},
			hint: []string{`properties = { appointment_id = "..." }`}}},
	},
	{
		name:  "a property the event does not declare",
		rule:  "unknown-reference",
		src:   keyedCampaign,
		files: keyedScenario(`  properties = { appointment_id = "a-1", start_at = "2026-06-15T14:00:00-04:00" }`),
		want: []want{{rule: "unknown-reference", sev: E, file: "reminders.journeytest.hcl", line: 4,
			msg:  []string{`carries no property "start_at"`},
			hint: []string{"did you mean event.starts_at?"}}},
	},
	{
		name: "a date that is none",
		rule: "type",
		src:  keyedCampaign,
		files: keyedScenario(`  properties = { appointment_id = "a-1" }
  event {
    after      = "1h"
    on         = api("appointment_booked")
    properties = { appointment_id = "a-2", starts_at = "next Tuesday" }
  }`),
		want: []want{{rule: "type", sev: E, file: "reminders.journeytest.hcl", line: 8,
			msg:  []string{`the property starts_at is a datetime; "next Tuesday" is not one`},
			hint: []string{"give starts_at a datetime"}}},
	},
}
