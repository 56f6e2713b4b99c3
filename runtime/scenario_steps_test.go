package runtime_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime"
)

// Ontraport's step settings on journey's sequences: how days are counted
// past a draft step and past a step that fired late.

// Ontraport's own example: steps on day 0, five days later and five days
// after that; the third step goes on day 10 from the subscription. With the
// middle step a draft, it still does: a draft step keeps its place in the
// schedule and is passed without doing anything.
const draftMiddleStep = `
sequence "welcome" {
  unsubscribe_after_last_step = true

  step "day_0" {
    schedule {
      days_after = 0
      at         = "18:30"
    }
    email = email.promo
  }
  step "day_5" {
    draft  = true
    ignore = ["draft-element"]
    schedule {
      days_after = 5
      at         = "07:15"
    }
    email = email.promo2
  }
  step "day_10" {
    schedule {
      days_after = 5
      delay      = "30m"
    }
    sms = sms.nudge
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.welcome
  }
  add_to_sequence "welcome" {
    sequence = sequence.welcome
    next     = change_tags.back
  }
  change_tags "back" {
    add = [tag.a]
  }
}
`

func TestDraftStepKeepsItsDays(t *testing.T) {
	w := scenario(t, draftMiddleStep)
	id := w.ada()
	w.tag(id, "go") // Wednesday 10 June, 13:37
	w.advance(20 * aDay)

	w.expectAt(id, "day_0", "sent", "2026-06-10T18:30:00-04:00")
	// The draft is passed when it would have fired, and sends nothing.
	w.expectAt(id, "day_5", "skipped: draft", "2026-06-15T07:15:00-04:00")
	w.expectNever(id, "day_5", "sent")
	if got := w.sent(id, "email", "promo2"); len(got) != 0 {
		t.Fatalf("the draft step sent %d emails\n%s", len(got), w.story(id))
	}
	// Day 10 counts from the draft's day, not from day 0's: five days
	// after Monday 07:15, plus the step's 30 minutes.
	w.expectAt(id, "day_10", "sent", "2026-06-20T07:45:00-04:00")
	w.expectAt(id, "welcome", "returned", "2026-06-20T07:45:00-04:00")
}

