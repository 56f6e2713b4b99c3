package runtime_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/journeyhq/journey/lang/kinds"
)

// elementScenarios names, for every campaign element kind (and the
// variants the language gives them), the test that runs it.
var elementScenarios = map[string][]string{
	"trigger":    {"TestTriggerEntersOnItsEvent", "TestTriggerWhere", "TestReentryOnce", "TestReentryAlways", "TestReentryInterval"},
	"goal":       {"TestGoalJumpsAndCancelsWaits"},
	"wait":       {"TestWaitHoldsUntilDue", "TestUnconfiguredTimerNeverFires"},
	"decision":   {"TestDecisionYesAndNo"},
	"deadline":   {"TestDecisionUntilFieldTakesNoAtThatDateInTheContactsZone", "TestDecisionUntilDateAndYearlyField", "TestDecisionDeadlineAlreadyPastOrEmptyTakesNoAtOnce"},
	"condition":  {"TestConditionBranches"},
	"fork":       {"TestForkRunsEveryPath"},
	"split":      {"TestSplitIsStableAndWeighted"},
	"end":        {"TestEndEndsThePath", "TestEndlessPathLeavesContactWhereItStopped"},
	"end(exit)":  {"TestEndExitLeavesEveryPath"},
	"draft":      {"TestDraftElementsAreSkipped"},
	"implicit":   {"TestEndlessPathLeavesContactWhereItStopped"},
	"add-return": {"TestAddToCampaignReturnsAfterEnd", "TestAddToCampaignReturnsAfterExit"},
}

// TestEveryElementKindHasAScenario keeps the table above complete.
func TestEveryElementKindHasAScenario(t *testing.T) {
	names := testFuncNames(t)
	for _, k := range kinds.Elements() {
		if k.Class != kinds.Flow {
			continue
		}
		tests, ok := elementScenarios[k.Name]
		if !ok || len(tests) == 0 {
			t.Errorf("element kind %s has no scenario test", k.Name)
		}
	}
	for kind, tests := range elementScenarios {
		for _, name := range tests {
			if !names[name] {
				t.Errorf("element %s: scenario %s does not exist", kind, name)
			}
		}
	}
}

const signupCampaign = `
campaign "c" {
  reentry = %q

  trigger "t" {
    on   = form_submitted(form.signup)
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = wait.w
  }
  wait "w" {
    for  = "1h"
    next = end.done
  }
  end "done" {}
}
`

func TestTriggerEntersOnItsEvent(t *testing.T) {
	w := scenario(t, fmt.Sprintf(signupCampaign, "once"))
	id := w.ada()
	other := w.ada()
	w.event(id, "form_submitted", "form", "signup")
	w.event(other, "form_submitted", "form", "other_form")
	w.expectAt(id, "t", "entered", scenarioStart)
	if got := w.sent(id, "email", "receipt"); len(got) != 1 {
		t.Fatalf("receipts: %d, want 1\n%s", len(got), w.story(id))
	}
	w.expectFinal(id, "c", "waiting", "w")
	w.advance(time.Hour)
	w.expectFinal(id, "c", "ended", "done")
	w.expectFinal(other, "c", "not entered", "")
}

