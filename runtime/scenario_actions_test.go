package runtime_test

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/lang/kinds"
	"github.com/journeyhq/journey/runtime"
)

// actionScenarios names, for every action kind of lang/kinds, the tests
// that run it through a real workspace.
var actionScenarios = map[string][]string{
	"send_email":              {"TestActionSendEmail", "TestMarketingEmailGoesOnce", "TestSendToOwner"},
	"send_sms":                {"TestActionSendSMS"},
	"send_postcard":           {"TestActionSendPostcard", "TestPostcardGoesToThePostalAddress"},
	"notify_email":            {"TestActionNotifyEmail", "TestSendToOwner"},
	"notify_sms":              {"TestActionNotifySMS", "TestSendToOwner"},
	"assign_task":             {"TestActionAssignTask", "TestTaskWaitForCompletion"},
	"change_tags":             {"TestActionChangeTags", "TestActionChangeTagsSet"},
	"update_contact":          {"TestActionUpdateContact", "TestUpdateContactRelativeDates"},
	"adjust_points":           {"TestActionAdjustPoints"},
	"change_stage":            {"TestActionChangeStage"},
	"assign_owner":            {"TestActionAssignOwnerUser", "TestActionAssignOwnerRoundRobin", "TestActionAssignOwnerWeighted"},
	"add_to_campaign":         {"TestAddToCampaignReturnsAfterEnd", "TestAddToCampaignReturnsAfterExit", "TestActionAddToCampaignAlreadyThere"},
	"remove_from_campaign":    {"TestActionRemoveFromCampaign"},
	"pause_campaign":          {"TestPausedCampaignTimersWaitForUnpause", "TestPauseOwnCampaignStopsThere"},
	"unpause_campaign":        {"TestPausedCampaignTimersWaitForUnpause", "TestUnpauseResumesWhatFinishedWhilePaused"},
	"add_to_sequence":         {"TestStepSequenceSchedules", "TestNeverEndingSequenceHoldsWithoutFork"},
	"remove_from_sequence":    {"TestActionRemoveFromSequence"},
	"pause_sequence":          {"TestActionPauseAndUnpauseSequence"},
	"unpause_sequence":        {"TestActionPauseAndUnpauseSequence"},
	"send_to_fulfillment":     {"TestActionFulfillment"},
	"remove_from_fulfillment": {"TestActionFulfillment"},
	"add_purchase":            {"TestActionPurchasesAndOrders"},
	"cancel_open_orders":      {"TestActionPurchasesAndOrders"},
	"recharge_transactions":   {"TestActionPurchasesAndOrders"},
	"add_to_lead_router":      {"TestActionAddToLeadRouter"},
	"membership_access":       {"TestActionMembershipAccess"},
	"custom_audience":         {"TestActionCustomAudience"},
	"webhook":                 {"TestActionWebhookDeclared", "TestActionWebhookInline"},
	"apply_note":              {"TestActionApplyNote"},
	"create_appointment":      {"TestActionCreateAppointment"},
	"create_opportunity":      {"TestActionCreateOpportunity"},
	"do_not_contact":          {"TestActionDoNotContact", "TestDoNotContactEachChannel"},
	"modify_segments":         {"TestActionModifySegments", "TestSegmentReadsOtherSegments"},
	"delete_contact":          {"TestDeleteContactRemovesEveryTrace", "TestDeleteContactStopsTheOtherPaths"},
}

// TestEveryActionKindHasAnExecutorAndAScenario fails when an action of the
// kinds table has no executor in the runtime, when the runtime performs an
// action the table does not know, or when an action has no scenario here.
func TestEveryActionKindHasAnExecutorAndAScenario(t *testing.T) {
	executors := map[string]bool{}
	for _, k := range runtime.ActionKinds() {
		executors[k] = true
	}
	names := testFuncNames(t)
	table := map[string]bool{}
	for _, k := range kinds.Actions() {
		table[k.Name] = true
		if !executors[k.Name] {
			t.Errorf("action %s has no executor in the runtime", k.Name)
		}
		tests := actionScenarios[k.Name]
		if len(tests) == 0 {
			t.Errorf("action %s has no scenario test", k.Name)
		}
		for _, name := range tests {
			if !names[name] {
				t.Errorf("action %s: scenario %s does not exist", k.Name, name)
			}
		}
	}
	for k := range executors {
		if !table[k] {
			t.Errorf("the runtime performs %s, which lang/kinds does not declare", k)
		}
	}
	for k := range actionScenarios {
		if !table[k] {
			t.Errorf("the scenario table lists %s, which is not an action", k)
		}
	}
}

