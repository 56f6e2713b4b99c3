package queue

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff is the retry schedule: the nth retry waits Base·2ⁿ⁻¹, capped at Max,
// less up to a quarter drawn at random, so that jobs that failed together
// (an endpoint down) do not all come back in the same instant, and no wait
// exceeds its nominal delay or the cap.
type backoff struct {
	Base, Max time.Duration
	// RescuedAfter is Options.RescueStuckJobsAfter: an attempt older than
	// that when its retry is decided was cut off, not failed (below).
	RescuedAfter time.Duration
}

// delay is the wait before retry number retry (1 for the first retry), for a
// random draw in [0, 1).
func (b backoff) delay(retry int, draw float64) time.Duration {
	nominal := b.Base
	for i := 1; i < retry && nominal < b.Max; i++ {
		nominal *= 2
	}
	nominal = min(nominal, b.Max)
	return nominal - time.Duration(draw*float64(nominal)/4)
}

// NextRetry is River's ClientRetryPolicy. The retry's number is the number
// of errors the job has recorded, this one included: an attempt cut short by
// Stop records none, one rescued after a crash records one.
//
// An attempt that began RescuedAfter ago or more did not fail: no handler
// runs that long (Options makes JobTimeout shorter), so its process died
// and River's rescuer is retrying it. It keeps the time it was due, ahead
// of everything queued since: the nodes left take a dead node's deliveries
// over first, not after the backlog that built up behind them.
func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	if b.RescuedAfter > 0 && job.AttemptedAt != nil && time.Since(*job.AttemptedAt) >= b.RescuedAfter {
		return job.ScheduledAt
	}
	return time.Now().Add(b.delay(len(job.Errors)+1, rand.Float64()))
}
