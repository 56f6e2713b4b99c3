package runtime_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Each kind of timeline entry in the words simulate prints, and the server
// and journey status will.
func TestTimelineSentences(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 10, 17, 37, 0, 0, time.UTC)
	for _, c := range []struct {
		entry runtime.TimelineEntry
		want  string
	}{
		{runtime.TimelineEntry{Campaign: "c", Element: "signup", Kind: "trigger", Outcome: "entered"}, "entered campaign c (trigger signup)"},
		{runtime.TimelineEntry{Campaign: "c", Element: "booked", Kind: "trigger", Outcome: "entered", Detail: []byte(`{"key":"a-17"}`)}, "entered campaign c (trigger booked, key a-17)"},
		{runtime.TimelineEntry{Campaign: "c", Element: "welcome", Kind: "send_email", Outcome: "sent", Detail: detail(t, map[string]any{"email": "welcome", "subject": "Hi, Ada"})},
			`sent email welcome "Hi, Ada"`},
		{runtime.TimelineEntry{Sequence: "tips", Element: "one", Kind: "send_email", Outcome: "sent", Detail: detail(t, map[string]any{"email": "tip", "subject": "A tip"})},
			`sent email tip "A tip" (sequence tips, step one)`},
		{runtime.TimelineEntry{Campaign: "c", Element: "nudge", Kind: "send_sms", Outcome: "sent", Detail: detail(t, map[string]any{"sms": "nudge", "body": "Come back"})},
			`sent sms nudge "Come back"`},
		{runtime.TimelineEntry{Campaign: "c", Element: "mark", Kind: "change_tags", Outcome: "changed", Detail: detail(t, map[string]any{"added": []string{"trial"}, "removed": []string{"lead", "cold"}})},
			"tagged +trial -lead -cold (change_tags mark)"},
		{runtime.TimelineEntry{Campaign: "c", Element: "mark", Kind: "change_tags", Outcome: "changed", Detail: detail(t, map[string]any{})},
			"change_tags mark: no change"},
		{runtime.TimelineEntry{Campaign: "c", Element: "two_days", Kind: "wait", Outcome: "waiting", Detail: detail(t, map[string]any{"until": "2026-06-12T17:37:00Z"})},
			"waiting at wait two_days until Fri 12 Jun 13:37 EDT"},
		{runtime.TimelineEntry{Campaign: "c", Element: "opened", Kind: "decision", Outcome: "waiting for email_opened(email.promo)", Detail: detail(t, map[string]any{"until": "2026-06-12T17:37:00Z"})},
			"waiting for email_opened(email.promo) at decision opened until Fri 12 Jun 13:37 EDT"},
		{runtime.TimelineEntry{Sequence: "tips", Element: "two", Kind: "step", Outcome: "waiting", Detail: detail(t, map[string]any{"until": "not a time"})},
			"waiting at sequence tips step two until not a time"},
		{runtime.TimelineEntry{Campaign: "c", Element: "two_days", Kind: "wait", Outcome: "waited"}, "wait two_days is over"},
		{runtime.TimelineEntry{Campaign: "c", Element: "done", Kind: "end", Outcome: "ended"}, "reached end done"},
		{runtime.TimelineEntry{Campaign: "c", Element: "gone", Kind: "end", Outcome: "exited"}, "left campaign c at end gone"},
		{runtime.TimelineEntry{Campaign: "c", Element: "is_customer", Kind: "condition", Outcome: "else"}, "condition is_customer: took else"},
		{runtime.TimelineEntry{Sequence: "tips", Outcome: "subscribed"}, "sequence tips: subscribed"},
		{runtime.TimelineEntry{Sequence: "tips", Element: "reports", Kind: "step", Outcome: "took path 2 of 3", Detail: detail(t, map[string]any{"email": "tip_b", "weight": 30})},
			"sequence tips step reports: split test, took path 2 of 3, email tip_b (30%)"},
		{runtime.TimelineEntry{Campaign: "c", Element: "start", Kind: "update_contact", Outcome: "updated", Detail: json.RawMessage(`{ "plan" : "trial" }`)},
			`update_contact start: updated {"plan":"trial"}`},
		{runtime.TimelineEntry{Campaign: "c", Element: "welcome", Kind: "send_email", Outcome: "sent", Detail: detail(t, map[string]any{"to": "ada@example.com"})},
			"send_email welcome: sent"},
		{runtime.TimelineEntry{Kind: "tag_added", Outcome: "the contact had the tag already"}, "tag_added: the contact had the tag already"},
	} {
		c.entry.At = at
		if got := c.entry.Sentence(ny); got != c.want {
			t.Errorf("%+v:\n got %s\nwant %s", c.entry, got, c.want)
		}
		if got, want := c.entry.Line(ny), "Wed 10 Jun 13:37 EDT  "+c.want; got != want {
			t.Errorf("line:\n got %s\nwant %s", got, want)
		}
	}
}

func TestFinalSentence(t *testing.T) {
	for _, c := range []struct {
		final runtime.Final
		want  string
	}{
		{runtime.Final{Campaign: "trial_onboarding", Element: "converted", Status: "exited"}, "exited in campaign trial_onboarding at converted"},
		{runtime.Final{Campaign: "trial_onboarding", Status: "deleted"}, "deleted in campaign trial_onboarding"},
	} {
		if got := c.final.Sentence(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// A simulated timeline reads as sentences throughout: no entry falls back
// to a raw kind and outcome where a sentence exists.
func TestSimulatedTimelineReadsAsSentences(t *testing.T) {
	prog := link(t, map[string]string{"main.journey.hcl": `
account {
  time_zone = "America/New_York"
}
tag "lead" {}
tag "trial" {}
email "welcome" {
  subject = "Welcome, ${contact.first_name}"
  body    = "Hello"
}
campaign "c" {
  trigger "signup" {
    on   = tag_added(tag.lead)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.welcome
    next  = change_tags.mark
  }
  change_tags "mark" {
    add  = [tag.trial]
    next = wait.two_days
  }
  wait "two_days" {
    for  = "2d"
    next = end.done
  }
  end "done" {}
}
`})
	start := mustTime(t, "2026-06-10T13:37:00-04:00")
	res := simulate(t, prog, &runtime.Contact{Fields: map[string]any{"email": "ada@example.com", "first_name": "Ada"}}, "c", start, nil, 72*time.Hour)
	var lines []string
	for _, e := range res.Timeline {
		lines = append(lines, e.Line(prog.AccountLocation()))
	}
	want := []string{
		"Wed 10 Jun 13:37 EDT  entered campaign c (trigger signup)",
		`Wed 10 Jun 13:37 EDT  sent email welcome "Welcome, Ada"`,
		"Wed 10 Jun 13:37 EDT  tagged +trial (change_tags mark)",
		"Wed 10 Jun 13:37 EDT  waiting at wait two_days until Fri 12 Jun 13:37 EDT",
		"Fri 12 Jun 13:37 EDT  wait two_days is over",
		"Fri 12 Jun 13:37 EDT  reached end done",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got := res.Final.Sentence(); got != "ended in campaign c at done" {
		t.Errorf("final: %s", got)
	}
}

func detail(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
