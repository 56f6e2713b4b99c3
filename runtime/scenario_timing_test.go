package runtime_test

import (
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// A decision's deadline as a date (until, until_field), and relative dates
// in update_contact: what a marketer sees on the contact afterwards.

// renewalDecision offers a renewal until the day the contact's plan
// renews, 09:00 in the contact's own zone.
const renewalDecision = `
field "renews_on" {
  type = date
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = decision.renewed
  }
  decision "renewed" {
    on          = product_purchased(product.pro)
    until_field = field.renews_on
    at          = "09:00"
    time_zone   = "contact"
    yes         = change_tags.kept
    no          = change_tags.lost
  }
  change_tags "kept" {
    add  = [tag.a]
    next = end.done
  }
  change_tags "lost" {
    add  = [tag.b]
    next = end.done
  }
  end "done" {}
}
`

func TestDecisionUntilFieldTakesNoAtThatDateInTheContactsZone(t *testing.T) {
	w := scenario(t, renewalDecision)
	berlin := w.contact(map[string]any{"email": "ada@example.com", "time_zone": "Europe/Berlin", "renews_on": "2026-06-20"})
	buyer := w.contact(map[string]any{"email": "grace@example.com", "time_zone": "Europe/Berlin", "renews_on": "2026-06-20"})
	noZone := w.contact(map[string]any{"email": "mary@example.com", "renews_on": "2026-06-20"})
	for _, id := range []int64{berlin, buyer, noZone} {
		w.tag(id, "go")
	}
	w.advance(3 * 24 * time.Hour)
	w.event(buyer, "product_purchased", "product", "pro")
	w.advance(30 * 24 * time.Hour)

	// 09:00 in Berlin, not in the account's New York.
	w.expectAt(berlin, "renewed", "no: product_purchased(product.pro) did not happen in time", "2026-06-20T09:00:00+02:00")
	w.expectNever(berlin, "renewed", "yes")
	if c := w.get(berlin); !c.HasTag("b") || c.HasTag("a") {
		t.Fatalf("the contact that did not renew: tags %v\n%s", c.Tags, w.story(berlin))
	}
	w.expectFinal(berlin, "c", "ended", "done")

	w.expectAt(buyer, "renewed", "yes: product_purchased(product.pro)", "2026-06-13T13:37:00-04:00")
	w.expectNever(buyer, "renewed", "no:")
	if c := w.get(buyer); !c.HasTag("a") || c.HasTag("b") {
		t.Fatalf("the contact that renewed: tags %v\n%s", c.Tags, w.story(buyer))
	}

	// A contact without a zone counts in the account's.
	w.expectAt(noZone, "renewed", "no: product_purchased(product.pro) did not happen in time", "2026-06-20T09:00:00-04:00")
}

func TestDecisionUntilFieldShowsTheDeadlineWhileWaiting(t *testing.T) {
	w := scenario(t, renewalDecision)
	id := w.contact(map[string]any{"email": "ada@example.com", "time_zone": "Europe/Berlin", "renews_on": "2026-06-20"})
	w.tag(id, "go")
	w.expectFinal(id, "c", "waiting", "renewed")
	waiting := w.entries(id, "renewed", "waiting for product_purchased(product.pro)")
	if len(waiting) != 1 {
		t.Fatalf("the timeline does not say what the contact waits for:\n%s", w.story(id))
	}
	if until := entryDetail(t, waiting[0])["until"]; until != "2026-06-20T03:00:00-04:00" {
		t.Fatalf("waiting until %v, want 09:00 in Berlin (03:00 in the account's New York)", until)
	}
}

// RUNTIME.md for waits: "until in the past fires at once; an empty field
// does not hold the contact". A decision follows it: no time is left to
// act, so it takes no at once, and the timeline says why.
func TestDecisionDeadlineAlreadyPastOrEmptyTakesNoAtOnce(t *testing.T) {
	w := scenario(t, renewalDecision)
	past := w.contact(map[string]any{"email": "ada@example.com", "renews_on": "2026-06-01"})
	empty := w.contact(map[string]any{"email": "grace@example.com"})
	for _, id := range []int64{past, empty} {
		w.tag(id, "go")
	}
	w.expectAt(past, "renewed", "no: the deadline, 2026-06-01T09:00:00-04:00, had passed when the contact arrived", scenarioStart)
	w.expectAt(empty, "renewed", "no: contact.renews_on holds no date, so there was no time to wait for product_purchased(product.pro)", scenarioStart)
	for _, id := range []int64{past, empty} {
		if c := w.get(id); !c.HasTag("b") {
			t.Fatalf("contact %d did not take no: tags %v\n%s", id, c.Tags, w.story(id))
		}
		w.expectFinal(id, "c", "ended", "done")
	}
}

func TestDecisionUntilDateAndYearlyField(t *testing.T) {
	w := scenario(t, `
field "member_since" {
  type = date
}

campaign "sale" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = decision.bought
  }
  # The summer sale ends on 30 June, at the account's default send time.
  decision "bought" {
    on    = product_purchased(product.book)
    until = "2026-06-30"
    yes   = end.done
    no    = change_tags.missed
  }
  change_tags "missed" {
    add  = [tag.b]
    next = end.done
  }
  end "done" {}
}

campaign "anniversary" {
  trigger "t" {
    on   = tag_added(tag.c)
    next = decision.upgraded
  }
  # The anniversary offer stands until the day before the next anniversary
  # of joining, at 18:00 in Chicago.
  decision "upgraded" {
    on          = product_purchased(product.pro)
    until_field = field.member_since
    offset      = "-1d"
    annual      = true
    at          = "18:00"
    time_zone   = "America/Chicago"
    yes         = end.done
    no          = change_tags.no_upgrade
  }
  change_tags "no_upgrade" {
    add  = [tag.a]
    next = end.done
  }
  end "done" {}
}
`)
	id := w.contact(map[string]any{"email": "ada@example.com", "member_since": "2019-07-04"})
	w.tag(id, "go")
	w.tag(id, "c")
	w.advance(40 * 24 * time.Hour)
	w.expectAt(id, "bought", "no: product_purchased(product.book) did not happen in time", "2026-06-30T10:00:00-04:00")
	w.expectAt(id, "upgraded", "no: product_purchased(product.pro) did not happen in time", "2026-07-03T18:00:00-05:00")
}

// Apply: a decision whose deadline changes from a duration to a date field
// keeps the due time already computed, or recomputes it from the
// contact's arrival by the new deadline, as a changed wait does.
func TestMigrateDecisionWhoseDeadlineBecomesADate(t *testing.T) {
	within := strings.Replace(renewalDecision, `    until_field = field.renews_on
    at          = "09:00"
    time_zone   = "contact"
`, `    within      = "2d"
`, 1)
	if within == renewalDecision {
		t.Fatal("the test's edit did not apply")
	}
	for _, recompute := range []bool{false, true} {
		w := scenario(t, within)
		id := w.contact(map[string]any{"email": "ada@example.com", "time_zone": "Europe/Berlin", "renews_on": "2026-06-20"})
		w.tag(id, "go")
		w.advance(time.Hour)
		rep, err := migrate(t, w, linkScenario(t, renewalDecision), runtime.ApplyOptions{RecomputeWaits: recompute})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Waits) != 1 || rep.Waits[0].Element != "c/renewed" || rep.Waits[0].Contacts != 1 || rep.Waits[0].Recomputed != recompute {
			t.Fatalf("recompute %v: the report's waits: %+v", recompute, rep.Waits)
		}
		want := "2026-06-12T13:37:00-04:00" // two days after the arrival
		if recompute {
			want = "2026-06-20T09:00:00+02:00"
		}
		w.advance(30 * 24 * time.Hour)
		w.expectAt(id, "renewed", "no: product_purchased(product.pro) did not happen in time", want)
	}
}

