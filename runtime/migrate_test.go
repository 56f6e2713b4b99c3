package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// The policy of RUNTIME.md "Applying a new version", through Migrate.

const twoWaits = `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.one_day
  }
  wait "one_day" {
    for  = "1d"
    next = wait.later
  }
  wait "later" {
    for  = "3d"
    next = send_email.hello
  }
  send_email "hello" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}
`

// migrate applies next over the world's store with opts, committing
// unless it fails; it returns the report or the error.
func migrate(t *testing.T, w *world, next *runtime.Program, opts runtime.ApplyOptions) (*runtime.ApplyReport, error) {
	t.Helper()
	tx, err := w.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rep, err := w.sim.Engine.Migrate(tx, w.sim.Engine.Program(), next, opts)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	w.sim.Engine.SetProgram(next)
	return rep, nil
}

func TestMigrateMovedCarriesTheContacts(t *testing.T) {
	w := scenario(t, twoWaits)
	ids := []int64{w.ada(), w.contact(map[string]any{"email": "grace@example.com"})}
	for _, id := range ids {
		w.tag(id, "go")
	}
	next := linkScenario(t, strings.Replace(twoWaits, `wait "one_day" {`, `wait "first_day" {`, 1)+`
moved {
  from = campaign.c.wait.one_day
  to   = campaign.c.wait.first_day
}
`, "unknown-reference")
	rep, err := migrate(t, w, next, runtime.ApplyOptions{})
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if len(rep.Moved) != 1 || rep.Moved[0].Contacts != 2 || rep.Moved[0].From != "c/one_day" || rep.Moved[0].To != "c/first_day" {
		t.Fatalf("the report's moves: %+v", rep.Moved)
	}
	if rep.Counts["c/one_day"] != 2 {
		t.Fatalf("the report's counts: %+v", rep.Counts)
	}
	w.advance(30 * aDay)
	for _, id := range ids {
		if len(w.sent(id, "email", "receipt")) != 1 {
			t.Fatalf("contact %d did not go on from the renamed wait:\n%s", id, w.story(id))
		}
	}
}

func TestMigrateRefusesToStrandAndDrains(t *testing.T) {
	w := scenario(t, twoWaits)
	id := w.ada()
	w.tag(id, "go")
	withoutOneDay := strings.Replace(strings.Replace(twoWaits, `    next = wait.one_day`, `    next = wait.later`, 1), `  wait "one_day" {
    for  = "1d"
    next = wait.later
  }
`, "", 1)
	next := linkScenario(t, withoutOneDay)
	_, err := migrate(t, w, next, runtime.ApplyOptions{})
	var refused *runtime.ApplyRefused
	if !errors.As(err, &refused) {
		t.Fatalf("Migrate of a plan removing an element contacts stand on = %v; want a refusal", err)
	}
	if len(refused.Stranded) != 1 || refused.Stranded[0].Where != "c/one_day" || refused.Stranded[0].Contacts != 1 || refused.Stranded[0].DrainTo != "c/later" {
		t.Fatalf("the refusal: %+v", refused.Stranded)
	}
	for _, words := range []string{"1 contact on c/one_day", "--drain would send them to c/later", "moved block"} {
		if !strings.Contains(err.Error(), words) {
			t.Errorf("the refusal %q does not say %q", err, words)
		}
	}
	if e := w.enrollment(id, "campaign", "c"); e.Tokens[0].Element != "one_day" {
		t.Fatalf("a refused apply moved the contact: %+v", e.Tokens)
	}

	rep, err := migrate(t, w, next, runtime.ApplyOptions{Drain: true})
	if err != nil {
		t.Fatalf("Migrate with Drain: %v", err)
	}
	if len(rep.Drained) != 1 || rep.Drained[0].To != "c/later" || rep.Drained[0].Contacts != 1 {
		t.Fatalf("the report's drains: %+v", rep.Drained)
	}
	w.advance(10 * aDay)
	// Drained now to wait.later: three days later the email goes.
	w.expectAt(id, "later", "waiting", scenarioStart)
	if len(w.sent(id, "email", "receipt")) != 1 {
		t.Fatalf("the drained contact did not go on:\n%s", w.story(id))
	}
}