// one is a campaign entered on tag go that runs the given elements, the
// first being named "first".
func oneCampaign(elements string) string {
	return `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = ` + firstRef(elements) + `
  }
` + elements + `
}
`
}

// firstRef is KIND.NAME of the first element block in elements.
func firstRef(elements string) string {
	f := strings.Fields(elements)
	return f[0] + "." + strings.Trim(f[1], `"`)
}

func onlyDelivery(t *testing.T, w *world, id int64, kind string) *runtime.Delivery {
	t.Helper()
	got := w.sent(id, kind)
	if len(got) != 1 {
		t.Fatalf("%d %s deliveries, want 1\n%s", len(got), kind, w.story(id))
	}
	return got[0]
}

func expectPayload(t *testing.T, d *runtime.Delivery, want map[string]any) {
	t.Helper()
	for k, v := range want {
		got, _ := json.Marshal(d.Payload[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Fatalf("%s delivery %s: payload %s = %s, want %s (payload %v)", d.Kind, d.Source, k, got, exp, d.Payload)
		}
	}
}

func distinctKeys(t *testing.T, ds []*runtime.Delivery) {
	t.Helper()
	seen := map[string]bool{}
	for _, d := range ds {
		if d.Key == "" || seen[d.Key] {
			t.Fatalf("idempotency key %q is empty or repeated", d.Key)
		}
		seen[d.Key] = true
	}
}

func TestActionSendEmail(t *testing.T) {
	w := scenario(t, oneCampaign(`
  send_email "to_contact" {
    email = email.receipt
    next  = send_email.to_sam
  }
  send_email "to_sam" {
    email = email.promo
    to    = user.sam
    next  = send_email.to_ops
  }
  send_email "to_ops" {
    email = email.promo
    to    = "ops@example.com"
    next  = send_email.promo
  }
  send_email "promo" {
    email = email.promo
  }
`))
	id := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "plan": "pro"})
	noEmail := w.contact(map[string]any{"first_name": "Bo"})
	w.tag(id, "go")
	w.tag(noEmail, "go")

	ds := w.sent(id, "email")
	if len(ds) != 4 {
		t.Fatalf("%d emails, want 4\n%s", len(ds), w.story(id))
	}
	expectPayload(t, ds[0], map[string]any{"to": "ada@example.com", "from": "team@example.com", "reply_to": "billing@example.com", "subject": "Your receipt, Ada", "body": "Plan: pro"})
	if ds[0].Marketing || ds[0].Asset != "receipt" || ds[0].Source != "c/to_contact" || ds[0].Status != "pending" {
		t.Fatalf("receipt delivery: %+v", ds[0])
	}
	// To a user or an address: rendered about the contact, not counted as
	// the contact's marketing email (the promo to the contact still goes).
	expectPayload(t, ds[1], map[string]any{"to": "sam@example.com", "subject": "Hi Ada"})
	expectPayload(t, ds[2], map[string]any{"to": "ops@example.com"})
	expectPayload(t, ds[3], map[string]any{"to": "ada@example.com", "subject": "Hi Ada"})
	if ds[1].Marketing || ds[2].Marketing || !ds[3].Marketing {
		t.Fatalf("marketing flags: %v %v %v", ds[1].Marketing, ds[2].Marketing, ds[3].Marketing)
	}
	distinctKeys(t, ds)
	if len(w.sink.got) != 6 {
		t.Fatalf("the sink got %d deliveries, want 6 (4 + 2 to the team about the second contact)", len(w.sink.got))
	}
	w.expectAt(noEmail, "to_contact", "skipped: no email address", scenarioStart)
	w.expectAt(noEmail, "promo", "skipped: no email address", scenarioStart)
}

func TestActionSendSMS(t *testing.T) {
	w := scenario(t, oneCampaign(`
  send_sms "nudge" {
    sms = sms.nudge
  }
`))
	id := w.ada()
	noPhone := w.contact(map[string]any{"first_name": "Bo"})
	w.tag(id, "go")
	w.tag(noPhone, "go")
	d := onlyDelivery(t, w, id, "sms")
	expectPayload(t, d, map[string]any{"to": "+15550199", "from": "+15550100", "body": "Hi Ada, reply YES."})
	if d.Asset != "nudge" || d.Source != "c/nudge" {
		t.Fatalf("delivery: %+v", d)
	}
	w.expectAt(noPhone, "nudge", "skipped: no phone number", scenarioStart)
}

