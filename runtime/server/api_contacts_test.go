package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

func TestCreateContact(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	r := ts.json("POST", "/v1/contacts", `{"email": "Ada@Example.com", "first_name": "Ada", "external_id": "crm-1", "score": 12.5, "tags": ["lead"]}`)
	if r.status != http.StatusCreated {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var c api.Contact
	if err := json.Unmarshal([]byte(r.body), &c); err != nil {
		t.Fatal(err)
	}
	if r.header.Get("Location") != "/v1/contacts/"+itoa(c.ID) {
		t.Errorf("Location %q for contact %d", r.header.Get("Location"), c.ID)
	}
	if c.Email != "Ada@Example.com" || c.ExternalID != "crm-1" || c.Fields["first_name"] != "Ada" || c.Fields["score"] != 12.5 || !slices.Equal(c.Tags, []string{"lead"}) {
		t.Errorf("created %+v", c)
	}
	for _, dup := range []string{`{"external_id": "crm-1"}`, `{"email": "ada@example.com "}`} {
		msg := errorOf(t, ts.json("POST", "/v1/contacts", dup), http.StatusConflict, api.CodeConflict)
		if !strings.Contains(msg, "contact "+itoa(c.ID)) {
			t.Errorf("409 for %s says %q; want it to name contact %d", dup, msg, c.ID)
		}
	}
	msg := errorOf(t, ts.json("POST", "/v1/contacts", `{"emial": "x@example.com"}`), http.StatusUnprocessableEntity, api.CodeUnprocessable)
	if !strings.Contains(msg, `did you mean "email"?`) {
		t.Errorf("an unknown field: %q", msg)
	}
	msg = errorOf(t, ts.json("POST", "/v1/contacts", `{"score": "high"}`), http.StatusUnprocessableEntity, api.CodeUnprocessable)
	if msg != "field score: high is not a number" {
		t.Errorf("a wrong type: %q", msg)
	}
}

func TestPatchRaisesFieldChangedAndTagEvents(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	c, err := ts.client.CreateContact(ctx, api.ContactFields{"email": "ada@example.com", "company": "Analytical", "tags": []string{"lead"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ts.client.UpdateContact(ctx, c.ID, api.ContactFields{"plan": "pro", "company": nil, "tags": []string{"attended"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Fields["plan"] != "pro" || got.Fields["company"] != nil || !slices.Equal(got.Tags, []string{"attended"}) {
		t.Errorf("after the PATCH: %+v; want plan pro, company unset, tags [attended]", got)
	}
	texts := ts.timelineTexts(c.ID)
	for _, want := range []string{"entered campaign upgrade (trigger plan)", "entered campaign webinar (trigger attended)"} {
		if !containsText(texts, want) {
			t.Errorf("the timeline does not say %q (field_changed, tag_added):\n%s", want, strings.Join(texts, "\n"))
		}
	}
	msg := errorOf(t, ts.json("PATCH", "/v1/contacts/"+itoa(c.ID), `{"external_id": "crm-9"}`), http.StatusUnprocessableEntity, api.CodeUnprocessable)
	if !strings.Contains(msg, "external_id never changes") {
		t.Errorf("changing the external id: %q", msg)
	}
	errorOf(t, ts.json("PATCH", "/v1/contacts/999", `{"plan": "pro"}`), http.StatusNotFound, api.CodeNotFound)
}

func TestDeleteRemovesEveryTrace(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	ev, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{Email: "ada@example.com"}, Type: "tag_added", Args: map[string]string{"tag": "attended"}}, "k-ada")
	if err != nil {
		t.Fatal(err)
	}
	id := ev.ContactID
	if out, _ := ts.client.Outbox(ctx, api.OutboxQuery{Contact: id}); len(out.Deliveries) != 1 {
		t.Fatalf("the contact has %d deliveries before the delete; want its replay email", len(out.Deliveries))
	}
	if r := ts.do("DELETE", "/v1/contacts/"+itoa(id), "", ""); r.status != http.StatusNoContent || r.body != "" {
		t.Fatalf("DELETE: %d %q; want 204 and no body", r.status, r.body)
	}
	errorOf(t, ts.json("GET", "/v1/contacts/"+itoa(id), ""), http.StatusNotFound, api.CodeNotFound)
	errorOf(t, ts.json("GET", "/v1/contacts/"+itoa(id)+"/timeline", ""), http.StatusNotFound, api.CodeNotFound)
	errorOf(t, ts.json("GET", "/v1/contacts?email=ada@example.com", ""), http.StatusNotFound, api.CodeNotFound)
	errorOf(t, ts.do("DELETE", "/v1/contacts/"+itoa(id), "", ""), http.StatusNotFound, api.CodeNotFound)
	if out, _ := ts.client.Outbox(ctx, api.OutboxQuery{Contact: id}); len(out.Deliveries) != 0 {
		t.Errorf("the outbox keeps %d deliveries of the deleted contact", len(out.Deliveries))
	}
	stats, err := ts.client.CampaignStats(ctx, "webinar")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Enrolled != (api.EnrolledCounts{}) {
		t.Errorf("the campaign still counts the deleted contact: %+v", stats.Enrolled)
	}
	// Its idempotency key went with it: the same key is a new event.
	again, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{Email: "ada@example.com"}, Type: "tag_added", Args: map[string]string{"tag": "attended"}}, "k-ada")
	if err != nil || again.ContactID == id {
		t.Errorf("the key of a deleted contact's event: %+v, %v; want a new event for a new contact", again, err)
	}
}

func TestFindContact(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	c, err := ts.client.CreateContact(ctx, api.ContactFields{"email": "ada@example.com", "external_id": "crm-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []api.ContactRef{{ExternalID: "crm-1"}, {Email: " ADA@example.com"}, {ID: c.ID}} {
		got, err := ts.client.FindContact(ctx, ref)
		if err != nil || got.ID != c.ID {
			t.Errorf("FindContact(%+v) = %+v, %v; want contact %d", ref, got, err, c.ID)
		}
	}
	errorOf(t, ts.json("GET", "/v1/contacts", ""), http.StatusBadRequest, api.CodeBadRequest)
	errorOf(t, ts.json("GET", "/v1/contacts?email=a@example.com&external_id=x", ""), http.StatusBadRequest, api.CodeBadRequest)
	msg := errorOf(t, ts.json("GET", "/v1/contacts?mail=a@example.com", ""), http.StatusBadRequest, api.CodeBadRequest)
	if !strings.Contains(msg, `unknown query parameter "mail"`) {
		t.Errorf("a typo in the query: %q", msg)
	}
	errorOf(t, ts.json("GET", "/v1/contacts/abc", ""), http.StatusBadRequest, api.CodeBadRequest)
}

func TestTimelinePages(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	ev, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{Email: "ada@example.com"}, Type: "tag_added", Args: map[string]string{"tag": "attended"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	all, err := ts.client.Timeline(ctx, ev.ContactID, 0, 0)
	if err != nil || len(all.Entries) < 3 {
		t.Fatalf("timeline: %+v, %v; want at least 3 entries", all, err)
	}
	first, err := ts.client.Timeline(ctx, ev.ContactID, 0, 2)
	if err != nil || len(first.Entries) != 2 || first.NextAfter != 2 {
		t.Fatalf("first page of 2: %+v, %v", first, err)
	}
	rest, err := ts.client.Timeline(ctx, ev.ContactID, first.NextAfter, 1000)
	if err != nil || len(rest.Entries) != len(all.Entries)-2 || rest.NextAfter != 0 || rest.Entries[0].Index != 3 {
		t.Fatalf("the page after 2: %+v, %v", rest, err)
	}
	if rest.Entries[0].Text != all.Entries[2].Text {
		t.Errorf("entry 3 reads %q on its page, %q in the whole timeline", rest.Entries[0].Text, all.Entries[2].Text)
	}
	// Times in the account's zone, as simulate prints them.
	if !strings.Contains(all.Entries[len(all.Entries)-1].Text, "EDT") {
		t.Errorf("the sentence %q does not give the time in the account's zone", all.Entries[len(all.Entries)-1].Text)
	}
}

func TestOutboxFiltersAndRetry(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	var ids []int64
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		ev, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{Email: email}, Type: "tag_added", Args: map[string]string{"tag": "attended"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ContactID)
	}
	all, err := ts.client.Outbox(ctx, api.OutboxQuery{})
	if err != nil || len(all.Deliveries) != 3 {
		t.Fatalf("outbox: %+v, %v; want the 3 replay emails", all, err)
	}
	// The worker would move them on; here the test does.
	setStatus(t, ts, all.Deliveries[0].ID, runtime.DeliveryFailed)
	setStatus(t, ts, all.Deliveries[1].ID, runtime.DeliverySent)
	failed, err := ts.client.Outbox(ctx, api.OutboxQuery{Status: "failed"})
	if err != nil || len(failed.Deliveries) != 1 || failed.Deliveries[0].ContactID != ids[0] {
		t.Errorf("status=failed: %+v, %v; want a's email", failed, err)
	}
	mine, err := ts.client.Outbox(ctx, api.OutboxQuery{Contact: ids[2], Channel: "email"})
	if err != nil || len(mine.Deliveries) != 1 || mine.Deliveries[0].Asset != "replay" || mine.Deliveries[0].Status != "pending" {
		t.Errorf("contact=c, channel=email: %+v, %v", mine, err)
	}
	if none, _ := ts.client.Outbox(ctx, api.OutboxQuery{Channel: "sms"}); len(none.Deliveries) != 0 {
		t.Errorf("channel=sms: %+v; want none", none)
	}
	page, err := ts.client.Outbox(ctx, api.OutboxQuery{Limit: 2})
	if err != nil || len(page.Deliveries) != 2 || page.NextAfter != page.Deliveries[1].ID {
		t.Fatalf("limit=2: %+v, %v", page, err)
	}
	next, err := ts.client.Outbox(ctx, api.OutboxQuery{After: page.NextAfter, Limit: 2})
	if err != nil || len(next.Deliveries) != 1 || next.NextAfter != 0 {
		t.Errorf("the page after: %+v, %v; want the last delivery and no next page", next, err)
	}
	errorOf(t, ts.json("GET", "/v1/outbox?status=lost", ""), http.StatusBadRequest, api.CodeBadRequest)

	d, err := ts.client.RetryDelivery(ctx, all.Deliveries[0].ID)
	if err != nil || d.Status != "pending" {
		t.Errorf("retrying a failed delivery: %+v, %v; want it pending", d, err)
	}
	msg := errorOf(t, ts.json("POST", "/v1/outbox/"+itoa(all.Deliveries[1].ID)+"/retry", ""), http.StatusConflict, api.CodeConflict)
	if !strings.Contains(msg, "twice") {
		t.Errorf("retrying a sent delivery: %q", msg)
	}
	errorOf(t, ts.json("POST", "/v1/outbox/"+itoa(all.Deliveries[2].ID)+"/retry", ""), http.StatusConflict, api.CodeConflict)
	errorOf(t, ts.json("GET", "/v1/outbox/9999", ""), http.StatusNotFound, api.CodeNotFound)
}

func setStatus(t *testing.T, ts *testServer, id int64, status string) {
	t.Helper()
	tx, err := ts.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	d, err := tx.Delivery(id)
	if err != nil {
		t.Fatal(err)
	}
	d.Status = status
	if err := tx.UpdateDelivery(d); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestStatsCountEveryElementInPlanOrder(t *testing.T) {
	ts := newTestServer(t, onboardingProgram(t))
	ctx := context.Background()
	for _, email := range []string{"ada@example.com", "grace@example.com"} {
		if _, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{Email: email}, Type: "form_submitted", Args: map[string]string{"form": "trial_signup"}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := ts.client.CampaignStats(ctx, "trial_onboarding")
	if err != nil {
		t.Fatal(err)
	}
	prog := ts.srv.current().Program
	camp := prog.Campaign("trial_onboarding")
	if len(stats.Elements) != len(camp.Elements) {
		t.Fatalf("%d elements in the stats, %d in the plan", len(stats.Elements), len(camp.Elements))
	}
	total := 0
	for i, el := range camp.Elements {
		if stats.Elements[i].Element != el.Name || stats.Elements[i].Kind != el.Kind {
			t.Errorf("element %d is %s %s in the stats, %s %s in the plan", i, stats.Elements[i].Kind, stats.Elements[i].Element, el.Kind, el.Name)
		}
		total += stats.Elements[i].Contacts
	}
	if stats.Enrolled.Active != 2 || total == 0 || stats.Deployment.Serial != 1 || stats.Deployment.Hash != prog.Plan.Hash {
		t.Errorf("stats %+v; want 2 active contacts somewhere on the map, deployment 1 %s", stats, prog.Plan.Hash)
	}
	msg := errorOf(t, ts.json("GET", "/v1/campaigns/trial_onboardin/stats", ""), http.StatusNotFound, api.CodeNotFound)
	if !strings.Contains(msg, `did you mean "trial_onboarding"?`) {
		t.Errorf("an unknown campaign: %q", msg)
	}
}