// A draft last step keeps its place too: a sequence that lets contacts go
// after its last step does so when the draft would have fired.
func TestDraftLastStepLetsContactsGoOnItsDay(t *testing.T) {
	w := scenario(t, `
sequence "welcome" {
  unsubscribe_after_last_step = true

  step "first" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    email = email.promo
  }
  step "unfinished" {
    draft  = true
    ignore = ["draft-element"]
    schedule {
      days_after = 2
      at         = "09:00"
    }
    email = email.promo2
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.welcome
  }
  add_to_sequence "welcome" {
    sequence = sequence.welcome
    next     = change_tags.back
  }
  change_tags "back" {
    add = [tag.a]
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(10 * aDay)
	w.expectAt(id, "first", "sent", "2026-06-11T09:00:00-04:00")
	w.expectAt(id, "unfinished", "skipped: draft", "2026-06-13T09:00:00-04:00")
	w.expectAt(id, "welcome", "returned", "2026-06-13T09:00:00-04:00")
	if e := w.enrollment(id, "sequence", "welcome"); e.Status != "ended" {
		t.Fatalf("sequence enrollment %s, want ended\n%s", e.Status, w.story(id))
	}
}

// A step that fires late (a busy server, a scheduler that was down) does
// not push the steps after it back: each step counts its days from when the
// step before it was due.
func TestStepCountsFromThePreviousStepsScheduledTime(t *testing.T) {
	w := scenario(t, `
sequence "welcome" {
  step "first" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    email = email.promo
  }
  step "second" {
    schedule {
      days_after = 0
      delay      = "2h"
    }
    email = email.promo2
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.both
  }
  fork "both" {
    paths = [add_to_sequence.welcome, end.done]
  }
  add_to_sequence "welcome" {
    sequence = sequence.welcome
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "go")
	// The first step is due Thursday 09:00; the engine gets to it 40
	// minutes late.
	late := mustTime(t, "2026-06-11T09:40:00-04:00")
	w.sim.Clock.Set(late)
	if _, err := w.sim.Engine.RunDue(w.ctx, 100); err != nil {
		t.Fatal(err)
	}
	w.expectAt(id, "first", "sent", "2026-06-11T09:40:00-04:00")
	w.advance(2 * aDay)
	w.expectAt(id, "second", "sent", "2026-06-11T11:00:00-04:00")
}

// Publishing a draft step (a new plan without draft = true) reaches the
// contacts that have not passed its place and never those past it, as for
// a step added to a sequence (RUNTIME.md, "Applying a new version").
func TestPublishedDraftStepReachesOnlyContactsBeforeIt(t *testing.T) {
	w := scenario(t, draftMiddleStep)
	past := w.ada()
	w.tag(past, "go") // passes the draft on Monday 15 June, 07:15
	w.advance(4 * aDay)
	before := w.contact(map[string]any{"email": "grace@example.com", "first_name": "Grace", "phone": "+15550198"})
	w.tag(before, "go") // Sunday 14 June: the draft is due Friday 19 June, 07:15
	w.until(mustTime(t, "2026-06-16T12:00:00-04:00"))

	published := strings.Replace(draftMiddleStep, "    draft  = true\n    ignore = [\"draft-element\"]\n", "", 1)
	if published == draftMiddleStep {
		t.Fatal("the test's plan still has its draft")
	}
	if _, err := migrate(t, w, linkScenario(t, published), runtime.ApplyOptions{}); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	w.advance(10 * aDay)

	w.expectAt(before, "day_5", "sent", "2026-06-19T07:15:00-04:00")
	w.expectAt(before, "day_10", "sent", "2026-06-24T07:45:00-04:00")
	if got := w.sent(past, "email", "promo2"); len(got) != 0 {
		t.Fatalf("a contact past the draft got it once it was published\n%s", w.story(past))
	}
	w.expectAt(past, "day_10", "sent", "2026-06-20T07:45:00-04:00")
}

// A task step with wait_for_completion holds the sequence until the task
// is completed (as assign_task does a campaign's contact); the steps after
// it count from the completion.
const taskStepSequence = `
sequence "onboarding" {
  unsubscribe_after_last_step = true

  step "call" {
    task                = task.call
    wait_for_completion = true
  }
  step "follow_up" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    email = email.receipt
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.onboarding
  }
  add_to_sequence "onboarding" {
    sequence = sequence.onboarding
    next     = change_tags.back
  }
  change_tags "back" {
    add = [tag.a]
  }
}

rule "hold" {
  when = tag_added(tag.vip)
  then {
    pause_sequence {
      sequence = sequence.onboarding
    }
  }
}

rule "release" {
  when = tag_added(tag.b)
  then {
    unpause_sequence {
      sequence = sequence.onboarding
    }
  }
}
`

func TestTaskStepWaitsForCompletion(t *testing.T) {
	w := scenario(t, taskStepSequence)
	done := w.ada()
	open := w.contact(map[string]any{"email": "grace@example.com", "first_name": "Grace"})
	w.tag(done, "go") // Wednesday 10 June, 13:37: the call step is due Thursday 10:00
	w.tag(open, "go")
	w.until(mustTime(t, "2026-06-13T13:37:00-04:00"))
	w.expectAt(done, "call", "task assigned; waiting for it to be completed", "2026-06-11T10:00:00-04:00")

	// Another task's completion does not let the contact go on.
	w.event(done, "task_completed", "task", "other")
	w.advance(aDay)
	w.expectNever(done, "follow_up", "sent")
	w.event(done, "task_completed", "task", "call") // Sunday 14 June, 13:37
	w.advance(10 * aDay)

	// The next step counts its day from the completion: Monday at 09:00.
	w.expectAt(done, "call", "task completed", "2026-06-14T13:37:00-04:00")
	w.expectAt(done, "follow_up", "sent", "2026-06-15T09:00:00-04:00")
	w.expectAt(done, "onboarding", "returned", "2026-06-15T09:00:00-04:00")
	if tasks := w.records(done, "task"); len(tasks) != 1 || tasks[0].Status != "completed" {
		t.Fatalf("tasks: %+v", tasks)
	}

	// Without the completion, the sequence waits at the task for good.
	w.expectNever(open, "follow_up", "sent")
	if tasks := w.records(open, "task"); len(tasks) != 1 || tasks[0].Status != "open" {
		t.Fatalf("open contact's tasks: %+v", tasks)
	}
	if e := w.enrollment(open, "sequence", "onboarding"); e.Status != "active" || len(e.Tokens) != 1 || e.Tokens[0].Element != "call" || e.Tokens[0].State != "holding" {
		t.Fatalf("the open contact's sequence: %+v\n%s", e, w.story(open))
	}
}

// A task completed while the sequence is paused lets it go on at the
// unpause; the next step counts from then.
func TestTaskStepCompletedWhilePausedGoesOnAtTheUnpause(t *testing.T) {
	w := scenario(t, taskStepSequence)
	id := w.ada()
	w.tag(id, "go")
	w.until(mustTime(t, "2026-06-12T08:00:00-04:00"))
	w.tag(id, "vip") // paused on Friday
	w.event(id, "task_completed", "task", "call")
	w.advance(3 * aDay)
	w.expectNever(id, "follow_up", "sent")
	w.tag(id, "b") // unpaused Monday 15 June, 08:00
	w.advance(5 * aDay)
	w.expectAt(id, "follow_up", "sent", "2026-06-16T09:00:00-04:00")
}

// A new plan that changes the sequence leaves a contact waiting for its
// step's task where it is; once the task is completed, it goes on to the
// step after that one in the new plan.
func TestTaskStepHoldSurvivesANewPlan(t *testing.T) {
	w := scenario(t, taskStepSequence)
	id := w.ada()
	w.tag(id, "go")
	w.until(mustTime(t, "2026-06-12T08:00:00-04:00")) // holding for the call since Thursday
	withThanks := strings.Replace(taskStepSequence, `  step "follow_up" {`, `  step "thanks" {
    schedule {
      days_after = 0
      delay      = "1h"
    }
    sms = sms.nudge
  }
  step "follow_up" {`, 1)
	if _, err := migrate(t, w, linkScenario(t, withThanks), runtime.ApplyOptions{}); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	w.advance(2 * aDay)
	w.expectNever(id, "thanks", "sent")
	w.expectNever(id, "follow_up", "sent")
	w.event(id, "task_completed", "task", "call") // Sunday 14 June, 08:00
	w.advance(5 * aDay)
	w.expectAt(id, "thanks", "sent", "2026-06-14T09:00:00-04:00")
	w.expectAt(id, "follow_up", "sent", "2026-06-15T09:00:00-04:00")
}

// A new plan without the task step, applied with --drain, sends the
// contacts waiting for its task on to the step after it.
func TestTaskStepRemovedByADrainingPlanGoesOn(t *testing.T) {
	w := scenario(t, taskStepSequence)
	id := w.ada()
	w.tag(id, "go")
	w.until(mustTime(t, "2026-06-12T08:00:00-04:00"))
	withoutCall := strings.Replace(taskStepSequence, `  step "call" {
    task                = task.call
    wait_for_completion = true
  }
`, "", 1)
	if _, err := migrate(t, w, linkScenario(t, withoutCall), runtime.ApplyOptions{Drain: true}); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	w.advance(2 * aDay)
	if len(w.sent(id, "email", "receipt")) != 1 {
		t.Fatalf("the drained contact did not go on to the follow-up\n%s", w.story(id))
	}
}

// A split step sends each contact one of its paths' messages, by weight,
// and always the same one for the same contact (the path is chosen by
// hashing the contact's identity with the step's ID, as a campaign's
// split does with the element's).
const splitStepSequence = `
sequence "offer" {
  unsubscribe_after_last_step = true

  step "pitch" {
    schedule {
      days_after = 0
      delay      = "0m"
    }
    split {
      path {
        weight = 50
        email  = email.receipt
      }
      path {
        weight = 30
        sms    = sms.nudge
      }
      path {
        weight = 20
        postcard = postcard.thanks
      }
    }
  }
}

rule "subscribe" {
  when = contact_created()
  then {
    add_to_sequence {
      sequence = sequence.offer
    }
  }
}

rule "subscribe_again" {
  when = form_submitted(form.signup)
  then {
    add_to_sequence {
      sequence = sequence.offer
    }
  }
}
`

// splitStepShares are the paths' weights in splitStepSequence, by the
// kind of delivery each path makes.
var splitStepShares = map[string]float64{"email": 50, "sms": 30, "postcard": 20}

// splitStepContacts is how many contacts the shares are measured over: a
// fair split of 5,000 strays 3 points from a weight of 50 one time in
// 45,000 (4.2 standard deviations), and less often from 30 or 20.
const splitStepContacts = 5000

// The check: a split sequence step over many contacts lands
// within 3 points of its weights.
func TestSplitStepLandsWithinThreePointsOfItsWeights(t *testing.T) {
	w := scenario(t, splitStepSequence)
	for i := 0; i < splitStepContacts; i++ {
		w.contact(map[string]any{"email": fmt.Sprintf("person%d@example.com", i), "phone": fmt.Sprintf("+1555%07d", i)})
	}
	w.advance(aDay)
	counts := map[string]int{}
	perContact := map[int64]int{}
	for _, d := range w.sink.got {
		counts[d.Kind]++
		perContact[d.ContactID]++
	}
	if len(perContact) != splitStepContacts {
		t.Fatalf("%d of %d contacts got a message from the split step", len(perContact), splitStepContacts)
	}
	for id, n := range perContact {
		if n != 1 {
			t.Fatalf("contact %d got %d messages from the split step, want one\n%s", id, n, w.story(id))
		}
	}
	expectShares(t, "split step", counts, splitStepShares)
}

// deliveredKinds are the kinds of the deliveries a contact got, in order.
func deliveredKinds(w *world, id int64) []string {
	var out []string
	for _, d := range w.deliveries(id) {
		out = append(out, d.Kind)
	}
	return out
}

// aloneOnAFreshStore is what a contact is sent by the split step when it
// is the only contact of a fresh store, as in journey simulate and
// journey test (where every contact is row 1).
func aloneOnAFreshStore(t *testing.T, prog *runtime.Program, fields map[string]any) []string {
	t.Helper()
	w := newWorld(t, prog, scenarioStart)
	id := w.contact(fields)
	w.advance(aDay)
	return deliveredKinds(w, id)
}

// The same contact takes the same path alone, in a store of many, and
// when it is subscribed again.
func TestSplitStepPathFollowsTheContact(t *testing.T) {
	prog := linkScenario(t, splitStepSequence)
	w := newWorld(t, prog, scenarioStart)
	for i := 0; i < 7; i++ {
		w.contact(map[string]any{"email": fmt.Sprintf("someone%d@example.com", i)})
	}
	paths := map[string]bool{}
	for i := 0; i < 20; i++ {
		fields := map[string]any{"email": fmt.Sprintf("person%d@example.com", i), "phone": "+15550199"}
		alone := aloneOnAFreshStore(t, prog, fields)
		if len(alone) != 1 {
			t.Fatalf("%s was sent %v alone, want one message", fields["email"], alone)
		}
		id := w.contact(fields)
		w.advance(aDay)
		// Subscribed again after the sequence let it go: the same path.
		w.event(id, "form_submitted", "form", "signup")
		w.advance(aDay)
		if shared := deliveredKinds(w, id); len(shared) != 2 || shared[0] != alone[0] || shared[1] != alone[0] {
			t.Fatalf("%s took %s alone, %v subscribed twice in a shared store", fields["email"], alone[0], shared)
		}
		paths[alone[0]] = true
	}
	if len(paths) != len(splitStepShares) {
		t.Errorf("20 contacts took only the paths %v", paths)
	}
}

// The timeline says which path the contact took, and what it was sent.
func TestSplitStepTimelineSaysThePath(t *testing.T) {
	w := scenario(t, splitStepSequence)
	id := w.ada()
	w.advance(aDay)
	took := w.entries(id, "pitch", "took path ")
	if len(took) != 1 {
		t.Fatalf("the timeline does not say which path the contact took\n%s", w.story(id))
	}
	sent := w.entries(id, "pitch", "sent")
	if len(sent) != 1 || !took[0].At.Equal(sent[0].At) {
		t.Fatalf("the split step sent %d messages\n%s", len(sent), w.story(id))
	}
	want := map[string]string{"send_email": "took path 1 of 3", "send_sms": "took path 2 of 3", "send_postcard": "took path 3 of 3"}[sent[0].Kind]
	if took[0].Outcome != want {
		t.Fatalf("the timeline says %q for a %s, want %q\n%s", took[0].Outcome, sent[0].Kind, want, w.story(id))
	}
}

// journey test says why a split step did not send a message: the contact
// took the other path.
func TestSentFailureOfASplitStepSaysThePathTaken(t *testing.T) {
	got := runScenariosWith(t, `
account {
  time_zone = "America/New_York"
}

form "signup" {}

email "a" {
  subject = "Save 20%"
  body    = "Hi"
}
email "b" {
  subject = "A free month"
  body    = "Hi"
}

sequence "offer" {
  unsubscribe_after_last_step = true

  step "pitch" {
    split {
      path {
        weight = 50
        email  = email.a
      }
      path {
        weight = 50
        email  = email.b
      }
    }
  }
}

campaign "c" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.offer
  }
  add_to_sequence "offer" {
    sequence = sequence.offer
    next     = end.done
  }
  end "done" {}
}
`, `
scenario "both versions" {
  campaign = campaign.c
  start    = "2026-06-10T08:00:00-04:00"
  for      = "2d"
  contact  = { email = "reader@example.com" }
  expect {
    sent = email.a
  }
  expect {
    sent = email.b
  }
}
`, 0)
	msgs := got["both versions"]
	if len(msgs) != 1 {
		t.Fatalf("a contact got both versions of the split step, or neither: %q", msgs)
	}
	for _, want := range []string{"it never was: step pitch of sequence offer at Wed 10 Jun 2026 10:00 EDT: took path ", " of 2"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("the failure %q does not say %q", msgs[0], want)
		}
	}
}

