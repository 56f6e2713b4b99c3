package runtime_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/runtime"
)

// decodeWorkspace declares a field of every type (first_name, a string,
// is built in) and a declaration of each kind the events below name.
const decodeWorkspace = `
field "score" {
  type = number
}
field "vip" {
  type = bool
}
field "interests" {
  type = list(string)
}
field "trial_ends" {
  type = date
}
field "renews_at" {
  type = datetime
}

tag "lead" {}
form "signup" {}
product "pro" {}

campaign "c" {
  trigger "signup" {
    on   = form_submitted(form.signup)
    next = end.done
  }
  goal "bought" {
    on   = product_purchased(product.pro)
    next = end.done
  }
  end "done" {}
}
`

func decodeProgram(t *testing.T) *runtime.Program {
	t.Helper()
	return link(t, map[string]string{"main.journey.hcl": decodeWorkspace})
}

func TestDecodeContact(t *testing.T) {
	prog := decodeProgram(t)
	c, err := runtime.DecodeContact([]byte(`{
  "email": "ada@example.com",
  "first_name": "Ada",
  "score": 12.5,
  "vip": true,
  "interests": ["golf"],
  "trial_ends": "2026-06-20",
  "renews_at": null,
  "tags": ["lead"],
  "points": 3,
  "stage": "trial",
  "created_at": "2026-06-01T09:00:00Z",
  "external_id": "crm-1042"
}`), prog)
	if err != nil {
		t.Fatal(err)
	}
	want := &runtime.Contact{
		ExternalID: "crm-1042",
		Fields: map[string]any{
			"email": "ada@example.com", "first_name": "Ada", "score": 12.5, "vip": true,
			"interests": []string{"golf"}, "trial_ends": "2026-06-20",
		},
		Tags: []string{"lead"}, Points: 3, Stage: "trial",
		CreatedAt: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC),
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

// A contact is refused with the first problem in the order of its field
// names, in words that say what to write instead.
func TestDecodeContactRefuses(t *testing.T) {
	prog := decodeProgram(t)
	for _, c := range []struct{ json, want string }{
		{`{"frist_name": "Ada"}`, `the workspace has no field "frist_name"; did you mean "first_name"?`},
		{`{"shoe_size": 9}`, `the workspace has no field "shoe_size" (declare it with field "shoe_size" { type = string })`},
		{`{"score": "high"}`, `field score: high is not a number`},
		{`{"vip": "yes"}`, `field vip: yes is not true or false`},
		{`{"interests": "golf"}`, `field interests: golf is not a list of strings`},
		{`{"interests": ["golf", 2]}`, `field interests: 2 is not a string`},
		{`{"first_name": 7}`, `field first_name: 7 is not a string`},
		{`{"trial_ends": "soon"}`, `field trial_ends: "soon" is not a date such as 2026-06-20`},
		{`{"trial_ends": 20260620}`, `field trial_ends: 20260620 is not a date`},
		{`{"created_at": "2026-06-01"}`, `field created_at: "2026-06-01" is not an RFC 3339 time`},
		{`{"external_id": 1042}`, `external_id is the contact's id in your own system, a string: write "external_id": "1042"`},
		{`{"vip": "yes", "score": "high"}`, `field score: high is not a number`},
	} {
		_, err := runtime.DecodeContact([]byte(c.json), prog)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.json, err, c.want)
		}
	}
}

