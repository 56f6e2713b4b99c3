package runtime_test

import (
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
)

// Planted by internal/kindsgen's TestAddingAnActionKind in a copy of the
// repository where a whatsapp channel was added by the steps of
// docs/architecture.md, "Adding an action kind": the runtime's derived
// parts know the channel without being told.

const whatsappWorkspace = `
account {
  time_zone   = "America/New_York"
  sms_numbers = ["+15550100"]
}

form "signup" {}

whatsapp "hello" {
  body = "Hello, ${contact.first_name}!"
}

sequence "tips" {
  unsubscribe_after_last_step = true
  step "one" {
    schedule {
      days_after = 1
    }
    whatsapp = whatsapp.hello
  }
}

campaign "welcome" {
  trigger "signup" {
    on   = form_submitted(form.signup)
    next = send_whatsapp.hello
  }
  send_whatsapp "hello" {
    whatsapp = whatsapp.hello
    next     = add_to_sequence.tips
  }
  add_to_sequence "tips" {
    sequence = sequence.tips
  }
}
`

// A scenario's sent names the channel's message, and a failed one says
// which element and step send it and what they recorded.
func TestAddedChannelInScenarios(t *testing.T) {
	got := runScenariosWith(t, whatsappWorkspace, `
scenario "sent" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "3d"
  contact  = { first_name = "Ada", phone = "+15550199" }
  expect {
    sent = whatsapp.hello
    at   = "2026-06-10T13:37:00-04:00"
  }
}

scenario "no phone" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "3d"
  contact  = { first_name = "Bo" }
  expect {
    sent = whatsapp.hello
  }
}
`, 0)
	if len(got["sent"]) != 0 {
		t.Errorf("scenario sent: %v", got["sent"])
	}
	why := strings.Join(got["no phone"], "\n")
	for _, want := range []string{"expected whatsapp hello to be sent", "send_whatsapp hello", "no phone number", "step one of sequence tips"} {
		if !strings.Contains(why, want) {
			t.Errorf("the failure does not say %q:\n%s", want, why)
		}
	}
}

// The timeline says a send in words, from a campaign element and from a
// step; do_not_contact's channel is the runtime's too.
func TestAddedChannelOnTheTimeline(t *testing.T) {
	at := time.Date(2026, 6, 10, 17, 37, 0, 0, time.UTC)
	for _, c := range []struct {
		entry runtime.TimelineEntry
		want  string
	}{
		{runtime.TimelineEntry{At: at, Campaign: "c", Element: "hello", Kind: "send_whatsapp", Outcome: "sent", Detail: []byte(`{"whatsapp": "hello", "body": "Hello, Ada!"}`)},
			`sent whatsapp hello "Hello, Ada!"`},
		{runtime.TimelineEntry{At: at, Sequence: "tips", Element: "one", Kind: "send_whatsapp", Outcome: "sent", Detail: []byte(`{"whatsapp": "hello", "body": "Hi"}`)},
			`sent whatsapp hello "Hi" (sequence tips, step one)`},
	} {
		if got := c.entry.Sentence(time.UTC); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	if !slicesContain(plan.Channels(), "whatsapp") {
		t.Errorf("plan.Channels() = %v, without whatsapp", plan.Channels())
	}
	c := &runtime.Contact{DNC: []string{"whatsapp"}}
	if !c.DoNotContact((*plan.SendWhatsapp)(nil).Channel()) || c.DoNotContact("sms") {
		t.Errorf("a contact flagged on whatsapp: DoNotContact answers wrongly")
	}
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