func TestActionSendPostcard(t *testing.T) {
	w := scenario(t, oneCampaign(`
  send_postcard "card" {
    postcard = postcard.thanks
  }
`))
	id := w.ada()
	w.tag(id, "go")
	d := onlyDelivery(t, w, id, "postcard")
	expectPayload(t, d, map[string]any{"front": "Thank you!", "back": "Dear Ada, thanks for being a customer.", "contact": id})
}

func TestActionNotifyEmail(t *testing.T) {
	w := scenario(t, oneCampaign(`
  notify_email "inline" {
    to      = user.sam
    subject = "New lead: ${contact.first_name}"
    body    = "Call ${contact.phone}"
    next    = notify_email.asset
  }
  notify_email "asset" {
    to    = "ops@example.com"
    email = email.receipt
  }
`))
	id := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "phone": "+15550199", "plan": "pro", "dnc": []string{"all"}})
	w.tag(id, "go")
	ds := w.sent(id, "notify_email")
	if len(ds) != 2 {
		t.Fatalf("%d notifications\n%s", len(ds), w.story(id))
	}
	expectPayload(t, ds[0], map[string]any{"to": "sam@example.com", "subject": "New lead: Ada", "body": "Call +15550199", "about": id})
	expectPayload(t, ds[1], map[string]any{"to": "ops@example.com", "subject": "Your receipt, Ada", "body": "Plan: pro"})
	distinctKeys(t, ds)
}

func TestActionNotifySMS(t *testing.T) {
	w := scenario(t, oneCampaign(`
  notify_sms "user" {
    to   = user.alice
    body = "Lead ${contact.first_name}"
    next = notify_sms.number
  }
  notify_sms "number" {
    to   = "+15550999"
    body = "Lead ${contact.last_name}"
  }
`))
	id := w.ada()
	w.tag(id, "go")
	ds := w.sent(id, "notify_sms")
	if len(ds) != 2 {
		t.Fatalf("%d notifications\n%s", len(ds), w.story(id))
	}
	expectPayload(t, ds[0], map[string]any{"to": "+15550112", "body": "Lead Ada", "about": id})
	expectPayload(t, ds[1], map[string]any{"to": "+15550999", "body": "Lead Lovelace"})
}

func TestActionAssignTask(t *testing.T) {
	w := scenario(t, oneCampaign(`
  assign_task "call" {
    task = task.call
    next = assign_task.override
  }
  assign_task "override" {
    task     = task.call
    assignee = user.bob
    due_in   = "4h"
    next     = change_tags.after
  }
  change_tags "after" {
    add = [tag.a]
  }
`))
	id := w.ada()
	w.tag(id, "go")
	tasks := w.records(id, "task")
	if len(tasks) != 2 {
		t.Fatalf("%d tasks\n%s", len(tasks), w.story(id))
	}
	start := mustTime(t, scenarioStart)
	if r := tasks[0]; r.Name != "call" || r.Status != "open" || r.Data["subject"] != "Call Ada" || r.Data["assignee"] != "sam" || r.At == nil || !r.At.Equal(start.Add(2*aDay)) {
		t.Fatalf("task: %+v (due %v)", r, r.At)
	}
	if r := tasks[1]; r.Data["assignee"] != "bob" || r.At == nil || !r.At.Equal(start.Add(4*time.Hour)) {
		t.Fatalf("overridden task: %+v (due %v)", r, r.At)
	}
	// Without wait_for_completion the contact goes straight on.
	if !w.get(id).HasTag("a") {
		t.Fatal("the contact waited for a task without wait_for_completion")
	}
}

func TestActionChangeTags(t *testing.T) {
	w := scenario(t, oneCampaign(`
  change_tags "swap" {
    add    = [tag.a, tag.b]
    remove = [tag.lead, tag.vip]
  }
`)+`
campaign "lost_lead" {
  trigger "t" {
    on   = tag_removed(tag.lead)
    next = adjust_points.p
  }
  adjust_points "p" {
    points = 1
  }
}
`)
	id := w.contact(map[string]any{"tags": []string{"lead", "a"}})
	w.tag(id, "go")
	c := w.get(id)
	sort.Strings(c.Tags)
	if fmt.Sprint(c.Tags) != "[a b go]" {
		t.Fatalf("tags %v", c.Tags)
	}
	es := w.entries(id, "swap", "tags changed")
	if len(es) != 1 {
		t.Fatalf("no tags changed entry\n%s", w.story(id))
	}
	if d := entryDetail(t, es[0]); fmt.Sprint(d["added"]) != "[b]" || fmt.Sprint(d["removed"]) != "[lead]" {
		t.Fatalf("detail %v: only what changed is listed", d)
	}
	if c.Points != 1 {
		t.Fatal("tag_removed did not start the other campaign")
	}
}

