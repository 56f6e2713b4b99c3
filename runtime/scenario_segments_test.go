package runtime_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Segments: a dynamic segment holds the contacts its where is true of,
// evaluated again whenever a step of the contact settles; a static one is
// changed by modify_segments. Entering and leaving are events.

// memberships lists the segments the contact is in, as stored.
func (w *world) memberships(id int64) []string {
	w.t.Helper()
	var out []string
	w.read(func(tx runtime.Tx) error {
		ms, err := tx.Memberships(id)
		for _, m := range ms {
			out = append(out, m.Segment)
		}
		return err
	})
	return out
}

// segmentSize is the segment's size, as journey server reports it.
func (w *world) segmentSize(segment string) int {
	w.t.Helper()
	var n int
	w.read(func(tx runtime.Tx) error {
		var err error
		n, err = tx.SegmentSize(segment)
		return err
	})
	return n
}

// purchase tells the engine the contact bought a product now.
func (w *world) purchase(id int64, product string) {
	w.t.Helper()
	w.event(id, "product_purchased", "product", product)
}

const trialSegment = `
segment "trial_users" {
  where = contact.plan == "trial" && !has_purchased(product.pro)
}

campaign "trial_nurture" {
  trigger "entered" {
    on   = segment_entered(segment.trial_users)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.promo
    next  = decision.still_trialling
  }
  decision "still_trialling" {
    on     = segment_left(segment.trial_users)
    within = "14d"
    yes    = send_email.left
    no     = send_email.last_call
  }
  send_email "left" {
    email = email.receipt
  }
  send_email "last_call" {
    email = email.promo2
  }
}
`

// The scenario: a contact leaving a segment takes the left path.
// A new trial user enters trial_users when it is created and the
// campaign's trigger takes it in; buying pro makes the where false, and
// the segment_left that follows in the same step answers the decision.
func TestSegmentLeftTakesTheLeftPath(t *testing.T) {
	w := scenario(t, trialSegment)
	ada := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "plan": "trial"})
	bob := w.contact(map[string]any{"email": "bob@example.com", "first_name": "Bob", "plan": "trial"})
	w.expectAt(ada, "entered", "entered", scenarioStart)
	if got := w.memberships(ada); !slices.Equal(got, []string{"trial_users"}) {
		t.Fatalf("a new trial user's segments are %v, want [trial_users]\n%s", got, w.story(ada))
	}
	if n := w.segmentSize("trial_users"); n != 2 {
		t.Fatalf("trial_users has %d members, want 2", n)
	}

	w.advance(2 * 24 * time.Hour)
	w.purchase(ada, "pro")
	w.expectAt(ada, "still_trialling", "yes: segment_left(segment.trial_users)", "2026-06-12T13:37:00-04:00")
	if len(w.sent(ada, "email", "receipt")) != 1 {
		t.Fatalf("the left path sent nothing\n%s", w.story(ada))
	}
	if got := w.memberships(ada); len(got) != 0 {
		t.Fatalf("after buying pro, ada is still in %v", got)
	}
	if n := w.segmentSize("trial_users"); n != 1 {
		t.Fatalf("trial_users has %d members after ada left, want 1", n)
	}

	// Bob never leaves: the decision's deadline takes no.
	w.advance(14 * 24 * time.Hour)
	w.expectAt(bob, "still_trialling", "no", "2026-06-24T13:37:00-04:00")
	w.expectNever(ada, "last_call", "sent")
	if len(w.sent(bob, "email", "promo2")) != 1 {
		t.Fatalf("bob, still trialling, did not get the last call\n%s", w.story(bob))
	}

	// What the timeline says of it.
	var said []string
	for _, e := range w.timeline(ada) {
		if strings.HasPrefix(e.Kind, "segment_") {
			said = append(said, e.Sentence(time.UTC))
		}
	}
	if want := []string{"entered segment trial_users", "left segment trial_users"}; !slices.Equal(said, want) {
		t.Errorf("the timeline says %q, want %q", said, want)
	}
}