func TestMigrateChangedWaitKeepsOrRecomputesDueTimes(t *testing.T) {
	for _, recompute := range []bool{false, true} {
		w := scenario(t, twoWaits)
		id := w.ada()
		w.tag(id, "go")
		next := linkScenario(t, strings.Replace(twoWaits, `for  = "1d"`, `for  = "2d"`, 1))
		rep, err := migrate(t, w, next, runtime.ApplyOptions{RecomputeWaits: recompute})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Waits) != 1 || rep.Waits[0].Contacts != 1 || rep.Waits[0].Recomputed != recompute {
			t.Fatalf("recompute %v: the report's waits: %+v", recompute, rep.Waits)
		}
		due := *w.enrollment(id, "campaign", "c").Tokens[0].DueAt
		want := mustTime(t, scenarioStart).Add(24 * time.Hour)
		if recompute {
			want = want.Add(24 * time.Hour)
		}
		if !due.Equal(want) {
			t.Errorf("recompute %v: due %v, want %v", recompute, due, want)
		}
	}
}

func TestMigrateRemovedCampaign(t *testing.T) {
	added := strings.Replace(twoWaits, `  wait "one_day" {`, `  trigger "added" {
    on   = added_to_campaign()
    next = wait.one_day
  }
  wait "one_day" {`, 1)
	w := scenario(t, added+`
campaign "caller" {
  trigger "t" {
    on   = tag_added(tag.a)
    next = add_to_campaign.c
  }
  add_to_campaign "c" {
    campaign = campaign.c
    next     = change_tags.back
  }
  change_tags "back" {
    add  = [tag.b]
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "a")
	next := linkScenario(t, `
campaign "caller" {
  trigger "t" {
    on   = tag_added(tag.a)
    next = change_tags.back
  }
  change_tags "back" {
    add  = [tag.b]
    next = end.done
  }
  end "done" {}
}
`)
	_, err := migrate(t, w, next, runtime.ApplyOptions{})
	var refused *runtime.ApplyRefused
	if !errors.As(err, &refused) || refused.Stranded[0].Where != `campaign "c"` {
		t.Fatalf("removing a campaign contacts are on = %v; want a refusal naming it", err)
	}
	// caller's add_to_campaign element is removed too and holds the
	// contact: Drain sends it on, and the contact leaves c.
	rep, err := migrate(t, w, next, runtime.ApplyOptions{Drain: true})
	if err != nil {
		t.Fatalf("Migrate with Drain: %v", err)
	}
	if len(rep.Drained) != 2 {
		t.Fatalf("the report's drains: %+v", rep.Drained)
	}
	if e := w.enrollment(id, "campaign", "c"); e == nil || e.Status != runtime.StatusExited {
		t.Fatalf("the contact is still on the removed campaign: %+v", e)
	}
	w.advance(aDay)
	if !w.get(id).HasTag("b") {
		t.Fatalf("the contact did not go on in caller:\n%s", w.story(id))
	}
}

func TestMigrateReportsWhoGetsANewStep(t *testing.T) {
	seq := `
sequence "tips" {
  kind = "step"
  step "one" {
    email = email.receipt
  }
  step "two" {
    schedule {
      days_after = 2
    }
    sms = sms.nudge
  }
}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.tips
  }
  add_to_sequence "tips" {
    sequence = sequence.tips
  }
}
`
	w := scenario(t, seq)
	id := w.ada()
	w.tag(id, "go")
	w.advance(aDay) // step one went out the next morning; two is due two days after
	next := linkScenario(t, strings.Replace(seq, `  step "two" {`, `  step "between" {
    schedule {
      days_after = 1
    }
    email = email.promo
  }
  step "two" {`, 1))
	rep, err := migrate(t, w, next, runtime.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.NewSteps) != 1 || rep.NewSteps[0].Step != "tips/between" || rep.NewSteps[0].Contacts != 1 || rep.NewSteps[0].First == nil {
		t.Fatalf("the report's new steps: %+v", rep.NewSteps)
	}
}

func TestEngineReloadsAnotherNodesDeployment(t *testing.T) {
	w := scenario(t, twoWaits)
	next := linkScenario(t, strings.Replace(twoWaits, `for  = "3d"`, `for  = "5d"`, 1))
	programs := map[int64]*runtime.Program{0: w.prog, 2: next}
	// A second engine on the same store, as another node would run.
	other := runtime.NewEngine(w.prog, w.store, w.sim.Clock, nil)
	reloads := 0
	other.Reload = func(tx runtime.Tx, serial int64) (*runtime.Program, error) {
		reloads++
		return programs[serial], nil
	}
	ctx := context.Background()
	tx, err := w.store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AddDeployment(&runtime.Deployment{Serial: 2, Hash: next.Plan.Hash, Plan: []byte("{}"), AppliedAt: w.now()}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	id := w.ada()
	if err := other.Handle(ctx, id, runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "go"}}); err != nil {
		t.Fatal(err)
	}
	if p, serial := other.Deployment(); serial != 2 || p != next || reloads != 1 {
		t.Fatalf("the engine runs serial %d after another node applied 2 (reloads %d)", serial, reloads)
	}
}

// An apply acts on every entry of a keyed campaign: a changed wait is
// recomputed for each entry from its own event's date, and a removed
// element drains every entry standing on it.
func TestMigrateKeyedEntries(t *testing.T) {
	reminders := func(offset string) string {
		return appointments + `
campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "` + offset + `"
    next        = send_email.remind
  }
  send_email "remind" {
    email = email.reminder
  }
}
`
	}
	w := scenario(t, reminders("-1d"))
	id := w.ada()
	w.carrying(id, "api", booking("a-1", "2026-06-15T14:00:00-04:00", "haircut"), "name", "appointment_booked")
	w.carrying(id, "api", booking("a-2", "2026-06-20T11:30:00-04:00", "colour"), "name", "appointment_booked")

	rep, err := migrate(t, w, linkScenario(t, reminders("-2d")), runtime.ApplyOptions{RecomputeWaits: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Waits) != 1 || rep.Waits[0].Contacts != 2 {
		t.Fatalf("the report's waits %+v, want both entries counted", rep.Waits)
	}
	due := map[string]time.Time{}
	for _, e := range w.enrollments(id) {
		if e.Kind == "campaign" {
			due[e.Key] = *e.Tokens[0].DueAt
		}
	}
	if !due["a-1"].Equal(mustTime(t, "2026-06-13T14:00:00-04:00")) || !due["a-2"].Equal(mustTime(t, "2026-06-18T11:30:00-04:00")) {
		t.Fatalf("recomputed due times %v, want each two days before its own appointment", due)
	}

	withoutWait := appointments + `
