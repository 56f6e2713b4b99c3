package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime/api"
)

// GET /v1/segments reports each segment's size as contacts come and go,
// through the API's own writes: a contact created with the tag enters,
// a PATCH that adds vip takes it out, a deleted contact leaves.
func TestSegmentSizes(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace+`
segment "vip_list" {}
`))
	ctx := context.Background()
	c := ts.client
	size := func(want int, when string) {
		t.Helper()
		got, err := c.Segments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantList := []api.Segment{
			{Name: "leads", Dynamic: true, Where: "has_tag(tag.lead) && !has_tag(tag.vip)", Contacts: want},
			{Name: "vip_list", Contacts: 0},
		}
		if len(got) != 2 || got[0] != wantList[0] || got[1] != wantList[1] {
			t.Fatalf("%s: GET /v1/segments = %+v, want %+v", when, got, wantList)
		}
		one, err := c.Segment(ctx, "leads")
		if err != nil || one.Contacts != want || one.Deployment.Serial != 1 || !strings.HasPrefix(one.Deployment.Hash, "sha256:") {
			t.Fatalf("%s: GET /v1/segments/leads = %+v, %v", when, one, err)
		}
	}
	size(0, "no contact")
	ada, err := c.CreateContact(ctx, api.ContactFields{"email": "ada@example.com", "tags": []string{"lead"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateContact(ctx, api.ContactFields{"email": "bob@example.com", "tags": []string{"lead"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateContact(ctx, api.ContactFields{"email": "cy@example.com"}); err != nil {
		t.Fatal(err)
	}
	size(2, "two leads created")
	if _, err := c.UpdateContact(ctx, ada.ID, api.ContactFields{"tags": []string{"lead", "vip"}}); err != nil {
		t.Fatal(err)
	}
	size(1, "ada became a vip")
	if got := ts.timelineTexts(ada.ID); !containsText(got, "left segment leads") {
		t.Errorf("ada's timeline does not say she left leads: %q", got)
	}
	bob, err := c.FindContact(ctx, api.ContactRef{Email: "bob@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteContact(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	size(0, "bob deleted")

	_, err = c.Segment(ctx, "lead")
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || !strings.Contains(apiErr.Message, `no segment "lead"; did you mean "leads"?`) {
		t.Errorf("GET /v1/segments/lead: %v; want a 404 with did you mean", err)
	}
}

func TestSegmentsBeforeADeployment(t *testing.T) {
	ts := newTestServer(t, nil)
	if got, err := ts.client.Segments(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("GET /v1/segments before a plan: %+v, %v; want none", got, err)
	}
	msg := errorOf(t, ts.json("GET", "/v1/segments/leads", ""), http.StatusNotFound, api.CodeNoDeployment)
	if !strings.Contains(msg, "apply") {
		t.Errorf("GET /v1/segments/leads before a plan: %q", msg)
	}
}