// A rule step whose then assigns a task with wait_for_completion waits for
// it as a task step does (before, it went on at once and the attribute
// did nothing).
func TestRuleStepWaitsForItsTask(t *testing.T) {
	w := scenario(t, `
sequence "onboarding" {
  step "call_vips" {
    rule {
      if = has_tag(tag.vip)
      then {
        change_tags {
          add = [tag.a]
        }
        assign_task {
          task                = task.call
          wait_for_completion = true
        }
      }
    }
  }
  step "follow_up" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    email = email.receipt
  }
}

rule "subscribe" {
  when = tag_added(tag.go)
  then {
    add_to_sequence {
      sequence = sequence.onboarding
    }
  }
}
`)
	vip := w.contact(map[string]any{"email": "v@example.com", "tags": []string{"vip"}})
	plain := w.contact(map[string]any{"email": "p@example.com"})
	w.tag(vip, "go")
	w.tag(plain, "go")
	w.until(mustTime(t, "2026-06-14T12:00:00-04:00"))
	// The plain contact's rule did not run: nothing to wait for.
	w.expectAt(plain, "follow_up", "sent", "2026-06-12T09:00:00-04:00")
	w.expectNever(vip, "follow_up", "sent")
	w.event(vip, "task_completed", "task", "call")
	w.advance(3 * aDay)
	w.expectAt(vip, "follow_up", "sent", "2026-06-15T09:00:00-04:00")
}