campaign "reminders" {
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = send_email.remind
  }
  send_email "remind" {
    email = email.reminder
  }
}
`
	rep, err = migrate(t, w, linkScenario(t, withoutWait), runtime.ApplyOptions{Drain: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Drained) != 1 || rep.Drained[0].Contacts != 2 {
		t.Fatalf("the report's drains %+v, want both entries", rep.Drained)
	}
	w.advance(time.Minute)
	var bodies []string
	for _, d := range w.sent(id, "email", "reminder") {
		bodies = append(bodies, d.Payload["body"].(string))
	}
	want := "Your haircut (booking a-1) is tomorrow, Ada.|Your colour (booking a-2) is tomorrow, Ada."
	if strings.Join(bodies, "|") != want {
		t.Fatalf("reminders after the drain %q, want one per entry with its own event\n%s", bodies, w.story(id))
	}
}

// A step added after a contact's position reaches it too (it has not
// passed its place): the report counts it among those who will get the
// step, and says when it would, staying subscribed.
func TestMigrateCountsContactsBeforeANewStep(t *testing.T) {
	seq := `
sequence "tips" {
  kind = "step"
  step "one" {
    schedule {
      days_after = 1
    }
    email = email.receipt
  }
  step "two" {
    schedule {
      days_after = 2
    }
    sms = sms.nudge
  }
}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.tips
  }
  add_to_sequence "tips" {
    sequence = sequence.tips
  }
}
`
	w := scenario(t, seq)
	id := w.ada()
	w.tag(id, "go") // waiting for step one, a day from now
	next := linkScenario(t, strings.Replace(seq, "    sms = sms.nudge\n  }\n", "    sms = sms.nudge\n  }\n  step \"last\" {\n    schedule {\n      days_after = 1\n    }\n    email = email.promo\n  }\n", 1))
	rep, err := migrate(t, w, next, runtime.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.NewSteps) != 1 || rep.NewSteps[0].Step != "tips/last" || rep.NewSteps[0].Contacts != 1 || rep.NewSteps[0].First == nil {
		t.Fatalf("the report's new steps: %+v; want tips/last with the 1 contact still before it", rep.NewSteps)
	}
	// Step one the next day at the default send time (Thursday 10:00), two
	// two days later (Saturday), the new one a day after that.
	if want := time.Date(2026, 6, 14, 14, 0, 0, 0, time.UTC); !rep.NewSteps[0].First.Equal(want) {
		t.Errorf("the new step's first time is %s; want %s, when the contact would reach it", rep.NewSteps[0].First, want)
	}
}