func TestTriggerWhere(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on    = tag_added(tag.go)
    where = contact.plan == "pro"
    next  = change_tags.mark
  }
  change_tags "mark" {
    add = [tag.vip]
  }
}
`)
	pro := w.contact(map[string]any{"plan": "pro"})
	free := w.contact(map[string]any{"plan": "free"})
	blank := w.contact(map[string]any{})
	for _, id := range []int64{pro, free, blank} {
		w.tag(id, "go")
	}
	if !w.get(pro).HasTag("vip") {
		t.Fatalf("the pro contact did not enter\n%s", w.story(pro))
	}
	for _, id := range []int64{free, blank} {
		if w.get(id).HasTag("vip") || w.enrollment(id, "campaign", "c") != nil {
			t.Fatalf("contact %d entered though where is false\n%s", id, w.story(id))
		}
	}
}

func TestReentryOnce(t *testing.T) {
	w := scenario(t, fmt.Sprintf(signupCampaign, "once"))
	id := w.ada()
	w.event(id, "form_submitted", "form", "signup")
	w.advance(2 * time.Hour)
	w.event(id, "form_submitted", "form", "signup")
	w.advance(2 * time.Hour)
	if got := len(w.entries(id, "t", "entered")); got != 1 {
		t.Fatalf("entered %d times, want once\n%s", got, w.story(id))
	}
	if len(w.entries(id, "t", "not entered: the campaign takes a contact once")) != 1 {
		t.Fatalf("the refused entry is not on the timeline\n%s", w.story(id))
	}
	if got := w.sent(id, "email", "receipt"); len(got) != 1 {
		t.Fatalf("receipts: %d, want 1", len(got))
	}
}

func TestReentryAlways(t *testing.T) {
	w := scenario(t, fmt.Sprintf(signupCampaign, "always"))
	id := w.ada()
	w.event(id, "form_submitted", "form", "signup")
	// Still on the campaign (waiting): a second submission does not enter
	// it a second time.
	w.advance(30 * time.Minute)
	w.event(id, "form_submitted", "form", "signup")
	w.advance(2 * time.Hour)
	w.event(id, "form_submitted", "form", "signup")
	w.advance(2 * time.Hour)
	if got := len(w.entries(id, "t", "entered")); got != 2 {
		t.Fatalf("entered %d times, want 2\n%s", got, w.story(id))
	}
	if len(w.entries(id, "t", "already on the campaign")) != 1 {
		t.Fatalf("the submission while on the campaign is not on the timeline\n%s", w.story(id))
	}
	receipts := w.sent(id, "email", "receipt")
	if len(receipts) != 2 || receipts[0].Key == receipts[1].Key {
		t.Fatalf("receipts: %d, want 2 with distinct keys", len(receipts))
	}
	if e := w.enrollment(id, "campaign", "c"); e.Entries != 2 || e.Status != "ended" {
		t.Fatalf("enrollment: %+v", e)
	}
}

func TestReentryInterval(t *testing.T) {
	w := scenario(t, fmt.Sprintf(signupCampaign, "30d"))
	id := w.ada()
	w.event(id, "form_submitted", "form", "signup")
	w.advance(10 * aDay)
	w.event(id, "form_submitted", "form", "signup") // day 10: too soon
	w.advance(20*aDay - time.Minute)
	w.event(id, "form_submitted", "form", "signup") // a minute before day 30: too soon
	w.advance(time.Minute)
	w.event(id, "form_submitted", "form", "signup") // day 30: again
	entered := w.entries(id, "t", "entered")
	if len(entered) != 2 {
		t.Fatalf("entered %d times, want 2\n%s", len(entered), w.story(id))
	}
	if want := mustTime(t, scenarioStart).Add(30 * aDay); !entered[1].At.Equal(want) {
		t.Fatalf("entered again at %s, want %s", entered[1].At, want)
	}
	if got := len(w.entries(id, "t", "not entered: it may enter again from 2026-07-10T13:37:00-04:00")); got != 2 {
		t.Fatalf("%d refusals naming the day it may enter again, want 2\n%s", got, w.story(id))
	}
}

const goalCampaign = `
campaign "c" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = wait.ten_days
  }
  wait "ten_days" {
    for  = "10d"
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
    next  = end.done
  }
  end "done" {}

  goal "bought" {
    on   = product_purchased(product.pro)
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = end.converted
  }
  end "converted" {
    exit = true
  }
}
`

func TestGoalJumpsAndCancelsWaits(t *testing.T) {
	w := scenario(t, goalCampaign)
	on := w.ada()
	off := w.ada()
	w.event(on, "form_submitted", "form", "signup")
	w.advance(2 * 24 * time.Hour)
	w.event(on, "product_purchased", "product", "pro")
	w.event(off, "product_purchased", "product", "pro")
	w.advance(30 * 24 * time.Hour)

	w.expectAt(on, "bought", "reached goal", "2026-06-12T13:37:00-04:00")
	w.expectNever(on, "ten_days", "waited")
	w.expectNever(on, "promo", "sent")
	if len(w.sent(on, "email", "receipt")) != 1 || len(w.sent(on, "email", "promo")) != 0 {
		t.Fatalf("deliveries: %+v", w.deliveries(on))
	}
	w.expectFinal(on, "c", "exited", "converted")
	if len(w.records(on, "purchase")) != 1 {
		t.Fatal("the purchase event was not recorded as a purchase")
	}
	// A contact that is not on the campaign does not enter through a goal.
	w.expectFinal(off, "c", "not entered", "")
	if len(w.sent(off, "email")) != 0 {
		t.Fatal("a goal sent to a contact not on the campaign")
	}
}

func TestWaitHoldsUntilDue(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.w
  }
  wait "w" {
    for     = "1d"
    at      = "09:00"
    on_days = weekdays
    next    = send_sms.nudge
  }
  send_sms "nudge" {
    sms = sms.nudge
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(12 * time.Hour)
	if len(w.sent(id, "sms")) != 0 {
		t.Fatal("sent before the wait was over")
	}
	w.expectFinal(id, "c", "waiting", "w")
	w.advance(30 * 24 * time.Hour)
	w.expectAt(id, "w", "waited", "2026-06-11T09:00:00-04:00")
	w.expectAt(id, "nudge", "sent", "2026-06-11T09:00:00-04:00")
}

const decisionCampaign = `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
    next  = decision.opened
  }
  decision "opened" {
    on     = email_opened(email.promo)
    within = "3d"
    yes    = change_tags.engaged
    no     = change_tags.cold
  }
  change_tags "engaged" {
    add  = [tag.a]
    next = end.done
  }
  change_tags "cold" {
    add  = [tag.b]
    next = end.done
  }
  end "done" {}
}
`

func TestDecisionYesAndNo(t *testing.T) {
	w := scenario(t, decisionCampaign)
	opens := w.ada()
	silent := w.ada()
	late := w.ada()
	for _, id := range []int64{opens, silent, late} {
		w.tag(id, "go")
	}
	w.advance(26 * time.Hour)
	w.event(opens, "email_opened", "email", "promo")
	w.event(silent, "email_opened", "email", "promo2") // another email: no answer
	w.advance(3 * 24 * time.Hour)
	w.event(late, "email_opened", "email", "promo") // after within ran out

	w.expectAt(opens, "opened", "yes: email_opened(email.promo)", "2026-06-11T15:37:00-04:00")
	w.expectNever(opens, "opened", "no:")
	if c := w.get(opens); !c.HasTag("a") || c.HasTag("b") {
		t.Fatalf("opens: tags %v", c.Tags)
	}
	for _, id := range []int64{silent, late} {
		w.expectAt(id, "opened", "no: email_opened(email.promo) did not happen in time", "2026-06-13T13:37:00-04:00")
		w.expectNever(id, "opened", "yes")
		if c := w.get(id); c.HasTag("a") || !c.HasTag("b") {
			t.Fatalf("contact %d: tags %v", id, c.Tags)
		}
		w.expectFinal(id, "c", "ended", "done")
	}
}

func TestConditionBranches(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = condition.hot
  }
  condition "hot" {
    if   = contact.points > 10 && has_tag(tag.vip)
    then = change_stage.to_hot
    else = change_stage.to_cold
  }
  change_stage "to_hot" {
    stage = "hot"
  }
  change_stage "to_cold" {
    stage = "cold"
  }
}
`)
	hot := w.contact(map[string]any{"points": 20.0, "tags": []string{"vip"}})
	noTag := w.contact(map[string]any{"points": 20.0})
	low := w.contact(map[string]any{"points": 5.0, "tags": []string{"vip"}})
	for _, id := range []int64{hot, noTag, low} {
		w.tag(id, "go")
	}
	if s := w.get(hot).Stage; s != "hot" {
		t.Fatalf("hot contact: stage %q\n%s", s, w.story(hot))
	}
	w.expectAt(hot, "hot", "then", scenarioStart)
	for _, id := range []int64{noTag, low} {
		if s := w.get(id).Stage; s != "cold" {
			t.Fatalf("contact %d: stage %q\n%s", id, s, w.story(id))
		}
		w.expectAt(id, "hot", "else", scenarioStart)
	}
}