// Membership follows each kind of thing a where may read: fields (from
// outside and from actions), tags, points and purchases; a contact that
// matches again enters again.
func TestSegmentFollowsWhatItsWhereReads(t *testing.T) {
	w := scenario(t, `
segment "hot_leads" {
  where = contact.points >= 50 && has_tag(tag.lead) && contact.company != ""
}

rule "count_entries" {
  when = segment_entered(segment.hot_leads)
  then {
    update_contact {
      set = { score = coalesce(contact.score, 0) + 1 }
    }
  }
}

campaign "scoring" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = adjust_points.engaged
  }
  adjust_points "engaged" {
    points = 40
  }
}
`)
	id := w.contact(map[string]any{"tags": []string{"lead"}, "points": 20.0})
	in := func(want bool, when string) {
		t.Helper()
		got := slices.Contains(w.memberships(id), "hot_leads")
		if got != want {
			t.Fatalf("%s: in hot_leads %v, want %v\n%s", when, got, want, w.story(id))
		}
	}
	in(false, "created with 20 points and no company")
	if err := w.sim.Engine.Update(w.ctx, id, map[string]any{"company": "Acme"}); err != nil {
		t.Fatal(err)
	}
	in(false, "a company, 20 points")
	w.tag(id, "go")
	in(true, "a campaign's adjust_points to 60")
	w.event(id, "tag_removed", "tag", "lead")
	in(false, "the lead tag removed")
	w.tag(id, "lead")
	in(true, "the lead tag back")
	if got := w.get(id).Fields["score"]; got != 2.0 {
		t.Fatalf("segment_entered ran the rule %v times, want 2 (once per entry)\n%s", got, w.story(id))
	}
}

// segment_entered and segment_left come in the cascade of the step that
// changed the contact, at its time: the campaign they start moves in the
// same instant. A condition right after the change sees the contact in
// the segment already.
func TestSegmentEventsComeInTheStepsCascade(t *testing.T) {
	w := scenario(t, `
segment "pro_users" {
  where = contact.plan == "pro"
}

campaign "upgrade" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.a_day
  }
  wait "a_day" {
    for  = "1d"
    next = update_contact.pro
  }
  update_contact "pro" {
    set  = { plan = "pro" }
    next = condition.now_pro
  }
  condition "now_pro" {
    if   = in_segment(segment.pro_users)
    then = end.yes
    else = end.no
  }
  end "yes" {}
  end "no" {}
}

campaign "pro_welcome" {
  trigger "t" {
    on   = segment_entered(segment.pro_users)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.receipt
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.advance(2 * 24 * time.Hour)
	w.expectAt(id, "now_pro", "then", "2026-06-11T13:37:00-04:00")
	sent := w.sent(id, "email", "receipt")
	if len(sent) != 1 || !sent[0].CreatedAt.Equal(mustTime(t, "2026-06-11T13:37:00-04:00")) {
		t.Fatalf("the welcome went %v, want once, in the step that set the plan\n%s", sent, w.story(id))
	}
}

// modify_segments changes static segments: in_segment reads them, each
// change is an event, and a change that changes nothing raises none. A
// dynamic segment's members are its where's: modify_segments skips it,
// as validate warns.
func TestActionModifySegments(t *testing.T) {
	w := scenario(t, `
segment "vip_list" {}
segment "prospects" {}
segment "pro_users" {
  where = contact.plan == "pro"
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = modify_segments.mark
  }
  modify_segments "mark" {
    add    = [segment.vip_list, segment.pro_users]
    remove = [segment.prospects]
    next   = modify_segments.again
  }
  modify_segments "again" {
    add  = [segment.vip_list]
    next = condition.vip
  }
  condition "vip" {
    if   = in_segment(segment.vip_list) && !in_segment(segment.prospects) && !in_segment(segment.pro_users)
    then = end.yes
    else = end.no
  }
  end "yes" {}
  end "no" {}
}

campaign "vip_welcome" {
  trigger "t" {
    on   = segment_entered(segment.vip_list)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.receipt
  }
}

rule "no_longer_prospect" {
  when = segment_left(segment.prospects)
  then {
    adjust_points {
      points = 5
    }
  }
}

campaign "prospecting" {
  trigger "t" {
    on   = tag_added(tag.lead)
    next = modify_segments.prospect
  }
  modify_segments "prospect" {
    add = [segment.prospects]
  }
}
`, "modify-dynamic-segment")
	id := w.ada()
	w.tag(id, "lead")
	if got := w.memberships(id); !slices.Equal(got, []string{"prospects"}) {
		t.Fatalf("segments %v, want [prospects]", got)
	}
	w.tag(id, "go")
	w.expectAt(id, "vip", "then", scenarioStart)
	if got := w.memberships(id); !slices.Equal(got, []string{"vip_list"}) {
		t.Fatalf("segments %v, want [vip_list]: the static ones changed, the dynamic one left to its where\n%s", got, w.story(id))
	}
	if n := len(w.sent(id, "email", "receipt")); n != 1 {
		t.Fatalf("vip_list was entered %d times, want once: the second add changes nothing\n%s", n, w.story(id))
	}
	if p := w.get(id).Points; p != 5 {
		t.Fatalf("points %v: segment_left(prospects) did not run the rule once", p)
	}
	es := w.entries(id, "mark", "segments changed")
	if len(es) != 1 {
		t.Fatalf("no entry of modify_segments mark\n%s", w.story(id))
	}
	d := entryDetail(t, es[0])
	if fmt.Sprint(d["added"], d["removed"], d["skipped_dynamic"]) != "[vip_list] [prospects] [pro_users]" {
		t.Errorf("the entry's detail %v: what changed, and the dynamic segment skipped", d)
	}
	if s := es[0].Sentence(time.UTC); s != "segments +vip_list -prospects (modify_segments mark), pro_users skipped: it is dynamic" {
		t.Errorf("the timeline says %q", s)
	}
}

// A where may read other segments; the engine settles them in one pass,
// in the order they read each other, whatever the plan's order.
func TestSegmentReadsOtherSegments(t *testing.T) {
	w := scenario(t, `
segment "engaged_vips" {
  where = in_segment(segment.vips) && in_segment(segment.engaged)
}
segment "engaged" {
  where = contact.points > 10
}
segment "vips" {}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.vip)
    next = modify_segments.vip
  }
  modify_segments "vip" {
    add = [segment.vips]
  }
}

