package runtime_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
)

// The seeds' behaviours (Ontraport, Keap, Mautic), each as its own test.

const aDay = 24 * time.Hour

func TestUnconfiguredTimerNeverFires(t *testing.T) {
	// The validator refuses this workspace (unconfigured-timer); the engine
	// must still hold the contact there forever.
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.later
  }
  wait "later" {
    next = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = end.done
  }
  end "done" {}
}
`, "unconfigured-timer")
	id := w.ada()
	w.tag(id, "go")
	w.advance(3 * 365 * aDay)
	w.expectAt(id, "later", "waiting forever", scenarioStart)
	w.expectNever(id, "later", "waited")
	w.expectNever(id, "nudge", "sent")
	if len(w.deliveries(id)) != 0 {
		t.Fatalf("deliveries behind an unconfigured timer: %+v", w.deliveries(id))
	}
	w.expectFinal(id, "c", "active", "later")
}

// TestUnconfiguredTimerInAHandBuiltPlan runs a plan written by hand, as a
// plan file from elsewhere could be: a wait with no timer at all, and an
// appointment with an empty time.
func TestUnconfiguredTimerInAHandBuiltPlan(t *testing.T) {
	raw := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	p := &plan.Plan{
		FormatVersion: plan.FormatVersion,
		Hash:          "sha256:handbuilt",
		Account:       plan.Account{TimeZone: "UTC", DefaultSendTime: "10:00"},
		Assets: []plan.Asset{
			{Kind: "sms", Name: "nudge", Settings: plan.Settings{"body": raw(plan.Expression{Text: "hi"})}},
		},
		Campaigns: []plan.Campaign{{
			Name:    "c",
			Reentry: plan.Reentry{Mode: "once"},
			Elements: []plan.Element{
				{ID: "c/t", Name: "t", Kind: "trigger", Settings: plan.Settings{"on": raw(plan.Event{Kind: "api", Args: plan.Settings{"name": raw("go")}})}, Edges: []plan.Edge{{Label: "next", To: "fork"}}},
				{ID: "c/fork", Name: "fork", Kind: "fork", Settings: plan.Settings{}, Edges: []plan.Edge{{Label: "path 1", To: "later"}, {Label: "path 2", To: "meet"}, {Label: "path 3", To: "empty"}}},
				{ID: "c/later", Name: "later", Kind: "wait", Settings: plan.Settings{}, Edges: []plan.Edge{{Label: "next", To: "nudge"}}},
				{ID: "c/empty", Name: "empty", Kind: "wait", Settings: plan.Settings{"timer": raw(plan.Timer{TimeZone: plan.Zone{Mode: "account", Name: "UTC"}})}, Edges: []plan.Edge{{Label: "next", To: "nudge"}}},
				{ID: "c/meet", Name: "meet", Kind: "create_appointment", Settings: plan.Settings{"title": raw(plan.Expression{Text: "x"}), "at": raw(plan.Timer{})}, Edges: []plan.Edge{{Label: "next", To: "nudge"}}},
				{ID: "c/nudge", Name: "nudge", Kind: "send_sms", Settings: plan.Settings{"sms": raw("nudge")}, Edges: []plan.Edge{}},
			},
		}},
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, prog, scenarioStart)
	id := w.ada()
	w.event(id, "api", "name", "go")
	w.advance(400 * aDay)
	w.expectAt(id, "later", "waiting forever", scenarioStart)
	w.expectAt(id, "empty", "waiting forever", scenarioStart)
	w.expectAt(id, "meet", "skipped: the appointment's time can never be", scenarioStart)
	// Only the appointment's path goes on (the appointment is skipped).
	if got := len(w.sent(id, "sms")); got != 1 {
		t.Fatalf("%d texts, want 1 (from the appointment's path only)\n%s", got, w.story(id))
	}
	if len(w.records(id, "appointment")) != 0 {
		t.Fatal("an appointment with no time was booked")
	}
}

const foreverSequence = `
sequence "forever" {
  kind = "step"

  step "one" {
    email = email.promo
  }
  step "two" {
    schedule {
      days_after = 1
      at         = "08:00"
    }
    email = email.promo2
  }
}
`

func TestNeverEndingSequenceHoldsWithoutFork(t *testing.T) {
	w := scenario(t, foreverSequence+`
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.forever
  }
  add_to_sequence "forever" {
    sequence = sequence.forever
    next     = change_tags.after
  }
  change_tags "after" {
    add  = [tag.a]
    next = end.done
  }
  end "done" {}
}
`, "missing-fork-before-add-to-sequence")
	id := w.ada()
	w.tag(id, "go")
	w.advance(90 * aDay)
	// Both steps were sent; the sequence keeps the contact; the campaign
	// never gets it back.
	w.expectAt(id, "one", "sent", "2026-06-11T10:00:00-04:00")
	w.expectAt(id, "two", "sent", "2026-06-12T08:00:00-04:00")
	w.expectNever(id, "after", "tags changed")
	if w.get(id).HasTag("a") {
		t.Fatal("the element after add_to_sequence ran")
	}
	w.expectFinal(id, "c", "waiting", "forever")
	seq := w.enrollment(id, "sequence", "forever")
	if seq == nil || seq.Status != "active" || len(seq.Tokens) != 1 || seq.Tokens[0].State != "done" {
		t.Fatalf("sequence enrollment: %+v", seq)
	}
}

func TestNeverEndingSequenceWithForkGoesOn(t *testing.T) {
	w := scenario(t, foreverSequence+`
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [add_to_sequence.forever, change_tags.after]
  }
  add_to_sequence "forever" {
    sequence = sequence.forever
  }
  change_tags "after" {
    add  = [tag.a]
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.expectAt(id, "after", "tags changed", scenarioStart)
	w.advance(90 * aDay)
	if !w.get(id).HasTag("a") {
		t.Fatal("the path beside add_to_sequence did not run")
	}
	w.expectAt(id, "two", "sent", "2026-06-12T08:00:00-04:00")
	if e := w.enrollment(id, "sequence", "forever"); e.Status != "active" {
		t.Fatalf("the sequence let the contact go: %s", e.Status)
	}
}

