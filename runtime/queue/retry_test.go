package queue

import (
	"testing"
	"time"
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
