package runtime_test

import (
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Event properties, page visits and keyed entry (docs/language.md, "Event
// properties", "Page visits", "Keyed entry").

const appointments = `
event "appointment_booked" {
  property "appointment_id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
  property "service" {
    type = string
  }
  property "price" {
    type = number
  }
}

field "last_service" {
  type = string
}

email "reminder" {
  subject = "See you on ${event.starts_at}"
  body    = "Your ${event.service} (booking ${event.appointment_id}) is tomorrow, ${contact.first_name}."
  kind    = "transactional"
}
`

// An appointment booked through the API carries its time, service and
// price: the trigger's where reads them, an update_contact copies one into
// a field, the wait counts from the appointment's time, the reminder's
// template shows them, and a condition later on the path still reads the
// event the contact entered with, days after it came.
func TestEventPropertiesReachThePath(t *testing.T) {
	w := scenario(t, appointments+`
campaign "reminders" {
  reentry = "always"

  trigger "booked" {
    on    = api("appointment_booked")
    where = event.price > 0
    next  = update_contact.remember
  }
  update_contact "remember" {
    set = {
      last_service = event.service
    }
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    at          = "09:00"
    next        = send_email.remind
  }
  send_email "remind" {
    email = email.reminder
    next  = condition.big_spender
  }
  condition "big_spender" {
    if   = event.price >= 100
    then = change_tags.vip
    else = end.done
  }
  change_tags "vip" {
    add  = [tag.vip]
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.carrying(id, "api", map[string]any{
		"appointment_id": "a-17", "starts_at": "2026-06-15T14:00:00-04:00", "service": "colour", "price": 120.0,
	}, "name", "appointment_booked")
	if got := w.get(id).StringField("last_service"); got != "colour" {
		t.Fatalf("last_service = %q, want the event's service\n%s", got, w.story(id))
	}
	w.advance(10 * 24 * time.Hour)
	w.expectAt(id, "remind", "sent", "2026-06-14T09:00:00-04:00")
	sent := w.sent(id, "email", "reminder")
	if len(sent) != 1 {
		t.Fatalf("sent %d reminders\n%s", len(sent), w.story(id))
	}
	if s := sent[0].Payload["subject"]; s != "See you on 2026-06-15T14:00:00-04:00" {
		t.Errorf("subject %q", s)
	}
	if b := sent[0].Payload["body"]; b != "Your colour (booking a-17) is tomorrow, Ada." {
		t.Errorf("body %q", b)
	}
	if !w.get(id).HasTag("vip") {
		t.Errorf("the condition after the wait did not read the event's price\n%s", w.story(id))
	}

	// A free booking does not pass the trigger's where.
	other := w.ada()
	w.carrying(other, "api", map[string]any{"appointment_id": "a-18", "starts_at": "2026-06-25T14:00:00-04:00", "price": 0}, "name", "appointment_booked")
	w.expectFinal(other, "reminders", "not entered", "")
}

// A wait on an event's date that the event does not carry holds nobody,
// as a wait on an empty date field does; a decision whose deadline is such
// a date takes no at once, and says why.
func TestUntilEventWithoutTheDate(t *testing.T) {
	w := scenario(t, appointments+`
campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    next        = decision.confirmed
  }
  decision "confirmed" {
    on          = tag_added(tag.a)
    until_event = event.starts_at
    yes         = end.done
    no          = change_tags.unconfirmed
  }
  change_tags "unconfirmed" {
    add = [tag.b]
  }
  end "done" {}
}
`)
	id := w.ada()
	w.carrying(id, "api", map[string]any{"appointment_id": "a-1"}, "name", "appointment_booked")
	w.expectAt(id, "day_before", "waited", scenarioStart)
	w.expectAt(id, "confirmed", "no: event.starts_at holds no date", scenarioStart)
	if !w.get(id).HasTag("b") {
		t.Fatalf("no was not taken\n%s", w.story(id))
	}
}

// A decision's deadline read from the event: the contact waits for the
// event until the appointment starts.
func TestDecisionUntilEvent(t *testing.T) {
	w := scenario(t, appointments+`
campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    next = decision.confirmed
  }
  decision "confirmed" {
    on          = tag_added(tag.a)
    until_event = event.starts_at
    offset      = "-2h"
    yes         = end.done
    no          = change_tags.unconfirmed
  }
  change_tags "unconfirmed" {
    add = [tag.b]
  }
  end "done" {}
}
`)
	id := w.ada()
	w.carrying(id, "api", map[string]any{"appointment_id": "a-1", "starts_at": "2026-06-12T15:30:00-04:00"}, "name", "appointment_booked")
	w.advance(5 * 24 * time.Hour)
	w.expectAt(id, "confirmed", "no: tag_added(tag.a) did not happen in time", "2026-06-12T13:30:00-04:00")
}

// A rule reads its own event: what the purchase cost.
func TestEventPropertiesInRules(t *testing.T) {
	w := scenario(t, `
