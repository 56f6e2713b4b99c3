package server

import (
	"github.com/prometheus/client_golang/prometheus"
)

// apiMetrics are the HTTP API's metrics; the scheduler and the workers
// add theirs to the same registry.
type apiMetrics struct {
	events   *prometheus.CounterVec
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// Event outcomes, the outcome label of journey_events_total.
const (
	eventAccepted = "accepted"
	eventRepeated = "repeated"
	eventRejected = "rejected"
)

func newAPIMetrics(reg prometheus.Registerer) (*apiMetrics, error) {
	m := &apiMetrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "journey_events_total",
			Help: "Events received by POST /v1/events, by type and outcome (accepted, repeated: an Idempotency-Key seen before, rejected).",
		}, []string{"type", "outcome"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "journey_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "journey_http_request_duration_seconds",
			Help:    "How long HTTP requests took, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.events, m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
