package server

import (
	"context"
	"log/slog"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/journeyhq/journey/runtime"
)

// gaugeTimeout bounds the query behind a gauge, at each scrape.
const gaugeTimeout = 2 * time.Second

// latenessBuckets are the bounds, in seconds, of
// journey_timer_lateness_seconds: from on time to an hour late.
var latenessBuckets = []float64{0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600}

// stepMetrics hear of every due step the engine runs (its Observe hook).
type stepMetrics struct {
	steps    *prometheus.CounterVec
	lateness prometheus.Histogram
	log      *slog.Logger
}

func newStepMetrics(reg prometheus.Registerer, log *slog.Logger) (*stepMetrics, error) {
	m := &stepMetrics{
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "journey_steps_total",
			Help: "Due steps the scheduler ran, by outcome: ok, or failed (the contact's position is parked with the error on its timeline).",
		}, []string{"outcome"}),
		lateness: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "journey_timer_lateness_seconds",
			Help:    "How long after its due time each due step ran.",
			Buckets: latenessBuckets,
		}),
		log: log,
	}
	for _, c := range []prometheus.Collector{m.steps, m.lateness} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe is the engine's Observe hook.
func (m *stepMetrics) observe(r runtime.StepReport) {
	outcome := "ok"
	if r.Err != nil {
		outcome = "failed"
		m.log.Error("step failed: the contact's position is parked, with the error on its timeline",
			"contact", r.ContactID, "token", r.TokenID, "due", r.Due, "error", r.Err)
	}
	m.steps.WithLabelValues(outcome).Inc()
	m.lateness.Observe(max(0, r.Ran.Sub(r.Due).Seconds()))
}

// registerGauges adds the gauges read at each scrape: the due backlog and
// the queue's depth. A count that fails is logged and shows as NaN.
func registerGauges(reg prometheus.Registerer, log *slog.Logger, now func() time.Time,
	dueCount func(ctx context.Context, t time.Time) (int, error), depth func(ctx context.Context) (int, error)) error {
	read := func(name string, count func(ctx context.Context) (int, error)) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), gaugeTimeout)
			defer cancel()
			n, err := count(ctx)
			if err != nil {
				log.Warn("metrics: cannot count", "metric", name, "error", err)
				return math.NaN()
			}
			return float64(n)
		}
	}
	backlog := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "journey_due_backlog",
		Help: "Waits due now and not yet run: more than a batch or two means the scheduler is behind.",
	}, read("journey_due_backlog", func(ctx context.Context) (int, error) { return dueCount(ctx, now()) }))
	queueDepth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "journey_queue_depth",
		Help: "Delivery jobs waiting to run, now or at a later retry.",
	}, read("journey_queue_depth", depth))
	for _, c := range []prometheus.Collector{backlog, queueDepth} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
