package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestMetricsCountEventsAndRequests(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ts.json("POST", "/v1/events", `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "attended"}`, "Idempotency-Key", "k")
	ts.json("POST", "/v1/events", `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "attended"}`, "Idempotency-Key", "k")
	ts.json("POST", "/v1/events", `{"contact": {"email": "a@example.com"}, "type": "no_such_event"}`)
	ts.json("GET", "/v1/nowhere", "")
	r := ts.do("GET", "/metrics", "", "")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, want := range []string{
		`journey_events_total{outcome="accepted",type="tag_added"} 1`,
		`journey_events_total{outcome="repeated",type="tag_added"} 1`,
		`journey_events_total{outcome="rejected",type="unknown"} 1`,
		`journey_http_requests_total{code="202",route="POST /v1/events"} 2`,
		`journey_http_requests_total{code="422",route="POST /v1/events"} 1`,
		`journey_http_requests_total{code="404",route="unmatched"} 1`,
		`journey_http_request_duration_seconds_count{route="POST /v1/events"} 3`,
		`go_goroutines`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics does not have %s", want)
		}
	}
}

func TestReadyzSaysWhatIsNotReady(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ts.srv.queueReady = func(ctx context.Context) error { return errors.New("River is not started") }
	r := ts.do("GET", "/readyz", "", "")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, `"reason":"the delivery queue does not run: River is not started"`) {
		t.Errorf("queue down: %d %s", r.status, r.body)
	}
	ts.srv.queueReady = nil
	ts.store.Close()
	r = ts.do("GET", "/readyz", "", "")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "the database does not answer") {
		t.Errorf("database closed: %d %s", r.status, r.body)
	}
	if r := ts.do("GET", "/healthz", "", ""); r.status != http.StatusOK {
		t.Errorf("/healthz with the database closed: %d; the process still serves", r.status)
	}
}