func TestActionUpdateContact(t *testing.T) {
	w := scenario(t, oneCampaign(`
  update_contact "set" {
    set = {
      plan       = "pro"
      company    = upper(contact.first_name)
      score      = contact.points * 2
      first_name = "Augusta"
    }
    next = update_contact.blank
  }
  update_contact "blank" {
    set = {
      plan    = "free"
      address = "1 Main St"
      company = "Other"
    }
    only_if_blank = true
  }
`)+`
campaign "plan_changed" {
  trigger "t" {
    on   = field_changed(field.plan)
    next = change_tags.mark
  }
  change_tags "mark" {
    add = [tag.b]
  }
}
`)
	id := w.contact(map[string]any{"first_name": "Ada", "points": 21.0})
	w.tag(id, "go")
	c := w.get(id)
	want := map[string]any{"plan": "pro", "company": "ADA", "score": 42.0, "first_name": "Augusta", "address": "1 Main St"}
	for k, v := range want {
		if c.Fields[k] != v {
			t.Fatalf("%s = %#v, want %#v (fields %v)\n%s", k, c.Fields[k], v, c.Fields, w.story(id))
		}
	}
	if d := entryDetail(t, w.entries(id, "blank", "updated")[0]); len(d) != 1 || d["address"] != "1 Main St" {
		t.Fatalf("only_if_blank changed %v", d)
	}
	if !c.HasTag("b") {
		t.Fatal("field_changed did not start the other campaign")
	}
}

func TestActionAdjustPoints(t *testing.T) {
	w := scenario(t, oneCampaign(`
  adjust_points "up" {
    points = 10
    next   = adjust_points.down
  }
  adjust_points "down" {
    points = -3.5
    next   = condition.hot
  }
  condition "hot" {
    if   = contact.points >= 6.5
    then = change_tags.mark_hot
  }
  change_tags "mark_hot" {
    add = [tag.a]
  }
`))
	id := w.ada()
	w.tag(id, "go")
	if c := w.get(id); c.Points != 6.5 || !c.HasTag("a") {
		t.Fatalf("points %v, tags %v\n%s", c.Points, c.Tags, w.story(id))
	}
	if d := entryDetail(t, w.entries(id, "down", "points adjusted")[0]); d["total"] != 6.5 {
		t.Fatalf("detail %v", d)
	}
}

func TestActionChangeStage(t *testing.T) {
	w := scenario(t, oneCampaign(`
  change_stage "customer" {
    stage = "customer"
    next  = condition.is_customer
  }
  condition "is_customer" {
    if   = contact.stage == "customer"
    then = change_tags.ok
  }
  change_tags "ok" {
    add = [tag.a]
  }
`))
	id := w.contact(map[string]any{"stage": "lead"})
	w.tag(id, "go")
	if c := w.get(id); c.Stage != "customer" || !c.HasTag("a") {
		t.Fatalf("stage %q, tags %v", c.Stage, c.Tags)
	}
}

func TestActionAssignOwnerUser(t *testing.T) {
	w := scenario(t, oneCampaign(`
  assign_owner "alice" {
    user = user.alice
  }
`))
	id := w.contact(map[string]any{"owner": "sam"})
	w.tag(id, "go")
	if o := w.get(id).Owner; o != "alice" {
		t.Fatalf("owner %q", o)
	}
}

func TestActionAssignOwnerRoundRobin(t *testing.T) {
	w := scenario(t, oneCampaign(`
  assign_owner "rr" {
    lead_router = lead_router.rr
  }
`))
	var got []string
	for i := 0; i < 7; i++ {
		id := w.ada()
		w.tag(id, "go")
		got = append(got, w.get(id).Owner)
	}
	if fmt.Sprint(got) != "[sam alice bob sam alice bob sam]" {
		t.Fatalf("owners in turn: %v", got)
	}
}

