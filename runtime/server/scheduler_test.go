package server

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
)

// fakeSteps answers the scheduler as scripted, and ends the test's
// context once the script is done.
type fakeSteps struct {
	mu sync.Mutex
	// runs are RunDue's answers, in turn.
	runs []fakeRun
	// next is NextDue's answer.
	next *time.Time
	// calls records "run" and "next" in order.
	calls []string
	// done ends the scheduler once the runs are used up.
	done context.CancelFunc
	// cancelled records whether RunDue's context was done.
	cancelled []bool
}

type fakeRun struct {
	ran int
	err error
}

func (f *fakeSteps) RunDue(ctx context.Context, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "run")
	f.cancelled = append(f.cancelled, ctx.Err() != nil)
	r := f.runs[0]
	f.runs = f.runs[1:]
	if len(f.runs) == 0 {
		f.done()
	}
	return r.ran, r.err
}

func (f *fakeSteps) NextDue(ctx context.Context) (*time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "next")
	return f.next, nil
}

// scriptedScheduler runs a scheduler over a script, on a clock that never
// moves, recording the waits it asks for (each one ends at once). It
// fails the test if the scheduler does not stop when the script ends.
func scriptedScheduler(t *testing.T, steps *fakeSteps, now time.Time) (waits []time.Duration, log string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	steps.done = cancel
	var buf lockedLog
	var mu sync.Mutex
	s := &scheduler{
		steps: steps, deployed: func() bool { return true }, now: func() time.Time { return now },
		wake: make(chan struct{}), log: slog.New(slog.NewTextHandler(&buf, nil)), batch: 3,
		after: func(d time.Duration) <-chan time.Time {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			ch := make(chan time.Time, 1)
			ch <- now
			return ch
		},
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx)
	}()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatalf("the scheduler did not stop within %s of its context ending", patience)
	}
	mu.Lock()
	defer mu.Unlock()
	return waits, buf.String()
}

func TestSchedulerRunsFullBatchesBackToBackThenSleepsUntilTheNextDue(t *testing.T) {
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	next := now.Add(20 * time.Second)
	steps := &fakeSteps{runs: []fakeRun{{ran: 3}, {ran: 3}, {ran: 1}, {ran: 0}}, next: &next}
	waits, _ := scriptedScheduler(t, steps, now)
	// Two full batches run back to back; the third was not full, so the
	// scheduler asks when the next step is due and sleeps until then.
	if want := []string{"run", "run", "run", "next", "run"}; !slices.Equal(steps.calls, want) {
		t.Errorf("calls %v, want %v", steps.calls, want)
	}
	if len(waits) == 0 || waits[0] != 20*time.Second {
		t.Errorf("waits %v, want 20s (until the next due step) first", waits)
	}
}

func TestSchedulerSleepsAtMostAMinute(t *testing.T) {
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	tomorrow := now.Add(24 * time.Hour)
	steps := &fakeSteps{runs: []fakeRun{{ran: 0}, {ran: 0}}, next: &tomorrow}
	waits, _ := scriptedScheduler(t, steps, now)
	if len(waits) == 0 || waits[0] != recheckEvery {
		t.Errorf("with the next step due tomorrow the scheduler waits %v, want %s", waits, recheckEvery)
	}
	steps = &fakeSteps{runs: []fakeRun{{ran: 0}, {ran: 0}}}
	if waits, _ := scriptedScheduler(t, steps, now); len(waits) == 0 || waits[0] != recheckEvery {
		t.Errorf("with nothing pending the scheduler waits %v, want %s", waits, recheckEvery)
	}
}

func TestSchedulerNeverSpinsOnAStepItCannotRun(t *testing.T) {
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	past := now.Add(-time.Minute)
	steps := &fakeSteps{runs: []fakeRun{{ran: 0}, {ran: 0}}, next: &past}
	waits, _ := scriptedScheduler(t, steps, now)
	if len(waits) == 0 || waits[0] != idlePause {
		t.Errorf("a step due and not run: the scheduler waits %v, want %s", waits, idlePause)
	}
}

func TestSchedulerBacksOffWhileTheStoreFails(t *testing.T) {
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	broken := errors.New("disk I/O error")
	next := now.Add(5 * time.Second)
	runs := []fakeRun{{err: broken}, {err: broken}, {err: broken}, {ran: 1}, {err: broken}, {ran: 0}}
	steps := &fakeSteps{runs: runs, next: &next}
	waits, log := scriptedScheduler(t, steps, now)
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, time.Second}
	if !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v: doubling while the store fails, back to the due time after a success, from 1s again", waits, want)
	}
	if n := strings.Count(log, "disk I/O error"); n != 4 {
		t.Errorf("the log names the store's error %d times, want 4:\n%s", n, log)
	}
	if got := retryWait(20); got != retryMax {
		t.Errorf("after 20 failures the wait is %s, want the cap %s", got, retryMax)
	}
}