rule "big_order" {
  when = product_purchased(product.pro)
  if   = event.amount >= 100
  then {
    apply_note {
      text = "Paid ${event.amount} for Pro"
    }
  }
}
`)
	id := w.ada()
	w.carrying(id, "product_purchased", map[string]any{"amount": 29.0}, "product", "pro")
	w.carrying(id, "product_purchased", map[string]any{"amount": 290.0}, "product", "pro")
	notes := w.records(id, "note")
	if len(notes) != 1 || notes[0].Data["text"] != "Paid 290 for Pro" {
		t.Fatalf("notes %+v\n%s", notes, w.story(id))
	}
}

// Page visits go to the triggers, decisions and rules whose pattern the
// URL matches: a page's URL (its query string and fragment aside), or the
// start of URLs followed by *. event.url is the page visited.
func TestPageVisitsRouteByPattern(t *testing.T) {
	w := scenario(t, `
field "last_page" {
  type = string
}

campaign "pricing" {
  trigger "looked" {
    on   = page_visited("https://shop.example/pricing*")
    next = update_contact.remember
  }
  update_contact "remember" {
    set = {
      last_page = event.url
    }
    next = decision.checkout
  }
  decision "checkout" {
    on     = page_visited("https://shop.example/checkout")
    within = "1d"
    yes    = change_tags.buying
    no     = end.done
  }
  change_tags "buying" {
    add  = [tag.a]
    next = end.done
  }
  end "done" {}
}

rule "blog_reader" {
  when = page_visited("https://shop.example/blog/*")
  then {
    change_tags {
      add = [tag.b]
    }
  }
}
`)
	id := w.ada()
	w.event(id, "page_visited", "url", "https://shop.example/about")
	w.expectFinal(id, "pricing", "not entered", "")
	w.event(id, "page_visited", "url", "https://Shop.Example/pricing/teams?utm_source=news")
	w.expectAt(id, "looked", "entered", scenarioStart)
	if got := w.get(id).StringField("last_page"); got != "https://Shop.Example/pricing/teams?utm_source=news" {
		t.Errorf("last_page = %q, want the page visited", got)
	}
	w.advance(time.Hour)
	w.event(id, "page_visited", "url", "https://shop.example/checkout/extra")
	w.expectNever(id, "checkout", "yes")
	w.event(id, "page_visited", "url", "https://shop.example/checkout?step=2#top")
	w.expectAt(id, "checkout", `yes: page_visited("https://shop.example/checkout?step=2#top")`, "2026-06-10T14:37:00-04:00")
	if !w.get(id).HasTag("a") {
		t.Errorf("the decision's yes did not run\n%s", w.story(id))
	}
	if w.get(id).HasTag("b") {
		t.Fatalf("a rule on the blog ran for the pricing page\n%s", w.story(id))
	}
	w.event(id, "page_visited", "url", "https://shop.example/blog/spring-sale")
	if !w.get(id).HasTag("b") {
		t.Errorf("the rule on the blog's pages did not run\n%s", w.story(id))
	}
}

const keyedReminders = appointments + `
event "appointment_cancelled" {
  property "appointment_id" {
    type = string
  }
}