func TestActionAssignOwnerWeighted(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  reentry = "always"

  trigger "t" {
    on   = form_submitted(form.signup)
    next = assign_owner.w
  }
  assign_owner "w" {
    lead_router = lead_router.weighted
    next        = end.done
  }
  end "done" {}
}
`)
	const n = 1000
	sam := 0
	for i := 0; i < n; i++ {
		id := w.contact(map[string]any{})
		w.event(id, "form_submitted", "form", "signup")
		owner := w.get(id).Owner
		if owner == "sam" {
			sam++
		} else if owner != "alice" {
			t.Fatalf("owner %q", owner)
		}
		if i < 10 {
			// Stable per contact.
			w.event(id, "form_submitted", "form", "signup")
			if again := w.get(id).Owner; again != owner {
				t.Fatalf("contact %d: %s, then %s", id, owner, again)
			}
		}
	}
	if share := float64(sam) / n; math.Abs(share-0.75) > 0.05 {
		t.Fatalf("%.1f%% went to the 75%% user", share*100)
	}
}

func TestActionAddToCampaignAlreadyThere(t *testing.T) {
	// A contact already on the target campaign is not added a second time;
	// the adding campaign does not wait for it (as in Ontraport, where
	// "add to campaign" does nothing for a contact already on it) and goes
	// straight on.
	w := scenario(t, `
campaign "adder" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = add_to_campaign.target
  }
  add_to_campaign "target" {
    campaign = campaign.target
    next     = change_tags.after
  }
  change_tags "after" {
    add = [tag.a]
  }
}

campaign "target" {
  trigger "first" {
    on   = tag_added(tag.b)
    next = wait.w
  }
  trigger "added" {
    on   = added_to_campaign()
    next = wait.w
  }
  wait "w" {
    for  = "3d"
    next = end.done
  }
  end "done" {}
}
`)
	id := w.ada()
	w.tag(id, "b")
	w.tag(id, "go")
	w.expectAt(id, "target", "skipped: not added to campaign", scenarioStart)
	if !w.get(id).HasTag("a") {
		t.Fatalf("the adding campaign waited\n%s", w.story(id))
	}
	if got := len(w.entries(id, "added", "")); got != 1 {
		t.Fatalf("%d entries on the added trigger, want 1 (already on the campaign)", got)
	}
}

func TestActionRemoveFromCampaign(t *testing.T) {
	w := scenario(t, `
campaign "main" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.w
  }
  wait "w" {
    for  = "5d"
    next = send_email.promo
  }
  send_email "promo" {
    email = email.promo
  }
}