func TestSchedulerFinishesItsBatchWhenStopped(t *testing.T) {
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	// The script's last batch ends the context while it runs, as a signal
	// would: the batch must not see it, and no batch may follow.
	steps := &fakeSteps{runs: []fakeRun{{ran: 3}, {ran: 3}}}
	scriptedScheduler(t, steps, now)
	if !slices.Equal(steps.cancelled, []bool{false, false}) {
		t.Errorf("RunDue's context was done: %v; a batch under way must commit", steps.cancelled)
	}
	if !slices.Equal(steps.calls, []string{"run", "run"}) {
		t.Errorf("calls %v: nothing may run after the context ended", steps.calls)
	}
}

func TestDueWaitRunsWhenTheSchedulerIsWoken(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		hooks := httpSink(t)
		dir := newServerDir(t, db)
		cfg := dir.config(channels(nil))
		// The "later" campaign calls the webhook an hour after the tag.
		cfg.Plan = writePlan(t, dir.dir, compilePlan(t, deliveriesWorkspace(hooks.URL()+"/hook")))
		clock := runtime.NewVirtualClock(time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC))
		s := start(t, cfg, func(o *RunOptions) { o.Clock = clock })

		ada := s.tag("ada@example.com", "later")
		if ds := s.outbox(ada); len(ds) != 0 {
			t.Fatalf("the webhook went before the hour: %+v", ds)
		}
		s.wantMetric("journey_due_backlog 0")
		// An hour and a half later: the wait is due, and late by half an hour.
		clock.Set(clock.Now().Add(90 * time.Minute))
		s.wantMetric("journey_due_backlog 1")
		s.proc.Server().Wake()
		d := s.waitDelivery(ada, runtime.DeliverySent)
		if d.Source != "later/crm" {
			t.Errorf("the delivery came from %q, want later/crm", d.Source)
		}
		s.wantMetric(`journey_steps_total{outcome="ok"} 1`)
		s.wantMetric("journey_timer_lateness_seconds_count 1")
		s.wantMetric("journey_timer_lateness_seconds_sum 1800")
		s.wantMetric("journey_due_backlog 0")
	})
}

func TestSchedulerCutsFulfillmentBatchesOnceAMinute(t *testing.T) {
	start := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	// Each wait moves the clock 25 seconds: the passes come at 0, 25, 50,
	// 75, 100, 125, 150 and 175 seconds (the last one stops the loop).
	var mu sync.Mutex
	now := start
	ctx, cancel := context.WithCancel(context.Background())
	steps := &fakeSteps{runs: make([]fakeRun, 8), done: cancel}
	var cuts []time.Duration
	var log lockedLog
	s := &scheduler{
		steps: steps, deployed: func() bool { return true },
		now:  func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		wake: make(chan struct{}), log: slog.New(slog.NewTextHandler(&log, nil)), batch: 3,
		after: func(time.Duration) <-chan time.Time {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(25 * time.Second)
			ch := make(chan time.Time, 1)
			ch <- now
			return ch
		},
		cutBatches: func(context.Context) error {
			cuts = append(cuts, now.Sub(start))
			return errors.New("fulfillment_list kits: the disk is full")
		},
	}
	s.run(ctx)
	want := []time.Duration{0, 75 * time.Second, 150 * time.Second}
	if !slices.Equal(cuts, want) {
		t.Errorf("batches were cut at %v, want %v: at the first pass, then once a minute has passed", cuts, want)
	}
	if n := strings.Count(log.String(), "the disk is full"); n != 3 {
		t.Errorf("the cut's error is logged %d times, want 3:\n%s", n, log.String())
	}
}

// kitWorkspace puts every contact tagged kit on a fulfillment list mailed
// to sam in batches of one.
const kitWorkspace = `
account {
  time_zone = "UTC"
  senders   = ["team@acme.example"]
}

tag "kit" {}

user "sam" {
  email = "sam@fulfil.example"
}

fulfillment_list "kits" {
  fields     = [field.first_name]
  deliver_to = user.sam
  batch {
    min_size = 1
  }
}

campaign "kits" {
  trigger "tagged" {
    on   = tag_added(tag.kit)
    next = send_to_fulfillment.kit
  }
  send_to_fulfillment "kit" {
    list = fulfillment_list.kits
    next = end.done
  }
  end "done" {}
}
`

func TestTheServerMailsAFulfillmentBatchWhenItsRuleSaysSo(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail := smtpSink(t)
		dir := newServerDir(t, db)
		cfg := dir.config(channels(mail))
		cfg.Plan = writePlan(t, dir.dir, compilePlan(t, kitWorkspace))
		clock := runtime.NewVirtualClock(time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC))
		s := start(t, cfg, func(o *RunOptions) { o.Clock = clock })

		s.tag("ada@example.com", "kit")
		// A minute later the scheduler checks the lists: one row is a batch.
		clock.Set(clock.Now().Add(61 * time.Second))
		s.proc.Server().Wake()
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		got, err := mail.WaitMessages(ctx, 1)
		if err != nil {
			t.Fatalf("no batch email within %s: %v", patience, err)
		}
		if strings.Join(got[0].To, ",") != "sam@fulfil.example" || len(got[0].Attachments) != 1 {
			t.Errorf("the batch email went to %v with %d attachments; want sam@fulfil.example and the CSV", got[0].To, len(got[0].Attachments))
		}
	})
}