const parentChild = `
campaign "parent" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_campaign.child
  }
  add_to_campaign "child" {
    campaign = campaign.child
    next     = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}

campaign "child" {
  trigger "added" {
    on   = added_to_campaign()
    next = wait.two_days
  }
  wait "two_days" {
    for  = "2d"
    next = condition.vip
  }
  condition "vip" {
    if   = has_tag(tag.vip)
    then = end.out
    else = decision.clicked
  }
  end "out" {
    exit = true
  }
  decision "clicked" {
    on     = tag_added(tag.c)
    within = "1d"
    yes    = end.done
    no     = end.done
  }
  end "done" {}
}
`

func TestAddToCampaignReturnsAfterEnd(t *testing.T) {
	w := scenario(t, parentChild)
	id := w.ada()
	w.tag(id, "go")
	w.expectAt(id, "child", "added; waiting for the contact to come back", scenarioStart)
	// Not while it is still waiting there: on the wait, then the decision.
	for _, step := range []time.Duration{aDay, 2*aDay + time.Hour} {
		w.until(mustTime(t, scenarioStart).Add(step))
		if len(w.sent(id, "email")) != 0 {
			t.Fatalf("the parent went on after %s while the child still held the contact\n%s", step, w.story(id))
		}
		w.expectFinal(id, "parent", "waiting", "child")
		w.expectFinal(id, "child", "waiting", "*")
	}
	w.advance(10 * aDay)
	w.expectAt(id, "done", "ended", "2026-06-13T13:37:00-04:00")
	w.expectAt(id, "child", "returned", "2026-06-13T13:37:00-04:00")
	w.expectAt(id, "receipt", "sent", "2026-06-13T13:37:00-04:00")
	w.expectFinal(id, "child", "ended", "done")
	w.expectFinal(id, "parent", "ended", "done")
}

func TestAddToCampaignReturnsAfterExit(t *testing.T) {
	w := scenario(t, parentChild)
	id := w.contact(map[string]any{"email": "v@example.com", "tags": []string{"vip"}})
	w.tag(id, "go")
	w.advance(10 * aDay)
	w.expectAt(id, "out", "exited", "2026-06-12T13:37:00-04:00")
	w.expectAt(id, "receipt", "sent", "2026-06-12T13:37:00-04:00")
	w.expectFinal(id, "child", "exited", "out")
	w.expectFinal(id, "parent", "ended", "done")
}

func TestAddToCampaignNeverReturnsFromAnEndlessPath(t *testing.T) {
	w := scenario(t, `
campaign "parent" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_campaign.child
  }
  add_to_campaign "child" {
    campaign = campaign.child
    next     = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
  }
}

campaign "child" {
  trigger "added" {
    on   = added_to_campaign()
    next = change_tags.mark
  }
  change_tags "mark" {
    add = [tag.a]
  }
}
`, "missing-fork-before-add-to-campaign")
	id := w.ada()
	w.tag(id, "go")
	w.advance(30 * aDay)
	// The child's path stopped without an end: the contact stays there and
	// never comes back.
	w.expectFinal(id, "child", "active", "mark")
	w.expectFinal(id, "parent", "waiting", "child")
	w.expectNever(id, "receipt", "sent")
}

func TestMarketingEmailGoesOnce(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_email.first
  }
  send_email "first" {
    email = email.promo
    next  = wait.w
  }
  wait "w" {
    for  = "1d"
    next = send_email.again
  }
  send_email "again" {
    email = email.promo
    next  = send_email.receipt_1
  }
  send_email "receipt_1" {
    email = email.receipt
    next  = wait.w2
  }
  wait "w2" {
    for  = "1h"
    next = send_email.receipt_2
  }
  send_email "receipt_2" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}