// What the JSON itself gets wrong is a jsonread.Error: a line and column
// and what a contact is.
func TestDecodeContactNotAnObject(t *testing.T) {
	_, err := runtime.DecodeContact([]byte(`[{"email": "ada@example.com"}]`), decodeProgram(t))
	var je *jsonread.Error
	if !errors.As(err, &je) || je.Line != 1 || je.Column != 1 {
		t.Fatalf("got %#v, want a jsonread.Error at 1:1", err)
	}
	for _, want := range []string{"a contact file is a JSON object of the contact's fields", "holds an array"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// A date field takes what the language writes as a date (a date, or a
// date-time to the minute) and RFC 3339 times, as the compiler reads a
// date in a campaign file.
func TestDecodeContactDatesAsTheCompilerReadsThem(t *testing.T) {
	prog := decodeProgram(t)
	for _, s := range []string{
		"2026-06-20", "2026-06-20T09:30", "2026-06-20T09:30:00", "2026-06-20 09:30",
		"2026-06-20T09:30:15", "2026-06-20T09:30:00Z", "2026-06-20T09:30:15+02:00",
		"2026-06-20 09:30:00", "2026-6-20", "20 June 2026", "2026-06-31", "",
	} {
		_, _, err := compiler.ParseDateTime(s)
		_, rfcErr := time.Parse(time.RFC3339, s)
		compiles := err == nil || rfcErr == nil
		_, decodeErr := runtime.DecodeContact([]byte(`{"trial_ends": "`+s+`"}`), prog)
		if (decodeErr == nil) != compiles {
			t.Errorf("%q: the compiler takes it: %t; DecodeContact says %v", s, compiles, decodeErr)
		}
	}
}

func TestDecodeEvents(t *testing.T) {
	prog := decodeProgram(t)
	got, err := runtime.DecodeEvents([]byte(`[
  {"at": "2026-06-12T10:00:00-04:00", "type": "tag_added", "tag": "lead"},
  {"at": "2026-06-13T09:00:00Z", "type": "field_changed", "field": "score", "value": 40},
  {"at": "2026-06-14T09:00:00Z", "type": "api", "name": "renewed", "note": "not an argument"}
]`), prog)
	if err != nil {
		t.Fatal(err)
	}
	want := []runtime.TimedEvent{
		{At: time.Date(2026, 6, 12, 14, 0, 0, 0, time.UTC), Event: runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "lead"}}},
		{At: time.Date(2026, 6, 13, 9, 0, 0, 0, time.UTC), Event: runtime.Event{Kind: "field_changed", Args: map[string]string{"field": "score"}, Value: 40.0}},
		{At: time.Date(2026, 6, 14, 9, 0, 0, 0, time.UTC), Event: runtime.Event{Kind: "api", Args: map[string]string{"name": "renewed"}}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !got[i].At.Equal(want[i].At) || !reflect.DeepEqual(got[i].Event, want[i].Event) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
}

// An event is refused, by its place in the list, when its time, its type
// or an argument is wrong.
func TestDecodeEventsRefuses(t *testing.T) {
	prog := decodeProgram(t)
	const ok = `{"at": "2026-06-12T10:00:00Z", "type": "tag_added", "tag": "lead"}, `
	for _, c := range []struct{ json, want string }{
		{`[` + ok + `{"type": "tag_added", "tag": "lead"}]`, `event 2: "at" "" is not an RFC 3339 time`},
		{`[{"at": "tomorrow", "type": "tag_added", "tag": "lead"}]`, `event 1: "at" "tomorrow" is not an RFC 3339 time`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "product_purchsed", "product": "pro"}]`, `event 1: there is no event type "product_purchsed"; did you mean "product_purchased"?`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "bounced"}]`, `event 1: there is no event type "bounced"; the types are form_submitted, tag_added, tag_removed, field_changed, product_purchased, email_opened, link_clicked, sms_replied, task_completed, page_visited, added_to_campaign, contact_created, date_reached, api`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "tag_added"}]`, `event 1: tag_added needs "tag", e.g. {"type": "tag_added", "tag": "NAME"}`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "tag_added", "tag": 7}]`, `event 1: tag_added needs "tag", e.g. {"type": "tag_added", "tag": "NAME"}`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "product_purchased", "product": "gold"}]`, `event 1: product_purchased names product "gold", which the workspace does not declare`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "field_changed", "field": "shoe_size"}]`, `event 1: field_changed names field "shoe_size", which the workspace does not declare`},
		// A segment follows what its where reads: entering one is not
		// something a client says happened.
		{`[{"at": "2026-06-12T10:00:00Z", "type": "segment_entered", "segment": "vip"}]`, `event 1: journey raises segment_entered itself, when what a segment's where reads changes, or modify_segments changes a static segment: send that change instead (a field, a tag, a purchase, or an event a campaign answers with modify_segments)`},
		{`[{"at": "2026-06-12T10:00:00Z", "type": "segment_lft", "segment": "vip"}]`, `event 1: there is no event type "segment_lft"; the types are form_submitted, tag_added, tag_removed, field_changed, product_purchased, email_opened, link_clicked, sms_replied, task_completed, page_visited, added_to_campaign, contact_created, date_reached, api`},
	} {
		_, err := runtime.DecodeEvents([]byte(c.json), prog)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.json, err, c.want)
		}
	}
	_, err := runtime.DecodeEvents([]byte(`{"at": "2026-06-12T10:00:00Z", "type": "tag_added", "tag": "lead"}`), prog)
	if err == nil || !strings.Contains(err.Error(), "1:1: an events file is a JSON list of events") {
		t.Errorf("an object for the list: got %v", err)
	}
}

// One event, as the server takes it: the same checks without a place in a
// list, "at" optional, and keys that are not the event's left alone.
func TestDecodeEvent(t *testing.T) {
	prog := decodeProgram(t)
	got, err := runtime.DecodeEvent([]byte(`{"contact": "ada@example.com", "type": "form_submitted", "form": "signup", "idempotency_key": "k1"}`), prog)
	if err != nil {
		t.Fatal(err)
	}
	want := runtime.Event{Kind: "form_submitted", Args: map[string]string{"form": "signup"}}
	if !got.At.IsZero() || !reflect.DeepEqual(got.Event, want) {
		t.Errorf("got %+v, want %+v at no time", got, want)
	}
	got, err = runtime.DecodeEvent([]byte(`{"at": "2026-06-12T10:00:00-04:00", "type": "tag_removed", "tag": "lead"}`), prog)
	if err != nil || !got.At.Equal(time.Date(2026, 6, 12, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("got %+v, %v; want the event at its time", got, err)
	}
	for _, c := range []struct{ json, want string }{
		{`{"at": "now", "type": "tag_added", "tag": "lead"}`, `"at" "now" is not an RFC 3339 time`},
		{`{"type": "tag_aded", "tag": "lead"}`, `there is no event type "tag_aded"; did you mean "tag_added"?`},
		{`{"type": "tag_added", "tag": "customer"}`, `tag_added names tag "customer", which the workspace does not declare`},
		{`[{"type": "tag_added", "tag": "lead"}]`, `1:1: an event is a JSON object, e.g. {"type": "tag_added", "tag": "attended"}; this file holds an array`},
	} {
		_, err := runtime.DecodeEvent([]byte(c.json), prog)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.json, err, c.want)
		}
	}
}