event "appointment_moved" {
  property "appointment_id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
  property "service" {
    type = string
  }
}

campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.day_before
  }
  goal "moved" {
    on   = api("appointment_moved")
    key  = event.appointment_id
    next = wait.day_before
  }
  goal "cancelled" {
    on   = api("appointment_cancelled")
    key  = event.appointment_id
    next = end.called_off
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    next        = send_email.remind
  }
  send_email "remind" {
    email = email.reminder
    next  = end.reminded
  }
  end "reminded" {
    exit = true
  }
  end "called_off" {
    exit = true
  }
}
`

func booking(id, startsAt, service string) map[string]any {
	return map[string]any{"appointment_id": id, "starts_at": startsAt, "service": service, "price": 50.0}
}

// The scenario: two appointments for one contact get two
// reminders, each a day before its own appointment; a booking of an
// appointment the contact is already reminded of does not enter again.
func TestTwoAppointmentsForOneContactGetTwoReminders(t *testing.T) {
	w := scenario(t, keyedReminders)
	id := w.ada()
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	if got := w.entries(id, "booked", "already on the campaign"); len(got) != 1 {
		t.Fatalf("the second booking of a-1 was not refused once\n%s", w.story(id))
	}
	var keys []string
	for _, e := range w.enrollments(id) {
		if e.Kind == "campaign" && e.Name == "reminders" {
			keys = append(keys, e.Key)
		}
	}
	if strings.Join(keys, " ") != "a-1 a-2" {
		t.Fatalf("entries %v, want one per appointment", keys)
	}
	w.advance(15 * 24 * time.Hour)
	sent := w.sent(id, "email", "reminder")
	if len(sent) != 2 {
		t.Fatalf("sent %d reminders, want 2\n%s", len(sent), w.story(id))
	}
	for i, want := range []struct{ at, body string }{
		{"2026-06-14T14:00:00-04:00", "Your haircut (booking a-1) is tomorrow, Ada."},
		{"2026-06-19T11:30:00-04:00", "Your colour (booking a-2) is tomorrow, Ada."},
	} {
		if !sent[i].CreatedAt.Equal(mustTime(t, want.at)) || sent[i].Payload["body"] != want.body {
			t.Errorf("reminder %d: %s %q, want %s %q", i+1, sent[i].CreatedAt.Format(time.RFC3339), sent[i].Payload["body"], want.at, want.body)
		}
	}
	for _, e := range w.enrollments(id) {
		if e.Kind == "campaign" && e.Status != runtime.StatusExited {
			t.Errorf("entry %s is %s, want exited", e.Key, e.Status)
		}
	}
}

// A goal with a key moves the entry its event names and no other: a moved
// appointment is reminded of at its new time, a cancelled one not at all,
// and the contact's other appointment keeps its reminder.
func TestKeyedGoalsMoveTheirOwnEntry(t *testing.T) {
	w := scenario(t, keyedReminders)
	id := w.ada()
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-3", "2026-06-22T10:00:00-04:00", "nails"), "name", "appointment_booked")
	w.advance(time.Hour)
	w.carrying(id, "api", map[string]any{"appointment_id": "a-2", "starts_at": "2026-06-25T16:00:00-04:00", "service": "colour and cut"}, "name", "appointment_moved")
	w.carrying(id, "api", map[string]any{"appointment_id": "a-3"}, "name", "appointment_cancelled")
	w.carrying(id, "api", map[string]any{"appointment_id": "a-9"}, "name", "appointment_cancelled")
	w.advance(20 * 24 * time.Hour)
	var got []string
	for _, d := range w.sent(id, "email", "reminder") {
		got = append(got, d.CreatedAt.In(w.prog.AccountLocation()).Format(time.RFC3339)+" "+d.Payload["body"].(string))
	}
	want := []string{
		"2026-06-14T14:00:00-04:00 Your haircut (booking a-1) is tomorrow, Ada.",
		"2026-06-24T16:00:00-04:00 Your colour and cut (booking a-2) is tomorrow, Ada.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("reminders:\n%s\nwant:\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), w.story(id))
	}
	if n := len(w.entries(id, "called_off", "exited")); n != 1 {
		t.Errorf("%d entries left at cancelled, want a-3's\n%s", n, w.story(id))
	}
}

// Without a key a goal moves every entry of the contact, and an action on
// the campaign (remove_from_campaign) takes every entry; a keyed trigger
// whose event lacks its key enters nobody; re-entry counts per key.
func TestKeyedEntriesTogether(t *testing.T) {
	w := scenario(t, appointments+`