campaign "other" {
  trigger "t" {
    on   = tag_added(tag.b)
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(3 * aDay)
	w.tag(id, "b")
	promos := w.sent(id, "email", "promo")
	if len(promos) != 1 || !promos[0].Marketing {
		t.Fatalf("promo deliveries: %d, want 1 marketing\n%s", len(promos), w.story(id))
	}
	w.expectAt(id, "again", "skipped: marketing email already sent to this contact", "2026-06-11T13:37:00-04:00")
	if got := w.entries(id, "promo", "skipped: marketing email already sent"); len(got) != 1 {
		t.Fatalf("the other campaign's send was not skipped\n%s", w.story(id))
	}
	receipts := w.sent(id, "email", "receipt")
	if len(receipts) != 2 || receipts[0].Marketing || receipts[0].Key == receipts[1].Key {
		t.Fatalf("receipts: %+v", receipts)
	}
}

func TestStepSequenceSchedules(t *testing.T) {
	w := scenario(t, `
sequence "tips" {
  kind                        = "step"
  unsubscribe_after_last_step = true

  step "thanks" {
    email = email.receipt
  }
  step "weekday" {
    schedule {
      days_after = 1
      at         = "07:00"
      on_days    = weekdays
    }
    sms = sms.nudge
  }
  step "delayed" {
    schedule {
      days_after = 2
      delay      = "15m"
    }
    postcard = postcard.thanks
  }
  step "draft" {
    draft = true
    schedule {
      days_after = 1
    }
    email = email.promo2
  }
  step "task" {
    schedule {
      days_after = 3
    }
    task = task.call
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.tips
  }
  add_to_sequence "tips" {
    sequence = sequence.tips
    next     = change_tags.back
  }
  change_tags "back" {
    add = [tag.a]
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(30 * aDay)
	// Wednesday 13:37 is past the default send time (10:00): the first
	// step goes the next day; 07:00 the day after is a Friday; two days
	// later plus 15 minutes is Sunday 07:15; the draft step is passed a
	// day later at the default send time, Monday 10:00, without sending;
	// three days after it at the default send time is Thursday 10:00.
	w.expectAt(id, "thanks", "sent", "2026-06-11T10:00:00-04:00")
	w.expectAt(id, "weekday", "sent", "2026-06-12T07:00:00-04:00")
	w.expectAt(id, "delayed", "sent", "2026-06-14T07:15:00-04:00")
	w.expectAt(id, "draft", "skipped: draft", "2026-06-15T10:00:00-04:00")
	w.expectNever(id, "draft", "sent")
	w.expectAt(id, "task", "task assigned", "2026-06-18T10:00:00-04:00")
	w.expectAt(id, "tips", "returned", "2026-06-18T10:00:00-04:00")
	if !w.get(id).HasTag("a") {
		t.Fatal("the campaign did not get the contact back after the last step")
	}
	if e := w.enrollment(id, "sequence", "tips"); e.Status != "ended" || len(e.Tokens) != 0 {
		t.Fatalf("sequence enrollment: %+v", e)
	}
	for _, d := range w.deliveries(id) {
		if !strings.HasPrefix(d.Source, "tips/") {
			t.Fatalf("delivery source %q does not name the step", d.Source)
		}
	}
	if len(w.records(id, "task")) != 1 {
		t.Fatal("the task step created no task")
	}
}

func TestDateSequenceSchedules(t *testing.T) {
	w := scenario(t, `
sequence "dates" {
  kind                        = "date"
  unsubscribe_after_last_step = true

  step "past" {
    schedule {
      date = "2026-06-01"
    }
    email = email.promo2
  }
  step "launch" {
    schedule {
      date = "2026-07-04"
      at   = "09:00"
    }
    email = email.promo
  }
  step "before_trial_ends" {
    schedule {
      on_field = field.trial_ends
      offset   = "-2d"
      at       = "10:00"
    }
    sms = sms.nudge
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.dates
  }
  add_to_sequence "dates" {
    sequence = sequence.dates
    next     = end.done
  }
  end "done" {}
}
`)
	id := w.contact(map[string]any{"email": "ada@example.com", "phone": "+15550199", "trial_ends": "2026-06-20"})
	noDate := w.contact(map[string]any{"email": "bob@example.com", "phone": "+15550198"})
	w.tag(id, "go")
	w.tag(noDate, "go")
	w.advance(60 * aDay)
	w.expectNever(id, "past", "sent")
	w.expectAt(id, "before_trial_ends", "sent", "2026-06-18T10:00:00-04:00")
	w.expectAt(id, "launch", "sent", "2026-07-04T09:00:00-04:00")
	w.expectAt(id, "done", "ended", "2026-07-04T09:00:00-04:00")
	// Without the date field, only the absolute date fires.
	w.expectNever(noDate, "before_trial_ends", "sent")
	w.expectAt(noDate, "launch", "sent", "2026-07-04T09:00:00-04:00")
}

func TestAnnualStepFiresEveryYear(t *testing.T) {
	w := scenario(t, `
sequence "birthdays" {
  kind = "date"

  step "birthday" {
    schedule {
      on_field = field.birthday
      annual   = true
      at       = "09:00"
    }
    sms = sms.nudge
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [add_to_sequence.birthdays, end.done]
  }
  add_to_sequence "birthdays" {
    sequence = sequence.birthdays
  }
  end "done" {}
}
`)
	march := w.contact(map[string]any{"phone": "+15550101", "birthday": "1990-03-15"})
	leap := w.contact(map[string]any{"phone": "+15550102", "birthday": "2000-02-29"})
	june := w.contact(map[string]any{"phone": "+15550103", "birthday": "1985-06-10"}) // today, 09:00 passed
	for _, id := range []int64{march, leap, june} {
		w.tag(id, "go")
	}
	w.until(mustTime(t, "2029-12-31T00:00:00-05:00"))
	want := map[int64][]string{
		march: {"2027-03-15T09:00:00-04:00", "2028-03-15T09:00:00-04:00", "2029-03-15T09:00:00-04:00"},
		leap:  {"2027-02-28T09:00:00-05:00", "2028-02-29T09:00:00-05:00", "2029-02-28T09:00:00-05:00"},
		june:  {"2027-06-10T09:00:00-04:00", "2028-06-10T09:00:00-04:00", "2029-06-10T09:00:00-04:00"},
	}
	for id, times := range want {
		got := w.entries(id, "birthday", "sent")
		if len(got) != len(times) {
			t.Fatalf("contact %d: %d birthday texts, want %d\n%s", id, len(got), len(times), w.story(id))
		}
		for i, e := range got {
			if !e.At.Equal(mustTime(t, times[i])) {
				t.Fatalf("contact %d: text %d at %s, want %s", id, i, e.At.Format(time.RFC3339), times[i])
			}
		}
		keys := map[string]bool{}
		for _, d := range w.sent(id, "sms") {
			keys[d.Key] = true
		}
		if len(keys) != len(times) {
			t.Fatalf("contact %d: idempotency keys are not distinct per year: %v", id, keys)
		}
		// A date sequence with an annual step never ends.
		if e := w.enrollment(id, "sequence", "birthdays"); e.Status != "active" {
			t.Fatalf("contact %d: the birthday sequence ended", id)
		}
	}
}

func TestTaskWaitForCompletion(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = assign_task.call
  }
  assign_task "call" {
    task                = task.call
    wait_for_completion = true
    next                = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}
`)
	done := w.ada()
	open := w.ada()
	w.tag(done, "go")
	w.tag(open, "go")
	w.advance(3 * aDay)
	w.event(done, "task_completed", "task", "other")
	w.expectNever(done, "receipt", "sent")
	w.event(done, "task_completed", "task", "call")
	w.advance(30 * aDay)

	w.expectAt(done, "call", "returned", "2026-06-13T13:37:00-04:00")
	w.expectAt(done, "receipt", "sent", "2026-06-13T13:37:00-04:00")
	w.expectFinal(done, "c", "ended", "done")
	tasks := w.records(done, "task")
	if len(tasks) != 1 || tasks[0].Status != "completed" {
		t.Fatalf("tasks: %+v", tasks)
	}
	w.expectNever(open, "receipt", "sent")
	w.expectFinal(open, "c", "waiting", "call")
	if tasks := w.records(open, "task"); len(tasks) != 1 || tasks[0].Status != "open" {
		t.Fatalf("open contact's tasks: %+v", tasks)
	}
}

func TestLegacyRules(t *testing.T) {
	w := scenario(t, `
rule "tag_buyers" {
  when = product_purchased(product.pro)
  if   = !has_tag(tag.customer)
  then {
    change_tags {
      add    = [tag.customer]
      remove = [tag.lead]
    }
    send_email {
      email = email.receipt
    }
    notify_email {
      to      = user.sam
      subject = "New customer: ${contact.first_name}"
      body    = "Say thanks."
    }
    adjust_points {
      points = 50
    }
  }
}

rule "welcome_customers" {
  when = tag_added(tag.customer)
  then {
    change_stage {
      stage = "customer"
    }
  }
}
`)
	id := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "tags": []string{"lead"}})
	w.event(id, "product_purchased", "product", "pro")
	c := w.get(id)
	if !c.HasTag("customer") || c.HasTag("lead") || c.Points != 50 || c.Stage != "customer" {
		t.Fatalf("after the purchase: tags %v, points %v, stage %q\n%s", c.Tags, c.Points, c.Stage, w.story(id))
	}
	if len(w.sent(id, "email", "receipt")) != 1 || len(w.sent(id, "notify_email")) != 1 {
		t.Fatalf("one rule's two sends in one step must both go: %+v\n%s", w.deliveries(id), w.story(id))
	}
	// The if is false now: a second purchase changes nothing.
	w.advance(time.Hour)
	w.event(id, "product_purchased", "product", "pro")
	if c := w.get(id); c.Points != 50 || len(w.sent(id, "email")) != 1 {
		t.Fatalf("the rule ran again though its if is false: points %v", c.Points)
	}
	// A rule's steps are on the timeline under its name.
	w.expectAt(id, "tag_buyers", "ran: product_purchased(product.pro)", scenarioStart)
	if es := w.entries(id, "tag_buyers", "points adjusted"); len(es) != 1 || es[0].Kind != "adjust_points" {
		t.Fatalf("the rule's actions are not on the timeline under its name\n%s", w.story(id))
	}
	keys := map[string]bool{}
	for _, d := range w.deliveries(id) {
		keys[d.Key] = true
	}
	if len(keys) != 2 {
		t.Fatalf("the rule's deliveries share a key: %v", keys)
	}
}

