package server

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/journeyhq/journey/runtime/api"
)

func TestStatusCountsTheBacklogAndTheOutbox(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	for _, email := range []string{"a@example.com", "b@example.com"} {
		if _, err := ts.client.SendEvent(ctx, api.Event{Contact: api.ContactRef{Email: email}, Type: "tag_added", Args: map[string]string{"tag": "attended"}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	st, err := ts.client.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Deployment == nil || st.Deployment.Serial != 1 || !st.Now.Equal(testStart) {
		t.Errorf("deployment %+v at %v; want serial 1 at the server's clock %v", st.Deployment, st.Now, testStart)
	}
	if st.Backlog.Due != 0 || st.Backlog.OldestDueAt != nil {
		t.Errorf("backlog %+v before the waits are due; want none", st.Backlog)
	}
	want := map[string]int{"pending": 2, "held": 0, "sending": 0, "sent": 0, "failed": 0, "unknown": 0}
	if len(st.Outbox) != len(want) {
		t.Errorf("outbox %v; want every status: %v", st.Outbox, want)
	}
	for status, n := range want {
		if st.Outbox[status] != n {
			t.Errorf("outbox %s: %d, want %d", status, st.Outbox[status], n)
		}
	}
	if st.Lateness != nil || st.QueueDepth != nil {
		t.Errorf("lateness %+v, queue depth %v from a server that runs no scheduler nor queue; want null", st.Lateness, st.QueueDepth)
	}

	// Three days on, with no scheduler to run them: both two-day waits
	// are due, the oldest since the afternoon of the second day.
	ts.clock.Set(testStart.Add(72 * time.Hour))
	st, err = ts.client.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Backlog.Due != 2 || st.Backlog.OldestDueAt == nil || st.Backlog.OldestDueAt.After(st.Now) {
		t.Errorf("backlog %+v at %v; want the 2 waits due, the oldest before now", st.Backlog, st.Now)
	}
}

func TestStatusReadsLatenessAndQueueDepthFromTheMetrics(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	lateness := prometheus.NewHistogram(prometheus.HistogramOpts{Name: latenessMetric, Buckets: []float64{1, 2, 5, 10}})
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: queueDepthMetric}, func() float64 { return 7 })
	ts.srv.registry.MustRegister(lateness, depth)
	// 98 steps under a second late, one 4 s late, one past every bucket.
	for range 98 {
		lateness.Observe(0.5)
	}
	lateness.Observe(4)
	lateness.Observe(60)
	st, err := ts.client.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.QueueDepth == nil || *st.QueueDepth != 7 {
		t.Errorf("queue depth %v; want 7", st.QueueDepth)
	}
	l := st.Lateness
	if l == nil || l.Steps != 100 {
		t.Fatalf("lateness %+v; want 100 steps", l)
	}
	// p50: rank 50 of 98 in the bucket (0, 1]; p99: rank 99, the one step
	// in (2, 5].
	if math.Abs(l.P50Seconds-50.0/98) > 1e-9 || l.P99Seconds != 5 {
		t.Errorf("p50 %v, p99 %v; want %v and 5", l.P50Seconds, l.P99Seconds, 50.0/98)
	}
}

func TestStatusRefusesParameters(t *testing.T) {
	ts := newTestServer(t, nil)
	errorOf(t, ts.do("GET", "/v1/status?verbose=1", "", ""), http.StatusBadRequest, api.CodeBadRequest)
	r := ts.do("GET", "/v1/status", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	st, err := ts.client.Status(context.Background())
	if err != nil || st.Deployment != nil {
		t.Errorf("a server with no plan yet: %+v, %v; want deployment null", st, err)
	}
}