func TestForkRunsEveryPath(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [send_email.promo, wait.day, change_tags.mark]
  }
  send_email "promo" {
    email = email.promo
    next  = end.one
  }
  end "one" {}
  wait "day" {
    for  = "1d"
    next = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = end.two
  }
  end "two" {}
  change_tags "mark" {
    add = [tag.a]
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.expectAt(id, "f", "forked into 3 paths", scenarioStart)
	w.expectAt(id, "promo", "sent", scenarioStart)
	w.expectAt(id, "mark", "tags changed", scenarioStart)
	if !w.get(id).HasTag("a") {
		t.Fatal("the third path did not run")
	}
	// The paths run in the order they are written.
	var order []string
	for _, e := range w.timeline(id) {
		if (e.Element == "promo" || e.Element == "day" || e.Element == "mark") && e.Outcome != "stopped: nothing comes after it" {
			order = append(order, e.Element)
		}
	}
	if fmt.Sprint(order) != "[promo day mark]" {
		t.Fatalf("paths ran in the order %v\n%s", order, w.story(id))
	}
	// One path waits while the other two are done; the contact is still
	// on the campaign.
	w.expectFinal(id, "c", "waiting", "*")
	w.advance(2 * 24 * time.Hour)
	w.expectAt(id, "nudge", "sent", "2026-06-11T13:37:00-04:00")
	// The third path stopped without an end: the contact stays on the
	// campaign there.
	w.expectFinal(id, "c", "active", "mark")
}