func TestDoNotContactEachChannel(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_email.email
  }
  send_email "email" {
    email = email.promo
    next  = send_sms.sms
  }
  send_sms "sms" {
    sms  = sms.nudge
    next = send_postcard.card
  }
  send_postcard "card" {
    postcard = postcard.thanks
    next     = send_email.to_sam
  }
  send_email "to_sam" {
    email = email.receipt
    to    = user.sam
    next  = notify_sms.sam
  }
  notify_sms "sam" {
    to   = user.sam
    body = "FYI ${contact.first_name}"
  }
}
`)
	base := map[string]any{"email": "x@example.com", "phone": "+15550100", "first_name": "X"}
	with := func(dnc ...string) int64 {
		f := map[string]any{"dnc": dnc}
		for k, v := range base {
			f[k] = v
		}
		return w.contact(f)
	}
	cases := []struct {
		dnc     []string
		blocked []string
	}{
		{nil, nil},
		{[]string{"email"}, []string{"email"}},
		{[]string{"sms"}, []string{"sms"}},
		{[]string{"postcard"}, []string{"card"}},
		{[]string{"all"}, []string{"email", "sms", "card"}},
	}
	for _, tc := range cases {
		id := with(tc.dnc...)
		w.tag(id, "go")
		for _, el := range []string{"email", "sms", "card"} {
			blocked := slices.Contains(tc.blocked, el)
			_, sent := w.happened(id, el, "sent")
			if sent == blocked {
				t.Fatalf("dnc %v: %s sent=%v\n%s", tc.dnc, el, sent, w.story(id))
			}
			if blocked {
				if got := w.entries(id, el, "skipped: the contact asked not to"); len(got) != 1 {
					t.Fatalf("dnc %v: %s not skipped with a reason\n%s", tc.dnc, el, w.story(id))
				}
			}
		}
		// Messages to the team about the contact are not the contact's
		// channel: they go whatever its flags.
		if len(w.sent(id, "email", "receipt")) != 1 || len(w.sent(id, "notify_sms")) != 1 {
			t.Fatalf("dnc %v: team messages: %+v", tc.dnc, w.deliveries(id))
		}
	}
}

func TestDeleteContactRemovesEveryTrace(t *testing.T) {
	w := scenario(t, foreverSequence+`
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [add_to_sequence.forever, add_to_campaign.other, send_email.receipt]
  }
  add_to_sequence "forever" {
    sequence = sequence.forever
  }
  add_to_campaign "other" {
    campaign = campaign.other
  }
  send_email "receipt" {
    email = email.receipt
    next  = assign_task.call
  }
  assign_task "call" {
    task = task.call
    next = apply_note.note
  }
  apply_note "note" {
    text = "Noted"
    next = wait.w
  }
  wait "w" {
    for  = "2d"
    next = delete_contact.erase
  }
  delete_contact "erase" {}
}