campaign "remover" {
  trigger "t" {
    on   = tag_added(tag.b)
    next = remove_from_campaign.main
  }
  remove_from_campaign "main" {
    campaign = campaign.main
    next     = remove_from_campaign.again
  }
  remove_from_campaign "again" {
    campaign = campaign.main
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(aDay)
	w.tag(id, "b")
	w.advance(10 * aDay)
	w.expectAt(id, "main", "removed", "2026-06-11T13:37:00-04:00")
	w.expectAt(id, "again", "skipped: the contact is not on campaign", "2026-06-11T13:37:00-04:00")
	w.expectNever(id, "w", "waited")
	w.expectNever(id, "promo", "sent")
	w.expectFinal(id, "main", "exited", "w")
}

const removableSequence = foreverSequence + `
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
    add = [tag.a]
  }
}
`

func TestActionRemoveFromSequence(t *testing.T) {
	// Removed from the sequence, the contact is no longer on it: a
	// campaign waiting for it to come back gets it back then.
	w := scenario(t, removableSequence+`
rule "stop" {
  when = tag_added(tag.b)
  then {
    remove_from_sequence {
      sequence = sequence.forever
    }
  }
}
`, "missing-fork-before-add-to-sequence")
	id := w.ada()
	w.tag(id, "go")
	w.advance(20 * time.Hour)
	w.tag(id, "b")
	w.advance(10 * aDay)
	removed := "2026-06-11T09:37:00-04:00"
	w.expectAt(id, "stop", "ran: tag_added(tag.b)", removed)
	w.expectNever(id, "one", "sent")
	w.expectNever(id, "two", "sent")
	if e := w.enrollment(id, "sequence", "forever"); e.Status != "exited" || len(e.Tokens) != 0 {
		t.Fatalf("sequence enrollment: %+v", e)
	}
	w.expectAt(id, "", "removed from the sequence", removed)
	w.expectAt(id, "forever", "returned", removed)
	w.expectAt(id, "after", "tags changed", removed)
	if len(w.deliveries(id)) != 0 {
		t.Fatal("a removed subscription still sent")
	}
}

func TestActionPauseAndUnpauseSequence(t *testing.T) {
	w := scenario(t, removableSequence+`
rule "pause" {
  when = api("pause")
  then {
    pause_sequence {
      sequence = sequence.forever
    }
  }
}

rule "unpause" {
  when = api("unpause")
  then {
    unpause_sequence {
      sequence = sequence.forever
    }
  }
}
`, "missing-fork-before-add-to-sequence")
	id := w.ada()
	w.tag(id, "go")
	w.advance(aDay) // step one at Thursday 10:00; step two is due Friday 08:00
	w.event(id, "api", "name", "pause")
	if e := w.enrollment(id, "sequence", "forever"); e.Status != "paused" {
		t.Fatalf("status %s", e.Status)
	}
	w.advance(5 * aDay)
	w.expectNever(id, "two", "sent")
	w.event(id, "api", "name", "unpause")
	w.advance(time.Minute)
	w.expectAt(id, "one", "sent", "2026-06-11T10:00:00-04:00")
	w.expectAt(id, "two", "sent", "2026-06-16T13:37:00-04:00")
	if e := w.enrollment(id, "sequence", "forever"); e.Status != "active" {
		t.Fatalf("status %s", e.Status)
	}
}

func TestActionFulfillment(t *testing.T) {
	w := scenario(t, oneCampaign(`
  send_to_fulfillment "kit" {
    list = fulfillment_list.kits
    next = wait.w
  }
  wait "w" {
    for  = "1d"
    next = remove_from_fulfillment.kit_off
  }
  remove_from_fulfillment "kit_off" {
    list = fulfillment_list.kits
  }
`))
	id := w.contact(map[string]any{"first_name": "Ada", "address": "1 Main St"})
	w.tag(id, "go")
	rows := w.records(id, "fulfillment")
	if len(rows) != 1 || rows[0].Name != "kits" || rows[0].Status != "pending" || rows[0].Data["first_name"] != "Ada" || rows[0].Data["address"] != "1 Main St" {
		t.Fatalf("rows: %+v", rows)
	}
	if _, ok := rows[0].Data["last_name"]; ok {
		t.Fatalf("a column that is not on the list: %v", rows[0].Data)
	}
	w.advance(2 * aDay)
	rows = w.records(id, "fulfillment")
	if len(rows) != 1 || rows[0].Status != "removed" {
		t.Fatalf("rows after removal: %+v", rows)
	}
	if d := entryDetail(t, w.entries(id, "kit_off", "removed from list")[0]); d["rows"] != 1.0 {
		t.Fatalf("detail %v", d)
	}
}

// A row a batch has taken is in a CSV already (mailed, perhaps): removing
// the contact from the list afterwards takes back only rows still pending.
func TestActionRemoveFromFulfillmentLeavesBatchedRows(t *testing.T) {
	w := scenario(t, oneCampaign(`
  send_to_fulfillment "kit" {
    list = fulfillment_list.kits
    next = wait.w
  }
  wait "w" {
    for  = "1d"
    next = remove_from_fulfillment.kit_off
  }
  remove_from_fulfillment "kit_off" {
    list = fulfillment_list.kits
  }
`))
	id := w.contact(map[string]any{"first_name": "Ada", "address": "1 Main St"})
	w.tag(id, "go")
	var batch *runtime.FulfillmentBatch
	tx, err := w.store.Begin(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if batch, err = tx.CutFulfillmentBatch("kits", []string{"first_name", "address"}, w.now()); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	w.advance(2 * aDay)
	rows := w.records(id, "fulfillment")
	if len(rows) != 1 || rows[0].Status != runtime.RowBatched {
		t.Fatalf("after remove_from_fulfillment, the batched row reads %+v; want it still batched", rows)
	}
	w.read(func(tx runtime.Tx) error {
		inBatch, err := tx.FulfillmentRows(batch.ID)
		if len(inBatch) != 1 || inBatch[0].ContactID != id {
			t.Errorf("the batch's rows after the removal: %+v; want the contact's row", inBatch)
		}
		return err
	})
	if d := entryDetail(t, w.entries(id, "kit_off", "removed from list")[0]); d["rows"] != 0.0 {
		t.Errorf("the removal says it removed %v rows; want 0", d["rows"])
	}
}

func TestActionPurchasesAndOrders(t *testing.T) {
	w := scenario(t, oneCampaign(`
  add_purchase "pro" {
    product = product.pro
    next    = add_purchase.book
  }
  add_purchase "book" {
    product = product.book
    next    = recharge_transactions.retry
  }
  recharge_transactions "retry" {
    next = cancel_open_orders.book_only
  }
  cancel_open_orders "book_only" {
    product = product.book
    next    = cancel_open_orders.all
  }
  cancel_open_orders "all" {}
`)+`
rule "bought" {
  when = product_purchased(product.pro)
  then {
    adjust_points {
      points = 5
    }
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	purchases := w.records(id, "purchase")
	if len(purchases) != 2 || purchases[0].Name != "pro" || purchases[0].Data["price"] != 29.0 || purchases[0].Status != "paid" {
		t.Fatalf("purchases: %+v", purchases)
	}
	orders := w.records(id, "order")
	if len(orders) != 2 {
		t.Fatalf("orders: %+v", orders)
	}
	// The recurring order was recharged, then cancelled by the second
	// cancel (the first only touches the book's orders, which are closed).
	if o := orders[0]; o.Name != "pro" || o.Status != "cancelled" || o.Data["last_action"] != "cancelled" {
		t.Fatalf("pro order: %+v", o)
	}
	if o := orders[1]; o.Name != "book" || o.Status != "closed" {
		t.Fatalf("book order: %+v", o)
	}
	w.expectAt(id, "retry", "1 orders recharged", scenarioStart)
	w.expectAt(id, "book_only", "0 orders cancelled", scenarioStart)
	w.expectAt(id, "all", "1 orders cancelled", scenarioStart)
	if p := w.get(id).Points; p != 5 {
		t.Fatalf("add_purchase did not raise product_purchased: points %v", p)
	}
}

func TestActionAddToLeadRouter(t *testing.T) {
	w := scenario(t, oneCampaign(`
  add_to_lead_router "rr" {
    lead_router = lead_router.rr
  }
`))
	var owners []string
	for i := 0; i < 4; i++ {
		id := w.ada()
		w.tag(id, "go")
		owners = append(owners, w.get(id).Owner)
		recs := w.records(id, "lead_assignment")
		if len(recs) != 1 || recs[0].Name != "rr" || recs[0].Data["owner"] != owners[i] {
			t.Fatalf("assignment records: %+v", recs)
		}
	}
	if fmt.Sprint(owners) != "[sam alice bob sam]" {
		t.Fatalf("owners %v", owners)
	}
}

func TestActionMembershipAccess(t *testing.T) {
	w := scenario(t, oneCampaign(`
  membership_access "grant" {
    site   = "academy"
    status = "enabled"
    next   = membership_access.suspend
  }
  membership_access "suspend" {
    site   = "academy"
    status = "suspended"
  }
`))
	id := w.ada()
	w.tag(id, "go")
	ds := w.sent(id, "membership")
	if len(ds) != 2 {
		t.Fatalf("%d membership deliveries", len(ds))
	}
	expectPayload(t, ds[0], map[string]any{"site": "academy", "status": "enabled", "email": "ada@example.com", "contact": id})
	expectPayload(t, ds[1], map[string]any{"status": "suspended"})
	distinctKeys(t, ds)
}

func TestActionCustomAudience(t *testing.T) {
	w := scenario(t, oneCampaign(`
  custom_audience "add" {
    audience = "trial-users"
    op       = "add"
    next     = custom_audience.remove
  }
  custom_audience "remove" {
    audience = "trial-users"
    op       = "remove"
  }
`))
	id := w.ada()
	w.tag(id, "go")
	ds := w.sent(id, "audience")
	if len(ds) != 2 {
		t.Fatalf("%d audience deliveries", len(ds))
	}
	expectPayload(t, ds[0], map[string]any{"audience": "trial-users", "op": "add", "email": "ada@example.com"})
	expectPayload(t, ds[1], map[string]any{"op": "remove"})
}

func TestActionWebhookDeclared(t *testing.T) {
	w := scenario(t, oneCampaign(`
  webhook "crm" {
    webhook = webhook.crm
  }
`))
	id := w.ada()
	w.tag(id, "go")
	d := onlyDelivery(t, w, id, "webhook")
	expectPayload(t, d, map[string]any{"url": "https://crm.example.com/hook", "method": "PUT", "headers": map[string]string{"X-Token": "abc"}, "body": `{"email": "ada@example.com"}`, "contact": id})
	if d.Asset != "crm" {
		t.Fatalf("asset %q", d.Asset)
	}
}

func TestActionWebhookInline(t *testing.T) {
	w := scenario(t, oneCampaign(`
  webhook "inline" {
    url     = "https://hooks.example.com/x"
    headers = { Authorization = "Bearer t" }
    body    = "name=${contact.first_name}"
    next    = webhook.bare
  }
  webhook "bare" {
    url    = "https://hooks.example.com/y"
    method = "PATCH"
  }
`))
	id := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "tags": []string{"vip"}, "points": 3.0})
	w.tag(id, "go")
	ds := w.sent(id, "webhook")
	if len(ds) != 2 {
		t.Fatalf("%d webhook deliveries", len(ds))
	}
	expectPayload(t, ds[0], map[string]any{"url": "https://hooks.example.com/x", "method": "POST", "headers": map[string]string{"Authorization": "Bearer t"}, "body": "name=Ada"})
	// Without a body, the contact as JSON (as a declared webhook's body
	// defaults to).
	expectPayload(t, ds[1], map[string]any{"url": "https://hooks.example.com/y", "method": "PATCH"})
	var body map[string]any
	if s, ok := ds[1].Payload["body"].(string); !ok || json.Unmarshal([]byte(s), &body) != nil {
		t.Fatalf("default body is not JSON: %#v", ds[1].Payload["body"])
	}
	if body["email"] != "ada@example.com" || body["first_name"] != "Ada" || body["points"] != 3.0 || fmt.Sprint(body["tags"]) != "[vip go]" || body["id"] != float64(id) {
		t.Fatalf("default body: %v", body)
	}
	distinctKeys(t, ds)
}

func TestActionApplyNote(t *testing.T) {
	w := scenario(t, oneCampaign(`
  apply_note "source" {
    text = "Signed up as ${contact.email} (${contact.company})"
  }
`))
	id := w.contact(map[string]any{"email": "ada@example.com", "company": "Engines Ltd"})
	w.tag(id, "go")
	notes := w.records(id, "note")
	if len(notes) != 1 || notes[0].Data["text"] != "Signed up as ada@example.com (Engines Ltd)" {
		t.Fatalf("notes: %+v", notes)
	}
}

func TestActionCreateAppointment(t *testing.T) {
	w := scenario(t, oneCampaign(`
  create_appointment "demo" {
    title = "Demo with ${contact.first_name}"
    at {
      for = "2d"
      at  = "14:00"
    }
  }
`))
	id := w.ada()
	w.tag(id, "go")
	apps := w.records(id, "appointment")
	if len(apps) != 1 || apps[0].Data["title"] != "Demo with Ada" || apps[0].Status != "booked" || apps[0].At == nil || !apps[0].At.Equal(mustTime(t, "2026-06-12T14:00:00-04:00")) {
		t.Fatalf("appointments: %+v", apps)
	}
}

func TestActionCreateOpportunity(t *testing.T) {
	w := scenario(t, oneCampaign(`
  create_opportunity "user" {
    stage = "qualified"
    owner = user.sam
    next  = create_opportunity.router
  }
  create_opportunity "router" {
    stage = "demo"
    owner = lead_router.rr
    next  = create_opportunity.nobody
  }
  create_opportunity "nobody" {
    stage = "new"
  }
`))
	id := w.ada()
	w.tag(id, "go")
	ops := w.records(id, "opportunity")
	if len(ops) != 3 {
		t.Fatalf("opportunities: %+v", ops)
	}
	if ops[0].Name != "qualified" || ops[0].Data["owner"] != "sam" || ops[0].Status != "open" {
		t.Fatalf("user opportunity: %+v", ops[0])
	}
	if ops[1].Name != "demo" || ops[1].Data["owner"] != "sam" {
		t.Fatalf("router opportunity (first in turn): %+v", ops[1])
	}
	if ops[2].Data["owner"] != "" && ops[2].Data["owner"] != nil {
		t.Fatalf("opportunity without owner: %+v", ops[2])
	}
}

func TestActionDoNotContact(t *testing.T) {
	w := scenario(t, oneCampaign(`
  do_not_contact "stop_email" {
    channel = "email"
    next    = send_email.blocked
  }
  send_email "blocked" {
    email = email.promo
    next  = do_not_contact.resume_email
  }
  do_not_contact "resume_email" {
    channel = "email"
    op      = "remove"
    next    = send_email.allowed
  }
  send_email "allowed" {
    email = email.promo2
    next  = do_not_contact.all
  }
  do_not_contact "all" {
    channel = "all"
    next    = send_sms.blocked_sms
  }
  send_sms "blocked_sms" {
    sms = sms.nudge
  }
`))
	id := w.ada()
	w.tag(id, "go")
	w.expectAt(id, "blocked", "skipped: the contact asked not to be emailed", scenarioStart)
	w.expectAt(id, "allowed", "sent", scenarioStart)
	w.expectAt(id, "blocked_sms", "skipped: the contact asked not to be texted", scenarioStart)
	if dnc := w.get(id).DNC; fmt.Sprint(dnc) != "[all]" {
		t.Fatalf("flags %v", dnc)
	}
	// The promo was skipped, not sent: it is not spent.
	if len(w.sent(id, "email", "promo")) != 0 {
		t.Fatal("a blocked email was delivered")
	}
}
