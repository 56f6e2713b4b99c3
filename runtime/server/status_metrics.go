package server

import (
	"math"

	dto "github.com/prometheus/client_model/go"

	"github.com/journeyhq/journey/runtime/api"
)

// The scheduler's and the queue's metrics that GET /v1/status reads back
// from the registry, by name: the route works whether or not this process
// runs them.
const (
	latenessMetric   = "journey_timer_lateness_seconds"
	queueDepthMetric = "journey_queue_depth"
)

// processStatus reads the lateness histogram and the queue depth gauge
// from the server's registry; each is nil when it is not registered (or
// the histogram is empty, or the gauge could not count).
func (s *Server) processStatus() (*api.Lateness, *int, error) {
	families, err := s.registry.Gather()
	if err != nil {
		return nil, nil, err
	}
	var lateness *api.Lateness
	var depth *int
	for _, f := range families {
		if len(f.GetMetric()) != 1 {
			continue // both are single series, without labels
		}
		m := f.GetMetric()[0]
		switch f.GetName() {
		case latenessMetric:
			if h := m.GetHistogram(); h != nil && h.GetSampleCount() > 0 {
				lateness = &api.Lateness{
					Steps:      h.GetSampleCount(),
					P50Seconds: bucketQuantile(0.5, h),
					P99Seconds: bucketQuantile(0.99, h),
				}
			}
		case queueDepthMetric:
			if g := m.GetGauge(); g != nil && !math.IsNaN(g.GetValue()) {
				n := int(g.GetValue())
				depth = &n
			}
		}
	}
	return lateness, depth, nil
}

// bucketQuantile estimates the q-quantile of a histogram as Prometheus's
// histogram_quantile does: linearly within the bucket the rank falls in,
// the first bucket starting at 0; a rank beyond the last finite bound is
// that bound (how late the latest steps were past it is not kept).
func bucketQuantile(q float64, h *dto.Histogram) float64 {
	total := float64(h.GetSampleCount())
	rank := q * total
	lower, below := 0.0, 0.0
	for _, b := range h.GetBucket() {
		upper, count := b.GetUpperBound(), float64(b.GetCumulativeCount())
		if math.IsInf(upper, 1) {
			break
		}
		if count >= rank {
			if count == below {
				return upper
			}
			return lower + (upper-lower)*(rank-below)/(count-below)
		}
		lower, below = upper, count
	}
	return lower
}