campaign "other" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_purchase.book
  }
  add_purchase "book" {
    product = product.book
    next    = wait.long
  }
  wait "long" {
    for  = "30d"
    next = end.done
  }
  end "done" {}
}

campaign "keepers" {
  trigger "t" {
    on   = tag_added(tag.c)
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = wait.w
  }
  wait "w" {
    for  = "1d"
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	keep := w.ada()
	w.tag(id, "go")
	w.tag(keep, "c")
	w.advance(aDay)
	if len(w.deliveries(id)) == 0 || len(w.records(id, "task")) == 0 || len(w.records(id, "purchase")) == 0 {
		t.Fatal("the scenario made no traces to remove")
	}
	w.advance(60 * aDay)
	if w.get(id) != nil {
		t.Fatal("the contact still exists")
	}
	if e := w.enrollments(id); len(e) != 0 {
		t.Fatalf("enrollments left: %+v", e)
	}
	if tl := w.timeline(id); len(tl) != 0 {
		t.Fatalf("timeline left: %d entries", len(tl))
	}
	if d := w.deliveries(id); len(d) != 0 {
		t.Fatalf("deliveries left: %d", len(d))
	}
	for _, kind := range []string{"task", "note", "purchase", "order"} {
		if r := w.records(id, kind); len(r) != 0 {
			t.Fatalf("%s records left: %d", kind, len(r))
		}
	}
	w.expectFinal(id, "c", "deleted", "")
	// Straight from the tables, what the Tx interface does not show.
	for _, q := range []string{
		`SELECT COUNT(*) FROM tokens WHERE contact_id = ?`,
		`SELECT COUNT(*) FROM marketing_sent WHERE contact_id = ?`,
		`SELECT COUNT(*) FROM contacts WHERE id = ?`,
	} {
		var n int
		if err := w.store.DB().QueryRow(q, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%s: %d rows left", q, n)
		}
	}
	// Another contact keeps everything.
	if w.get(keep) == nil || len(w.timeline(keep)) == 0 || len(w.deliveries(keep)) != 1 {
		t.Fatal("deleting one contact touched another")
	}
	next, err := w.sim.Engine.NextDue(context.Background())
	if err != nil || next != nil {
		t.Fatalf("pending timers left: %v %v", next, err)
	}
}

func TestDeleteContactStopsTheOtherPaths(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [delete_contact.erase, change_tags.mark]
  }
  delete_contact "erase" {}
  change_tags "mark" {
    add = [tag.a]
  }
}

campaign "tagged" {
  trigger "t" {
    on   = tag_added(tag.a)
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	if w.get(id) != nil || len(w.timeline(id)) != 0 || len(w.sink.got) != 0 {
		t.Fatalf("the contact was not deleted cleanly: %+v, %d timeline entries, %d handed to the sink", w.get(id), len(w.timeline(id)), len(w.sink.got))
	}
}

func TestActionEventsCascade(t *testing.T) {
	w := scenario(t, `
campaign "a" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = change_tags.tag_b
  }
  change_tags "tag_b" {
    add  = [tag.b]
    next = update_contact.plan
  }
  update_contact "plan" {
    set  = { plan = "pro" }
    next = add_purchase.book
  }
  add_purchase "book" {
    product = product.book
    next    = end.done
  }
  end "done" {}
}

campaign "b" {
  trigger "t" {
    on   = tag_added(tag.b)
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
  }
}

campaign "plan_changed" {
  trigger "t" {
    on    = field_changed(field.plan)
    where = contact.plan == "pro"
    next  = change_stage.pro
  }
  change_stage "pro" {
    stage = "pro"
  }
}

campaign "bought" {
  trigger "t" {
    on   = product_purchased(product.book)
    next = adjust_points.ten
  }
  adjust_points "ten" {
    points = 10
  }
}
`)
	id := w.ada()
	w.event(id, "form_submitted", "form", "signup")
	c := w.get(id)
	if !c.HasTag("b") || c.Stage != "pro" || c.Points != 10 || len(w.sent(id, "email", "receipt")) != 1 {
		t.Fatalf("cascade: tags %v, stage %q, points %v, receipts %d\n%s", c.Tags, c.Stage, c.Points, len(w.sent(id, "email", "receipt")), w.story(id))
	}
	for _, camp := range []string{"b", "plan_changed", "bought"} {
		if e := w.enrollment(id, "campaign", camp); e == nil {
			t.Fatalf("campaign %s was not entered", camp)
		}
	}
}

func TestCascadeBoundStopsTagLoop(t *testing.T) {
	w := scenario(t, `
campaign "ping" {
  reentry = "always"

  trigger "t" {
    on   = tag_added(tag.a)
    next = change_tags.swap
  }
  change_tags "swap" {
    add    = [tag.b]
    remove = [tag.a]
    next   = end.done
  }
  end "done" {}
}

campaign "pong" {
  reentry = "always"

  trigger "t" {
    on   = tag_added(tag.b)
    next = change_tags.swap
  }
  change_tags "swap" {
    add    = [tag.a]
    remove = [tag.b]
    next   = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "a")
	dropped := 0
	for _, e := range w.timeline(id) {
		if strings.HasPrefix(e.Outcome, "event dropped: more than 64 events in one step") {
			dropped++
		}
	}
	if dropped != 1 {
		t.Fatalf("%d cascade-bound entries, want 1\n%s", dropped, w.story(id))
	}
	entries := len(w.entries(id, "t", "entered"))
	if entries == 0 || entries > 64 {
		t.Fatalf("%d entries in one step", entries)
	}
	// The contact is still usable: the next event is handled afresh.
	w.advance(time.Hour)
	w.event(id, "form_submitted", "form", "signup")
	if w.get(id) == nil {
		t.Fatal("the contact was lost")
	}
}

const pausable = `
campaign "main" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.day
  }
  wait "day" {
    for  = "1d"
    next = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = decision.opened
  }
  decision "opened" {
    on     = sms_replied(sms.nudge)
    within = "2d"
    yes    = end.done
    no     = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}

rule "pause" {
  when = api("pause")
  then {
    pause_campaign {
      campaign = campaign.main
    }
  }
}

rule "unpause" {
  when = api("unpause")
  then {
    unpause_campaign {
      campaign = campaign.main
    }
  }
}
`

func TestPausedCampaignTimersWaitForUnpause(t *testing.T) {
	w := scenario(t, pausable)
	id := w.ada()
	start := mustTime(t, scenarioStart)
	w.tag(id, "go")
	w.advance(2 * time.Hour)
	w.event(id, "api", "name", "pause")
	w.expectFinal(id, "main", "paused", "day")
	w.advance(5 * aDay)
	w.expectNever(id, "day", "waited")
	if len(w.deliveries(id)) != 0 {
		t.Fatal("a paused campaign sent")
	}
	w.event(id, "api", "name", "unpause") // 5 days late: the wait fires at once
	w.until(w.now())
	unpaused := start.Add(2*time.Hour + 5*aDay)
	w.expectAt(id, "day", "waited", unpaused.Format(time.RFC3339))
	w.expectAt(id, "nudge", "sent", unpaused.Format(time.RFC3339))

	// Paused on the decision: its timeout waits too, and fires at once
	// when unpaused late.
	w.event(id, "api", "name", "pause")
	w.advance(10 * aDay)
	w.expectNever(id, "opened", "no:")
	w.event(id, "api", "name", "unpause")
	w.advance(time.Minute)
	w.expectAt(id, "opened", "no:", unpaused.Add(10*aDay).Format(time.RFC3339))
	w.expectFinal(id, "main", "ended", "done")
}

func TestPauseOwnCampaignStopsThere(t *testing.T) {
	// pause_campaign of its own campaign: the contact stops right after
	// it and goes on only when unpaused (as a paused contact on a Keap
	// sequence does).
	w := scenario(t, `
campaign "main" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = pause_campaign.self
  }
  pause_campaign "self" {
    campaign = campaign.main
    next     = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = end.done
  }
  end "done" {}
}