campaign "thanks" {
  trigger "t" {
    on   = segment_entered(segment.engaged_vips)
    next = send_email.thanks
  }
  send_email "thanks" {
    email = email.receipt
  }
}
`)
	id := w.contact(map[string]any{"email": "ada@example.com", "points": 30.0})
	if got := w.memberships(id); !slices.Equal(got, []string{"engaged"}) {
		t.Fatalf("segments %v, want [engaged]", got)
	}
	w.tag(id, "vip")
	if got := w.memberships(id); !slices.Equal(got, []string{"engaged", "engaged_vips", "vips"}) {
		t.Fatalf("segments %v, want all three", got)
	}
	if len(w.sent(id, "email", "receipt")) != 1 {
		t.Fatalf("entering engaged_vips started nothing\n%s", w.story(id))
	}
}

// Segments whose events feed each other (entering removes what the where
// wants) stop at the cascade's bound instead of looping: the step ends,
// with the dropped events on the timeline.
func TestSegmentLoopStopsAtTheCascadeBound(t *testing.T) {
	w := scenario(t, `
segment "untagged" {
  where = !has_tag(tag.a)
}

rule "tag_them" {
  when = segment_entered(segment.untagged)
  then {
    change_tags {
      add = [tag.a]
    }
  }
}

rule "untag_them" {
  when = segment_left(segment.untagged)
  then {
    change_tags {
      remove = [tag.a]
    }
  }
}
`)
	done := make(chan int64, 1)
	go func() {
		c := &runtime.Contact{Fields: map[string]any{"email": "ada@example.com"}}
		if err := w.sim.Engine.CreateContact(context.Background(), c); err != nil {
			t.Error(err)
		}
		done <- c.ID
	}()
	var id int64
	select {
	case id = <-done:
	case <-time.After(time.Minute):
		t.Fatal("creating a contact whose segments feed each other did not end within a minute")
	}
	if len(w.entries(id, "", "event dropped")) == 0 {
		t.Fatalf("no event was dropped\n%s", w.story(id))
	}
}

// A plan applied with a new segment takes a contact in at the contact's
// next step, without reading every contact.
func TestNewSegmentTakesContactsInAtTheirNextStep(t *testing.T) {
	w := scenario(t, oneCampaign(`
  wait "a_day" {
    for = "1d"
  }
`))
	id := w.contact(map[string]any{"email": "ada@example.com", "plan": "pro"})
	w.tag(id, "go")
	w.sim.Engine.SetProgram(linkScenario(t, oneCampaign(`
  wait "a_day" {
    for = "1d"
  }
`)+`
segment "pro_users" {
  where = contact.plan == "pro"
}

campaign "pro_welcome" {
  trigger "t" {
    on   = segment_entered(segment.pro_users)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.receipt
  }
}
`))
	if got := w.memberships(id); len(got) != 0 {
		t.Fatalf("segments %v before the contact's next step: an apply reads no contact", got)
	}
	w.advance(2 * 24 * time.Hour)
	if got := w.memberships(id); !slices.Equal(got, []string{"pro_users"}) {
		t.Fatalf("segments %v after the wait's step, want [pro_users]\n%s", got, w.story(id))
	}
	if len(w.sent(id, "email", "receipt")) != 1 {
		t.Fatalf("entering the new segment started nothing\n%s", w.story(id))
	}
}