const relativeDates = `
field "signup" {
  type = date
}
field "renews_on" {
  type = date
}
field "checked_on" {
  type = date
}
field "local_day" {
  type = date
}
field "demo_at" {
  type = datetime
}
field "call_at" {
  type = datetime
}
field "call_later_at" {
  type = datetime
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = update_contact.dates
  }
  update_contact "dates" {
    set = {
      trial_ends    = date_add(today(), "14d")
      renews_on     = date_add(contact.signup, "-2d")
      checked_on    = now()
      call_at       = date_add(contact.demo_at, "1d")
      call_later_at = date_add(contact.demo_at, "24h")
    }
    next = update_contact.in_their_zone
  }
  update_contact "in_their_zone" {
    set       = { local_day = date_add(today(), "1w") }
    time_zone = "contact"
  }
}
`

func TestUpdateContactRelativeDates(t *testing.T) {
	w := scenario(t, relativeDates)
	ada := w.contact(map[string]any{"email": "ada@example.com", "time_zone": "Asia/Tokyo", "signup": "2026-03-01", "demo_at": "2026-03-07T09:00"})
	bare := w.contact(map[string]any{"email": "grace@example.com"})
	for _, id := range []int64{ada, bare} {
		w.tag(id, "go")
	}
	c := w.get(ada)
	for field, want := range map[string]any{
		// Today in the account's New York, plus 14 calendar days: a date,
		// as the field is.
		"trial_ends": "2026-06-24",
		// Two days before another date field.
		"renews_on": "2026-02-27",
		// A date field holds now() as its date.
		"checked_on": "2026-06-10",
		// New York springs forward on 8 March: a day keeps the wall clock,
		// 24 hours do not.
		"call_at":       "2026-03-08T09:00:00-04:00",
		"call_later_at": "2026-03-08T10:00:00-04:00",
		// 02:37 on 11 June in Tokyo, plus a week.
		"local_day": "2026-06-18",
	} {
		if got := c.Field(field); got != want {
			t.Errorf("%s = %v, want %v\n%s", field, got, want, w.story(ada))
		}
	}
	// A contact with no date to add to gets none; today() needs nothing.
	c = w.get(bare)
	for field, want := range map[string]any{"trial_ends": "2026-06-24", "renews_on": nil, "call_at": nil, "local_day": "2026-06-17"} {
		if got := c.Field(field); got != want {
			t.Errorf("a contact without dates: %s = %v, want %v\n%s", field, got, want, w.story(bare))
		}
	}
}