rule "resume" {
  when = tag_added(tag.c)
  then {
    unpause_campaign {
      campaign = campaign.main
    }
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(3 * aDay)
	w.expectNever(id, "nudge", "sent")
	// It stands paused before the element it goes to next.
	w.expectAt(id, "nudge", "paused before it", scenarioStart)
	w.expectFinal(id, "main", "paused", "nudge")
	w.tag(id, "c")
	w.advance(time.Minute)
	w.expectAt(id, "nudge", "sent", mustTime(t, scenarioStart).Add(3*aDay).Format(time.RFC3339))
	w.expectFinal(id, "main", "ended", "done")
}

func TestUnpauseResumesWhatFinishedWhilePaused(t *testing.T) {
	w := scenario(t, parentChild+`
campaign "tasks" {
  trigger "t" {
    on   = tag_added(tag.lead)
    next = assign_task.call
  }
  assign_task "call" {
    task                = task.call
    wait_for_completion = true
    next                = change_tags.called
  }
  change_tags "called" {
    add = [tag.a]
  }
}

rule "pause" {
  when = tag_added(tag.b)
  then {
    pause_campaign {
      campaign = campaign.parent
    }
    pause_campaign {
      campaign = campaign.tasks
    }
  }
}

rule "unpause" {
  when = tag_added(tag.c)
  then {
    unpause_campaign {
      campaign = campaign.parent
    }
    unpause_campaign {
      campaign = campaign.tasks
    }
  }
}
`)
	id := w.ada()
	w.tag(id, "go")   // parent holds for child (3 days)
	w.tag(id, "lead") // tasks holds for the call task
	w.advance(time.Hour)
	w.tag(id, "b") // pause both
	w.event(id, "task_completed", "task", "call")
	w.advance(10 * aDay) // the child ends while the parent is paused
	w.expectFinal(id, "child", "ended", "done")
	w.expectNever(id, "receipt", "sent")
	if w.get(id).HasTag("a") {
		t.Fatal("a paused campaign went on")
	}
	w.tag(id, "c")
	w.advance(time.Minute)
	back := mustTime(t, scenarioStart).Add(time.Hour + 10*aDay).Format(time.RFC3339)
	w.expectAt(id, "receipt", "sent", back)
	if !w.get(id).HasTag("a") {
		t.Fatalf("the task completed while paused never let the contact go\n%s", w.story(id))
	}
	w.expectFinal(id, "parent", "ended", "done")
}

func TestTemplatesRenderUnsetFieldsEmpty(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
    next  = notify_email.sam
  }
  notify_email "sam" {
    to      = user.sam
    subject = "Lead ${contact.first_name}: score ${contact.score}, ends ${contact.trial_ends}"
    body    = "${contact.company}"
    next    = apply_note.note
  }
  apply_note "note" {
    text = "[${contact.plan}]"
  }
}
`)
	id := w.contact(map[string]any{"email": "x@example.com"})
	w.tag(id, "go")
	email := w.sent(id, "email", "promo")
	if len(email) != 1 {
		t.Fatalf("not sent\n%s", w.story(id))
	}
	if got := email[0].Payload["subject"]; got != "Hi " {
		t.Fatalf("subject %q", got)
	}
	if got := email[0].Payload["body"]; got != "Dear   of , see our offer." {
		t.Fatalf("body %q", got)
	}
	n := w.sent(id, "notify_email")
	if len(n) != 1 || n[0].Payload["subject"] != "Lead : score , ends " || n[0].Payload["body"] != "" {
		t.Fatalf("notify: %+v", n)
	}
	if notes := w.records(id, "note"); len(notes) != 1 || notes[0].Data["text"] != "[]" {
		t.Fatalf("notes: %+v", notes)
	}
}

func TestDateReachedEvents(t *testing.T) {
	w := scenario(t, `