const splitCampaign = `
campaign "c" {
  reentry = "always"

  trigger "t" {
    on   = form_submitted(form.signup)
    next = split.s
  }
  split "s" {
    path {
      weight = 70
      next   = change_tags.a
    }
    path {
      weight = 30
      next   = change_tags.b
    }
  }
  change_tags "a" {
    add  = [tag.a]
    next = end.done
  }
  change_tags "b" {
    add  = [tag.b]
    next = end.done
  }
  end "done" {}
}
`

func TestSplitIsStableAndWeighted(t *testing.T) {
	w := scenario(t, splitCampaign)
	const n = 2000
	a := 0
	for i := 0; i < n; i++ {
		id := w.contact(map[string]any{})
		w.event(id, "form_submitted", "form", "signup")
		c := w.get(id)
		if c.HasTag("a") == c.HasTag("b") {
			t.Fatalf("contact %d took %v", id, c.Tags)
		}
		if c.HasTag("a") {
			a++
		}
		if i < 20 {
			// Stable: entering again takes the same path.
			first := w.entries(id, "s", "path")[0].Outcome
			w.event(id, "form_submitted", "form", "signup")
			again := w.entries(id, "s", "path")
			if len(again) != 2 || again[1].Outcome != first {
				t.Fatalf("contact %d took %q, then %v\n%s", id, first, again, w.story(id))
			}
		}
	}
	share := float64(a) / n
	if math.Abs(share-0.70) > 0.04 {
		t.Fatalf("%.1f%% took the 70%% path", share*100)
	}
}

func TestEndEndsThePath(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [end.quick, wait.day]
  }
  end "quick" {}
  wait "day" {
    for  = "1d"
    next = end.slow
  }
  end "slow" {}
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.expectAt(id, "quick", "ended", scenarioStart)
	// One path ended, the other still waits: the contact is still on it.
	if e := w.enrollment(id, "campaign", "c"); e.Status != "active" {
		t.Fatalf("status %s after one of two paths ended", e.Status)
	}
	w.advance(2 * 24 * time.Hour)
	w.expectAt(id, "slow", "ended", "2026-06-11T13:37:00-04:00")
	w.expectFinal(id, "c", "ended", "slow")
}