campaign "reminders" {
  reentry = "once"

  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.day_before
  }
  goal "closed" {
    on   = tag_added(tag.c)
    next = end.shut
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    next        = end.reminded
  }
  end "reminded" {
    exit = true
  }
  end "shut" {
    exit = true
  }
}

campaign "offboarding" {
  trigger "gone" {
    on   = tag_added(tag.lead)
    next = remove_from_campaign.reminders
  }
  remove_from_campaign "reminders" {
    campaign = campaign.reminders
  }
}
`)
	id := w.ada()
	w.carrying(id, "api", map[string]any{"starts_at": "2026-06-15T14:00:00-04:00"}, "name", "appointment_booked")
	w.expectAt(id, "booked", "not entered: the event carries no appointment_id", scenarioStart)
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")
	w.tag(id, "c")
	if n := len(w.entries(id, "shut", "exited")); n != 2 {
		t.Fatalf("the goal without a key moved %d entries, want both\n%s", n, w.story(id))
	}
	// Re-entry is once per key: a-1 again is refused, a-3 is new.
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.expectAt(id, "booked", "not entered: the campaign takes a contact once", scenarioStart)
	w.carrying(id, "api", booking("a-3", "2026-06-22T10:00:00-04:00", "nails"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-4", "2026-06-23T10:00:00-04:00", "nails"), "name", "appointment_booked")
	w.read(func(tx runtime.Tx) error {
		counts, err := tx.ElementCounts("campaign", "reminders")
		if err != nil {
			return err
		}
		if len(counts) != 1 || counts[0].Element != "day_before" || counts[0].Count != 2 {
			t.Errorf("the campaign's counts %+v, want 2 contacts' entries waiting at day_before", counts)
		}
		return nil
	})
	w.tag(id, "lead")
	for _, e := range w.enrollments(id) {
		if e.Kind == "campaign" && e.Name == "reminders" && e.Status == runtime.StatusActive {
			t.Errorf("remove_from_campaign left entry %s on the campaign\n%s", e.Key, w.story(id))
		}
	}
}

// A keyed decision answers its own entry: the appointment confirmed is
// the one whose id the event carries.
func TestKeyedDecisionAnswersItsEntry(t *testing.T) {
	w := scenario(t, appointments+`
event "appointment_confirmed" {
  property "appointment_id" {
    type = string
  }
}

campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = decision.confirmed
  }
  decision "confirmed" {
    on     = api("appointment_confirmed")
    key    = event.appointment_id
    within = "2d"
    yes    = end.done
    no     = apply_note.unconfirmed
  }
  apply_note "unconfirmed" {
    text = "Call about ${event.appointment_id}"
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")
	w.advance(time.Hour)
	w.carrying(id, "api", map[string]any{"appointment_id": "a-2"}, "name", "appointment_confirmed")
	w.advance(3 * 24 * time.Hour)
	if n := len(w.entries(id, "confirmed", "yes")); n != 1 {
		t.Fatalf("%d entries confirmed, want a-2's\n%s", n, w.story(id))
	}
	notes := w.records(id, "note")
	if len(notes) != 1 || notes[0].Data["text"] != "Call about a-1" {
		t.Fatalf("notes %+v, want a-1's only\n%s", notes, w.story(id))
	}
}