campaign "renewal" {
  reentry = "always"

  trigger "t" {
    on   = date_reached(field.trial_ends, "-2d")
    next = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = end.done
  }
  end "done" {}
}

campaign "birthday" {
  reentry = "always"

  trigger "t" {
    on   = date_reached(field.birthday, "0d", true)
    next = adjust_points.gift
  }
  adjust_points "gift" {
    points = 1
    next   = end.done
  }
  end "done" {}
}

rule "trial_over" {
  when = date_reached(field.trial_ends)
  then {
    change_tags {
      add = [tag.b]
    }
  }
}
`)
	id := w.contact(map[string]any{"phone": "+15550101", "trial_ends": "2026-06-20", "birthday": "1990-06-12"})
	past := w.contact(map[string]any{"phone": "+15550102", "trial_ends": "2026-06-01", "birthday": "1990-06-01"})
	w.until(mustTime(t, "2026-06-25T00:00:00-04:00"))
	// Two days before, and on the day, at the default send time.
	w.expectAt(id, "t", "entered", "2026-06-12T10:00:00-04:00") // the birthday comes first
	if got := w.entries(id, "nudge", "sent"); len(got) != 1 || !got[0].At.Equal(mustTime(t, "2026-06-18T10:00:00-04:00")) {
		t.Fatalf("trial nudge: %v\n%s", got, w.story(id))
	}
	w.expectAt(id, "trial_over", "ran: date_reached(field.trial_ends)", "2026-06-20T10:00:00-04:00")
	if !w.get(id).HasTag("b") {
		t.Fatal("the rule did not run")
	}
	// A date moved later is reached again.
	if err := w.sim.Engine.Update(w.ctx, id, map[string]any{"trial_ends": "2026-07-01"}); err != nil {
		t.Fatal(err)
	}
	w.until(mustTime(t, "2027-07-01T00:00:00-04:00"))
	if got := w.entries(id, "nudge", "sent"); len(got) != 2 || !got[1].At.Equal(mustTime(t, "2026-06-29T10:00:00-04:00")) {
		t.Fatalf("nudges after the date moved: %v\n%s", got, w.story(id))
	}
	// The annual date, every year.
	if p := w.get(id).Points; p != 2 {
		t.Fatalf("birthday gifts: %v, want 2 (2026 and 2027)\n%s", p, w.story(id))
	}
	// Dates already past when the contact arrives are not reached.
	if got := len(w.sent(past, "sms")); got != 0 {
		t.Fatalf("a past date raised date_reached: %d texts", got)
	}
	if p := w.get(past).Points; p != 1 {
		t.Fatalf("the past birthday's next year: %v points, want 1 (2027-06-01)", p)
	}
}

func TestMessageAndAPIEvents(t *testing.T) {
	w := scenario(t, `
campaign "created" {
  trigger "t" {
    on   = contact_created()
    next = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = decision.replied
  }
  decision "replied" {
    on     = sms_replied(sms.nudge)
    within = "2d"
    yes    = send_email.promo
    no     = end.done
  }
  send_email "promo" {
    email = email.promo
    next  = decision.clicked
  }
  decision "clicked" {
    on     = link_clicked(email.promo)
    within = "2d"
    yes    = end.done
    no     = end.done
  }
  end "done" {}

  goal "paid" {
    on   = api("invoice.paid")
    next = change_stage.to_paid
  }
  change_stage "to_paid" {
    stage = "paid"
  }
}
`)
	id := w.ada()
	w.expectAt(id, "t", "entered", scenarioStart)
	w.advance(time.Hour)
	w.event(id, "sms_replied", "sms", "nudge")
	w.advance(time.Hour)
	w.event(id, "link_clicked", "email", "promo")
	w.advance(time.Hour)
	w.event(id, "api", "name", "invoice.paid")
	w.expectAt(id, "replied", "yes: sms_replied(sms.nudge)", "2026-06-10T14:37:00-04:00")
	w.expectAt(id, "clicked", "yes: link_clicked(email.promo)", "2026-06-10T15:37:00-04:00")
	// The goal takes a contact still on the campaign (its path stopped
	// without exiting, so it is).
	w.expectFinal(id, "created", "ended", "done")
	if s := w.get(id).Stage; s != "" {
		t.Fatalf("a goal took a contact that had left the campaign: stage %q", s)
	}
	other := w.ada()
	w.event(other, "api", "name", "invoice.paid")
	w.expectAt(other, "paid", "reached goal: api(\"invoice.paid\")", "2026-06-10T16:37:00-04:00")
	if s := w.get(other).Stage; s != "paid" {
		t.Fatalf("stage %q", s)
	}
}

func TestSequenceRuleAndListSteps(t *testing.T) {
	w := scenario(t, `
