package runtime_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Keyed entries and segments together (docs/language.md, "Keyed entry"
// and "Segments"): each appointment is its own entry on the reminders
// campaign; the service an entry copies into a field puts the contact in
// a dynamic segment, whose segment_entered starts another campaign once;
// modify_segments on a keyed path adds the contact to a static segment
// once however many entries pass; and the contact leaving that segment is
// a goal without a key, which moves every entry.
const keyedSegments = appointments + `
segment "colour_clients" {
  where = contact.last_service == "colour"
}

segment "booked_clients" {}

campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = update_contact.remember
  }
  update_contact "remember" {
    set = {
      last_service = event.service
    }
    next = modify_segments.mark_booked
  }
  modify_segments "mark_booked" {
    add  = [segment.booked_clients]
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    next        = condition.still_booked
  }
  condition "still_booked" {
    if   = in_segment(segment.booked_clients)
    then = send_email.remind
    else = end.stopped
  }
  send_email "remind" {
    email = email.reminder
  }
  goal "closed" {
    on   = segment_left(segment.booked_clients)
    next = end.stopped
  }
  end "stopped" {
    exit = true
  }
}

campaign "colour_care" {
  trigger "colour" {
    on   = segment_entered(segment.colour_clients)
    next = send_email.care
  }
  send_email "care" {
    email = email.promo
  }
}

event "account_closed" {}

rule "account_closed" {
  when = api("account_closed")

  then {
    modify_segments {
      remove = [segment.booked_clients]
    }
  }
}
`

func TestKeyedEntriesInSegments(t *testing.T) {
	w := scenario(t, keyedSegments)
	ada := w.ada()
	bob := w.contact(map[string]any{"email": "bob@example.com", "first_name": "Bob"})

	w.carrying(ada, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(ada, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")
	w.carrying(bob, "api", booking("b-1", "2026-06-16T09:00:00-04:00", "colour"), "name", "appointment_booked")
	if got := w.memberships(ada); !slices.Equal(got, []string{"booked_clients", "colour_clients"}) {
		t.Fatalf("ada's segments after two bookings are %v, want booked_clients and colour_clients\n%s", got, w.story(ada))
	}
	if n := len(w.entries(ada, "booked", "entered")); n != 2 {
		t.Fatalf("ada entered reminders %d times, want once per appointment\n%s", n, w.story(ada))
	}
	if n := len(w.entries(ada, "colour", "entered")); n != 1 {
		t.Fatalf("ada entered colour_care %d times, want once, when her colour booking put her in the segment\n%s", n, w.story(ada))
	}
	if n := w.segmentSize("booked_clients"); n != 2 {
		t.Fatalf("booked_clients has %d members, want ada and bob once each", n)
	}

	// Ada closes her account before either reminder: leaving the static
	// segment moves both her entries to stopped; bob's reminder still goes.
	w.advance(time.Hour)
	w.carrying(ada, "api", map[string]any{}, "name", "account_closed")
	if n := len(w.entries(ada, "stopped", "")); n != 2 {
		t.Fatalf("%d of ada's entries reached stopped, want both\n%s", n, w.story(ada))
	}
	w.advance(15 * 24 * time.Hour)
	if n := len(w.sent(ada, "email", "reminder")); n != 0 {
		t.Fatalf("ada got %d reminders after leaving booked_clients, want none\n%s", n, w.story(ada))
	}
	bobs := w.sent(bob, "email", "reminder")
	if len(bobs) != 1 || !bobs[0].CreatedAt.Equal(mustTime(t, "2026-06-15T09:00:00-04:00")) {
		t.Fatalf("bob's reminders %+v, want one a day before his appointment\n%s", bobs, w.story(bob))
	}
	if n := w.segmentSize("booked_clients"); n != 1 {
		t.Fatalf("booked_clients has %d members after ada left, want bob", n)
	}
}

// A campaign started both by a segment and by keyed events holds the
// segment's entry (without a key) beside one entry per key; leaving the
// segment, a goal without a key, ends them all.
func TestSegmentTriggerBesideKeyedTriggers(t *testing.T) {
	w := scenario(t, appointments+`
segment "members" {
  where = has_tag(tag.customer)
}

campaign "care" {
  trigger "joined" {
    on   = segment_entered(segment.members)
    next = wait.a_week
  }
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.a_week
  }
  wait "a_week" {
    for  = "7d"
    next = end.done
  }
  goal "gone" {
    on   = segment_left(segment.members)
    next = end.done
  }
  end "done" {
    exit = true
  }
}
`)
	ada := w.ada()
	w.tag(ada, "customer")
	w.carrying(ada, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(ada, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")
	var keys []string
	for _, e := range w.enrollments(ada) {
		if e.Kind == "campaign" && e.Name == "care" && e.Status == runtime.StatusActive {
			keys = append(keys, fmt.Sprintf("%q", e.Key))
		}
	}
	slices.Sort(keys)
	if got := strings.Join(keys, " "); got != `"" "a-1" "a-2"` {
		t.Fatalf("ada's entries on care are %s, want the segment's (no key) and one per appointment\n%s", got, w.story(ada))
	}
	w.event(ada, "tag_removed", "tag", "customer")
	for _, e := range w.enrollments(ada) {
		if e.Kind == "campaign" && e.Name == "care" && e.Status == runtime.StatusActive {
			t.Errorf("entry %q is still on care after ada left members\n%s", e.Key, w.story(ada))
		}
	}
	if n := len(w.entries(ada, "gone", "reached goal")); n != 3 {
		t.Errorf("the goal moved %d entries, want all 3\n%s", n, w.story(ada))
	}
}
