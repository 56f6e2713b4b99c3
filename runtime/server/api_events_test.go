package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime/api"
)

func TestEventEnrollsAContactCreatedByEmail(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	got, err := ts.client.SendEvent(ctx, api.Event{
		Contact: api.ContactRef{Email: "ada@example.com"}, Type: "tag_added",
		Args: map[string]string{"tag": "attended"}, Properties: map[string]any{"webinar": "june"},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.client.FindContact(ctx, api.ContactRef{Email: "ADA@example.com"})
	if err != nil {
		t.Fatalf("the contact the event named by email was not created: %v", err)
	}
	if c.ID != got.ContactID || c.Email != "ada@example.com" || len(c.Tags) != 1 || c.Tags[0] != "attended" {
		t.Errorf("contact %+v; want contact %d with ada's email and the tag attended", c, got.ContactID)
	}
	texts := ts.timelineTexts(got.ContactID)
	for _, want := range []string{"entered campaign webinar (trigger attended)", `sent email replay "The replay"`, "waiting at wait two_days until"} {
		if !containsText(texts, want) {
			t.Errorf("the timeline does not say %q:\n%s", want, strings.Join(texts, "\n"))
		}
	}
	stats, err := ts.client.CampaignStats(ctx, "webinar")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Enrolled.Active != 1 || stats.Elements[2].Element != "two_days" || stats.Elements[2].ByState["waiting"] != 1 {
		t.Errorf("stats after the event: %+v; want one contact waiting on two_days", stats)
	}
}

func TestEventIdempotencyKeyRepeatChangesNothing(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	body := `{"contact": {"external_id": "crm-7"}, "type": "tag_added", "tag": "attended"}`
	first := ts.json("POST", "/v1/events", body, "Idempotency-Key", "evt-1")
	if first.status != http.StatusAccepted {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	// The same key with another contact: still the first answer, and no
	// contact created for it.
	again := ts.json("POST", "/v1/events", `{"contact": {"email": "grace@example.com"}, "type": "tag_added", "tag": "vip"}`, "Idempotency-Key", "evt-1")
	if again.status != first.status || again.body != first.body {
		t.Errorf("repeat: %d %s; want the first answer %d %s", again.status, again.body, first.status, first.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("Idempotent-Replayed: first %q, repeat %q; want only the repeat marked", first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
	}
	ctx := context.Background()
	if _, err := ts.client.FindContact(ctx, api.ContactRef{Email: "grace@example.com"}); !isAPIError(err, http.StatusNotFound) {
		t.Errorf("the repeat created its contact (%v): a repeat must change nothing", err)
	}
	c, err := ts.client.FindContact(ctx, api.ContactRef{ExternalID: "crm-7"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(ts.timelineTexts(c.ID), "\n"), "entered campaign webinar"); n != 1 {
		t.Errorf("the contact entered webinar %d times; want once", n)
	}
}

func TestEventRefusals(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	for _, c := range []struct {
		name, body string
		status     int
		code, want string
	}{
		{"an unknown id", `{"contact": {"id": 99}, "type": "tag_added", "tag": "vip"}`, 404, "not_found", "contact 99 does not exist"},
		{"an undeclared tag", `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "vipp"}`, 422, "unprocessable", `tag_added names tag "vipp", which the workspace does not declare`},
		{"a typo in the type", `{"contact": {"email": "a@example.com"}, "type": "tag_add", "tag": "vip"}`, 422, "unprocessable", `did you mean "tag_added"?`},
		{"an argument of another event", `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "vip", "form": "x"}`, 400, "bad_request", `unknown field "form"`},
		{"at", `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "vip", "at": "2026-01-01T00:00:00Z"}`, 400, "bad_request", `the server's clock is the event's time`},
		{"no contact", `{"type": "tag_added", "tag": "vip"}`, 400, "bad_request", `"contact" names the contact`},
		{"a contact by name", `{"contact": {"name": "Ada"}, "type": "tag_added", "tag": "vip"}`, 400, "bad_request", `unknown field "name"`},
		{"properties not an object", `{"contact": {"id": 1}, "type": "api", "name": "x", "properties": [1]}`, 400, "bad_request", `"properties" must be an object`},
		{"a segment event, which journey raises itself", `{"contact": {"email": "a@example.com"}, "type": "segment_entered", "segment": "vip"}`, 422, "unprocessable", `journey raises segment_entered itself`},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := errorOf(t, ts.json("POST", "/v1/events", c.body), c.status, c.code)
			if !strings.Contains(msg, c.want) {
				t.Errorf("message %q; want it to say %q", msg, c.want)
			}
		})
	}
}

func TestNoDeployment(t *testing.T) {
	ts := newTestServer(t, nil)
	errorOf(t, ts.json("POST", "/v1/events", `{"contact": {"id": 1}, "type": "api", "name": "x"}`), http.StatusConflict, api.CodeNoDeployment)
	errorOf(t, ts.json("GET", "/v1/deployment", ""), http.StatusNotFound, api.CodeNoDeployment)
	if list, err := ts.client.Campaigns(context.Background()); err != nil || len(list) != 0 {
		t.Errorf("campaigns without a plan: %v, %v; want none", list, err)
	}
}

func isAPIError(err error, status int) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Status == status
}

// keyedWorkspace reminds of each appointment a contact books, one entry
// per appointment, and tags the contacts who look at the pricing pages.
const keyedWorkspace = `
tag "pricing" {}

event "appointment_booked" {
  property "appointment_id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
}

email "reminder" {
  subject = "See you at ${event.starts_at}"
  body    = "Booking ${event.appointment_id}"
  kind    = "transactional"
}

campaign "reminders" {
  reentry = "always"
  trigger "booked" {
    on   = api("appointment_booked")
    key  = event.appointment_id
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    next        = send_email.remind
  }
  send_email "remind" {
    email = email.reminder
  }
}

rule "looked_at_pricing" {
  when = page_visited("https://shop.example/pricing*")
  then {
    change_tags {
      add = [tag.pricing]
    }
  }
}
`

// Two appointments booked through the API are two entries of the
// contact, each waiting for its own day before, and the campaign's stats
// count both; a page visit goes to the rule whose pattern its URL matches.
func TestEventsThroughTheAPIEnterKeyedEntriesAndMatchPages(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, keyedWorkspace))
	ctx := context.Background()
	var contact int64
	for _, b := range []struct{ id, at string }{{"a-1", "2030-06-15T14:00:00-04:00"}, {"a-2", "2030-06-20T11:30:00-04:00"}} {
		got, err := ts.client.SendEvent(ctx, api.Event{
			Contact: api.ContactRef{Email: "ada@example.com"}, Type: "api",
			Args: map[string]string{"name": "appointment_booked"}, Properties: map[string]any{"appointment_id": b.id, "starts_at": b.at},
		}, "book-"+b.id)
		if err != nil {
			t.Fatal(err)
		}
		contact = got.ContactID
	}
	texts := strings.Join(ts.timelineTexts(contact), "\n")
	for _, want := range []string{
		"entered campaign reminders (trigger booked, key a-1)", "waiting at wait day_before until Fri 14 Jun 18:00 UTC",
		"entered campaign reminders (trigger booked, key a-2)", "waiting at wait day_before until Wed 19 Jun 15:30 UTC",
	} {
		if !strings.Contains(texts, want) {
			t.Errorf("the timeline does not say %q:\n%s", want, texts)
		}
	}
	stats, err := ts.client.CampaignStats(ctx, "reminders")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Enrolled.Active != 2 {
		t.Errorf("stats %+v; want the contact's two entries active", stats)
	}
	if _, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{ID: contact}, Type: "page_visited",
		Args: map[string]string{"url": "https://shop.example/pricing/teams?utm_source=news"}}, ""); err != nil {
		t.Fatal(err)
	}
	c, err := ts.client.FindContact(ctx, api.ContactRef{ID: contact})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tags) != 1 || c.Tags[0] != "pricing" {
		t.Errorf("tags %v; want pricing, from the rule on the pricing pages", c.Tags)
	}
}