// A duration read from a field at run time that is not one: the action
// fails for that contact, says why on its timeline, and the contact goes
// on; the field it would have set is left as it was.
func TestDateAddOfADurationFieldThatIsNotOne(t *testing.T) {
	w := scenario(t, `
field "trial_length" {
  type = string
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = update_contact.trial
  }
  update_contact "trial" {
    set  = { trial_ends = date_add(today(), contact.trial_length) }
    next = change_tags.after
  }
  change_tags "after" {
    add = [tag.a]
  }
}
`)
	good := w.contact(map[string]any{"email": "ada@example.com", "trial_length": "30d"})
	bad := w.contact(map[string]any{"email": "grace@example.com", "trial_length": "a month", "trial_ends": "2026-07-01"})
	for _, id := range []int64{good, bad} {
		w.tag(id, "go")
	}
	if got := w.get(good).Field("trial_ends"); got != "2026-07-10" {
		t.Fatalf("a 30d trial from 10 June ends %v\n%s", got, w.story(good))
	}
	failed := w.entries(bad, "trial", "failed")
	if len(failed) != 1 {
		t.Fatalf("the timeline does not say the update failed:\n%s", w.story(bad))
	}
	if msg, _ := entryDetail(t, failed[0])["error"].(string); !strings.Contains(msg, `"a month" is not a duration`) {
		t.Fatalf("the failure says %q; want it to name the duration it could not read", msg)
	}
	if c := w.get(bad); c.Field("trial_ends") != "2026-07-01" || !c.HasTag("a") {
		t.Fatalf("after the failed update: trial_ends %v, tags %v\n%s", c.Field("trial_ends"), c.Tags, w.story(bad))
	}
}

// A contact's datetime field may hold "2026-06-20 09:00" (a space, no
// seconds: decode_contact accepts it, as the language writes date-times);
// timers and date_add read it like "2026-06-20T09:00".
func TestDateTimeWithASpaceIsReadAsADate(t *testing.T) {
	w := scenario(t, `
field "demo_at" {
  type = datetime
}
field "call_at" {
  type = datetime
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = update_contact.call
  }
  update_contact "call" {
    set  = { call_at = date_add(contact.demo_at, "-1d") }
    next = decision.joined
  }
  decision "joined" {
    on          = tag_added(tag.a)
    until_field = field.demo_at
    yes         = end.done
    no          = end.done
  }
  end "done" {}
}
`)
	id := w.contact(map[string]any{"email": "ada@example.com", "demo_at": "2026-06-20 09:00"})
	w.tag(id, "go")
	if got := w.get(id).Field("call_at"); got != "2026-06-19T09:00:00-04:00" {
		t.Fatalf("call_at = %v, want the day before the demo\n%s", got, w.story(id))
	}
	w.advance(30 * 24 * time.Hour)
	w.expectAt(id, "joined", "no: tag_added(tag.a) did not happen in time", "2026-06-20T09:00:00-04:00")
}