func TestEndExitLeavesEveryPath(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [wait.day, wait.hour]
  }
  wait "day" {
    for  = "1d"
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
  }
  wait "hour" {
    for  = "1h"
    next = end.out
  }
  end "out" {
    exit = true
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(3 * 24 * time.Hour)
	w.expectAt(id, "out", "exited", "2026-06-10T14:37:00-04:00")
	w.expectNever(id, "day", "waited")
	w.expectNever(id, "promo", "sent")
	w.expectFinal(id, "c", "exited", "out")
}

func TestDraftElementsAreSkipped(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.w
  }
  wait "w" {
    for   = "5d"
    draft = true
    next  = send_email.promo
  }
  send_email "promo" {
    email = email.promo
    draft = true
    next  = change_tags.mark
  }
  change_tags "mark" {
    add  = [tag.a]
    next = wait.later
  }
  wait "later" {
    for  = "10d"
    next = end.done
  }
  end "done" {}

  goal "draft_goal" {
    on    = tag_added(tag.b)
    draft = true
    next  = end.done
  }
}

campaign "d" {
  trigger "draft_trigger" {
    on    = tag_added(tag.go)
    draft = true
    next  = end.done
  }
  trigger "real" {
    on   = tag_added(tag.c)
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.expectAt(id, "w", "skipped: draft", scenarioStart)
	w.expectAt(id, "promo", "skipped: draft", scenarioStart)
	if len(w.sent(id, "email")) != 0 {
		t.Fatal("a draft send_email sent")
	}
	if !w.get(id).HasTag("a") {
		t.Fatalf("the element after the drafts did not run\n%s", w.story(id))
	}
	// A draft goal never takes the contact; a draft trigger never enrols.
	w.tag(id, "b")
	w.expectNever(id, "draft_goal", "reached goal")
	w.expectFinal(id, "c", "waiting", "later")
	w.expectFinal(id, "d", "not entered", "")
}

func TestEndlessPathLeavesContactWhereItStopped(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.w
  }
  wait "w" {
    for  = "1d"
    next = change_tags.last
  }
  change_tags "last" {
    add = [tag.a]
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(5 * 24 * time.Hour)
	w.expectAt(id, "last", "stopped: nothing comes after it", "2026-06-11T13:37:00-04:00")
	// The contact stays on the campaign, on the element where it stopped
	// (an implicit end: it is not "ended", and it would not return to a
	// campaign that added it).
	w.expectFinal(id, "c", "active", "last")
	e := w.enrollment(id, "campaign", "c")
	if len(e.Tokens) != 1 || e.Tokens[0].State != "stopped" || e.Tokens[0].DueAt != nil {
		t.Fatalf("token: %+v", e.Tokens)
	}
}

// eventScenarios names, for every event kind, a test in which it moves a
// contact.
var eventScenarios = map[string][]string{
	"form_submitted":    {"TestTriggerEntersOnItsEvent"},
	"tag_added":         {"TestTriggerWhere", "TestActionEventsCascade"},
	"tag_removed":       {"TestActionChangeTags"},
	"field_changed":     {"TestActionUpdateContact", "TestActionEventsCascade"},
	"product_purchased": {"TestGoalJumpsAndCancelsWaits", "TestLegacyRules"},
	"email_opened":      {"TestDecisionYesAndNo"},
	"link_clicked":      {"TestMessageAndAPIEvents"},
	"sms_replied":       {"TestMessageAndAPIEvents"},
	"task_completed":    {"TestTaskWaitForCompletion"},
	"page_visited":      {"TestPageVisitsRouteByPattern"},
	"added_to_campaign": {"TestAddToCampaignReturnsAfterEnd", "TestAddToCampaignHonoursTriggerWhere"},
	"contact_created":   {"TestMessageAndAPIEvents"},
	"date_reached":      {"TestDateReachedEvents"},
	"api":               {"TestMessageAndAPIEvents", "TestPausedCampaignTimersWaitForUnpause"},
	"segment_entered":   {"TestSegmentLeftTakesTheLeftPath", "TestSegmentEventsComeInTheStepsCascade", "TestActionModifySegments"},
	"segment_left":      {"TestSegmentLeftTakesTheLeftPath", "TestActionModifySegments"},
}

func TestEveryEventKindHasAScenario(t *testing.T) {
	names := testFuncNames(t)
	for _, ev := range kinds.Events() {
		tests := eventScenarios[ev.Name]
		if len(tests) == 0 {
			t.Errorf("event %s has no scenario test", ev.Name)
		}
		for _, name := range tests {
			if !names[name] {
				t.Errorf("event %s: scenario %s does not exist", ev.Name, name)
			}
		}
	}
}

func TestAddToCampaignHonoursTriggerWhere(t *testing.T) {
	w := scenario(t, `
campaign "parent" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_campaign.child
  }
  add_to_campaign "child" {
    campaign = campaign.child
    next     = add_to_campaign.picky
  }
  add_to_campaign "picky" {
    campaign = campaign.picky
    next     = change_tags.back
  }
  change_tags "back" {
    add = [tag.a]
  }
}

campaign "child" {
  trigger "vips" {
    on    = added_to_campaign()
    where = has_tag(tag.vip)
    next  = change_stage.vip
  }
  trigger "others" {
    on   = added_to_campaign()
    next = change_stage.other
  }
  change_stage "vip" {
    stage = "vip"
    next  = end.done
  }
  change_stage "other" {
    stage = "other"
    next  = end.done
  }
  end "done" {}
}

campaign "picky" {
  trigger "customers" {
    on    = added_to_campaign()
    where = has_tag(tag.customer)
    next  = wait.w
  }
  wait "w" {
    for  = "1d"
    next = end.done
  }
  end "done" {}
}
`)
	vip := w.contact(map[string]any{"tags": []string{"vip"}})
	other := w.contact(map[string]any{})
	w.tag(vip, "go")
	w.tag(other, "go")
	if s := w.get(vip).Stage; s != "vip" {
		t.Fatalf("vip entered through the wrong trigger: %q\n%s", s, w.story(vip))
	}
	if s := w.get(other).Stage; s != "other" {
		t.Fatalf("other entered through the wrong trigger: %q\n%s", s, w.story(other))
	}
	// No trigger of "picky" takes them: not added, and the parent goes on.
	for _, id := range []int64{vip, other} {
		w.expectAt(id, "picky", "skipped: not added to campaign \"picky\"", scenarioStart)
		w.expectFinal(id, "picky", "not entered", "")
		if !w.get(id).HasTag("a") {
			t.Fatalf("the parent waited for a campaign the contact never entered\n%s", w.story(id))
		}
	}
}

func TestEnrollSkipsDraftTriggers(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "draft" {
    on    = tag_added(tag.a)
    draft = true
    next  = change_stage.wrong
  }
  trigger "real" {
    on   = tag_added(tag.b)
    next = change_stage.right
  }
  change_stage "wrong" {
    stage = "wrong"
  }
  change_stage "right" {
    stage = "right"
  }
}
`)
	id := w.ada()
	w.enroll(id, "c")
	if s := w.get(id).Stage; s != "right" {
		t.Fatalf("entered through %q\n%s", s, w.story(id))
	}
}

func TestSettingAnUnsetFieldToEmptyChangesNothing(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = update_contact.blank
  }
  update_contact "blank" {
    set = { company = "" }
  }
}

campaign "watch" {
  trigger "t" {
    on   = field_changed(field.company)
    next = change_tags.changed
  }
  change_tags "changed" {
    add = [tag.a]
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	if w.get(id).HasTag("a") {
		t.Fatalf("setting an unset field to \"\" raised field_changed\n%s", w.story(id))
	}
}