sequence "s" {
  unsubscribe_after_last_step = true

  step "vip_only" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    rule {
      if = has_tag(tag.vip)
      then {
        change_tags {
          add = [tag.a]
        }
        send_email {
          email = email.receipt
        }
        notify_sms {
          to   = user.sam
          body = "VIP ${contact.first_name}"
        }
      }
    }
  }
  step "kit" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    fulfillment = fulfillment_list.kits
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.s
  }
  add_to_sequence "s" {
    sequence = sequence.s
    next     = end.done
  }
  end "done" {}
}
`)
	vip := w.contact(map[string]any{"email": "v@example.com", "first_name": "V", "tags": []string{"vip"}})
	plain := w.contact(map[string]any{"email": "p@example.com", "first_name": "P"})
	w.tag(vip, "go")
	w.tag(plain, "go")
	w.advance(5 * aDay)
	if !w.get(vip).HasTag("a") || len(w.sent(vip, "email", "receipt")) != 1 || len(w.sent(vip, "notify_sms")) != 1 {
		t.Fatalf("the vip's rule step did not run\n%s", w.story(vip))
	}
	distinctKeys(t, w.deliveries(vip))
	w.expectAt(plain, "vip_only", "skipped: its condition is false", "2026-06-11T09:00:00-04:00")
	if w.get(plain).HasTag("a") || len(w.deliveries(plain)) != 0 {
		t.Fatal("a rule step ran though its condition is false")
	}
	for _, id := range []int64{vip, plain} {
		if rows := w.records(id, "fulfillment"); len(rows) != 1 || rows[0].Name != "kits" {
			t.Fatalf("fulfillment rows: %+v", rows)
		}
		w.expectAt(id, "done", "ended", "2026-06-12T09:00:00-04:00")
	}
}

func TestAddToCampaignThatEndsAtOnce(t *testing.T) {
	w := scenario(t, `
campaign "parent" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_campaign.child
  }
  add_to_campaign "child" {
    campaign = campaign.child
    next     = change_tags.back
  }
  change_tags "back" {
    add  = [tag.a]
    next = end.done
  }
  end "done" {}
}

campaign "child" {
  trigger "added" {
    on   = added_to_campaign()
    next = change_stage.s
  }
  change_stage "s" {
    stage = "visited"
    next  = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "go")
	c := w.get(id)
	if c.Stage != "visited" || !c.HasTag("a") {
		t.Fatalf("stage %q tags %v\n%s", c.Stage, c.Tags, w.story(id))
	}
	w.expectAt(id, "child", "added", scenarioStart)
	w.expectFinal(id, "parent", "ended", "done")
}

func TestDeleteContactInARule(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.w
  }
  wait "w" {
    for  = "1d"
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
  }
}

rule "gdpr" {
  when = api("erase")
  then {
    apply_note {
      text = "erasing"
    }
    delete_contact {}
    change_tags {
      add = [tag.a]
    }
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(time.Hour)
	w.event(id, "api", "name", "erase")
	w.advance(3 * aDay)
	if w.get(id) != nil || len(w.timeline(id)) != 0 || len(w.records(id, "note")) != 0 || len(w.enrollments(id)) != 0 {
		t.Fatal("the contact was not erased")
	}
	if len(w.sink.got) != 0 {
		t.Fatal("a delivery went out for an erased contact")
	}
}

func TestSequenceStepPausesItsOwnSequence(t *testing.T) {
	w := scenario(t, `
sequence "s" {
  unsubscribe_after_last_step = true

  step "one" {
    rule {
      then {
        pause_sequence {
          sequence = sequence.s
        }
      }
    }
  }
  step "two" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    sms = sms.nudge
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [add_to_sequence.s, end.done]
  }
  add_to_sequence "s" {
    sequence = sequence.s
  }
  end "done" {}
}

rule "resume" {
  when = api("resume")
  then {
    unpause_sequence {
      sequence = sequence.s
    }
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(10 * aDay)
	w.expectAt(id, "one", "paused", "2026-06-11T10:00:00-04:00")
	w.expectNever(id, "two", "sent")
	w.event(id, "api", "name", "resume")
	w.advance(time.Minute)
	w.expectAt(id, "two", "sent", "2026-06-20T13:37:00-04:00")
	if e := w.enrollment(id, "sequence", "s"); e.Status != "ended" {
		t.Fatalf("status %s", e.Status)
	}
}

// TestDateSequenceRuleStepUnsubscribesAndReturns: Ontraport's documented
// fix for a date sequence under add_to_sequence is a last rule step that
// unsubscribes the contact; the contact then returns to the campaign,
// which is why validate's missing-fork-before-add-to-sequence accepts it.
func TestDateSequenceRuleStepUnsubscribesAndReturns(t *testing.T) {
	w := scenario(t, `
sequence "trial_dates" {
  kind = "date"

  step "remind" {
    schedule {
      on_field = field.trial_ends
      offset   = "-2d"
    }
    email = email.receipt
  }
  step "unsubscribe" {
    schedule {
      on_field = field.trial_ends
      offset   = "1d"
    }
    rule {
      then {
        remove_from_sequence {
          sequence = sequence.trial_dates
        }
      }
    }
  }
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_sequence.dates
  }
  add_to_sequence "dates" {
    sequence = sequence.trial_dates
    next     = change_tags.back
  }
  change_tags "back" {
    add  = [tag.a]
    next = end.done
  }
  end "done" {}
}
`)
	id := w.contact(map[string]any{"email": "ada@example.com", "trial_ends": "2026-06-20"})
	w.tag(id, "go")
	w.advance(30 * aDay)
	w.expectAt(id, "remind", "sent", "2026-06-18T10:00:00-04:00")
	w.expectAt(id, "dates", "returned", "2026-06-21T10:00:00-04:00")
	if !w.get(id).HasTag("a") {
		t.Fatalf("the contact did not go on after the sequence let it go\n%s", w.story(id))
	}
	w.expectFinal(id, "c", "ended", "done")
}
