package queue

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
)

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	b := backoff{Base: time.Second, Max: 10 * time.Minute}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600}
	for i, w := range want {
		retry := i + 1
		nominal := w * time.Second
		if got := b.delay(retry, 0); got != nominal {
			t.Errorf("retry %d with no jitter waits %s, want %s", retry, got, nominal)
		}
		// The largest draw takes a quarter off, never more.
		if got, least := b.delay(retry, 0.999999), nominal*3/4; got < least || got > nominal {
			t.Errorf("retry %d with the most jitter waits %s, want %s to %s", retry, got, least, nominal)
		}
	}
	if got := b.delay(10_000, 0); got != 10*time.Minute {
		t.Errorf("retry 10,000 waits %s, want the cap", got)
	}
}

// A job whose attempt outlived every attempt's timeout was not failed by
// its handler: its process died and River's rescuer is retrying it. It
// goes back at the time it was due, ahead of the jobs queued since, so
// the nodes left take it over first; a failed attempt backs off.
func TestRescuedJobKeepsItsPlaceInLine(t *testing.T) {
	b := backoff{Base: time.Second, Max: time.Minute, RescuedAfter: 20 * time.Second}
	due := time.Now().Add(-3 * time.Minute)
	cutOff := time.Now().Add(-25 * time.Second)
	if got := b.NextRetry(&rivertype.JobRow{ScheduledAt: due, AttemptedAt: &cutOff}); !got.Equal(due) {
		t.Errorf("a rescued job is retried at %s, want its due time %s", got, due)
	}
	failed := time.Now().Add(-2 * time.Second)
	before := time.Now()
	if got := b.NextRetry(&rivertype.JobRow{ScheduledAt: due, AttemptedAt: &failed}); got.Before(before.Add(750 * time.Millisecond)) {
		t.Errorf("a failed attempt is retried at %s, want a backoff of at least 750ms after %s", got, before)
	}
}
