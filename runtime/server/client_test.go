package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/journeyhq/journey/runtime/api"
)

// The Go client against a real server: each method gets what the route
// answers, and an error answer is an *api.Error with its code and status.
func TestClient(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	c := ts.client
	if h, err := c.Health(ctx); err != nil || h.Status != "ok" {
		t.Errorf("Health: %+v, %v", h, err)
	}
	if r, err := c.Ready(ctx); err != nil || r.Status != "ready" || r.Deployment == nil || r.Deployment.Serial != 1 {
		t.Errorf("Ready: %+v, %v", r, err)
	}
	if d, err := c.Deployment(ctx); err != nil || d.Serial != 1 || d.Campaigns != 2 {
		t.Errorf("Deployment: %+v, %v", d, err)
	}
	var lines []api.ImportLine
	done, err := c.ImportContacts(ctx, strings.NewReader("email,tags\nada@example.com,attended\nbad@example.com,lead,extra\n"), api.ContentTypeCSV, api.ImportCreate,
		func(l api.ImportLine) error { lines = append(lines, l); return nil })
	if err != nil || done.Created != 1 || done.Failed != 1 || len(lines) != 2 || lines[0].Row != 3 {
		t.Fatalf("ImportContacts: %+v, %v, lines %+v", done, err, lines)
	}
	ada, err := c.FindContact(ctx, api.ContactRef{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Outbox(ctx, api.OutboxQuery{Contact: ada.ID})
	if err != nil || len(out.Deliveries) != 1 {
		t.Fatalf("Outbox: %+v, %v", out, err)
	}
	if d, err := c.Delivery(ctx, out.Deliveries[0].ID); err != nil || d.Asset != "replay" || d.ContactID != ada.ID {
		t.Errorf("Delivery: %+v, %v", d, err)
	}
	if err := c.DeleteContact(ctx, ada.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Contact(ctx, ada.ID)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || apiErr.Code != api.CodeNotFound || apiErr.Message == "" {
		t.Errorf("Contact of a deleted contact: %v; want an *api.Error 404 not_found", err)
	}
	bad := &api.Client{BaseURL: c.BaseURL, Token: "wrong", HTTP: c.HTTP}
	if _, err := bad.Campaigns(ctx); !errors.As(err, &apiErr) || apiErr.Code != api.CodeUnauthorized {
		t.Errorf("a wrong token: %v", err)
	}
}

// An import the server could not finish is an error for the client, with
// the server's words, rather than counts it never got.
func TestClientReportsAnImportThatStopped(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	long := strings.Repeat("x", 2*maxRow)
	_, err := ts.client.ImportContacts(context.Background(), strings.NewReader("email,company\na@example.com,A\nb@example.com,"+long+"\n"), api.ContentTypeCSV, "", nil)
	if err == nil || !strings.Contains(err.Error(), "the import stopped after 1 rows") {
		t.Errorf("an import that stopped: %v", err)
	}
}

func TestEventJSONRoundTrip(t *testing.T) {
	ev := api.Event{Contact: api.ContactRef{Email: "ada@example.com"}, Type: "field_changed", Args: map[string]string{"field": "plan"}, Value: "pro", Properties: map[string]any{"by": "app"}}
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"contact":{"email":"ada@example.com"},"field":"plan","properties":{"by":"app"},"type":"field_changed","value":"pro"}` {
		t.Errorf("marshalled %s", data)
	}
	var back api.Event
	if err := json.Unmarshal(data, &back); err != nil || back.Contact != ev.Contact || back.Args["field"] != "plan" || back.Value != "pro" || back.Properties["by"] != "app" {
		t.Errorf("read back %+v, %v", back, err)
	}
}

// Requests that race with one Idempotency-Key make one event: every
// answer is the first one.
func TestConcurrentRepeatsMakeOneEvent(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	const n = 8
	answers := make([]*api.EventAccepted, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answers[i], errs[i] = ts.client.SendEvent(context.Background(), api.Event{
				Contact: api.ContactRef{Email: "ada@example.com"}, Type: "tag_added", Args: map[string]string{"tag": "attended"},
			}, "once")
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || *answers[i] != *answers[0] {
			t.Errorf("answer %d: %+v, %v; want %+v", i, answers[i], errs[i], answers[0])
		}
	}
	if texts := ts.timelineTexts(answers[0].ContactID); strings.Count(strings.Join(texts, "\n"), "entered campaign webinar") != 1 {
		t.Errorf("the contact's timeline:\n%s\nwant one entry into webinar", strings.Join(texts, "\n"))
	}
}
