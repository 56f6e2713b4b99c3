package queue_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func TestStopLetsRunningJobFinish(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		started, release := make(chan struct{}), make(chan struct{})
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			close(started)
			<-release
			return completing(store)(ctx, job)
		}), testOptions(t))
		enqueue(t, store, q, true, 1)
		start(t, q)
		<-started

		stopped := make(chan error, 1)
		go func() { stopped <- q.Stop(context.Background()) }()
		close(release)
		select {
		case err := <-stopped:
			if err != nil {
				t.Fatalf("Stop: %v", err)
			}
		case <-time.After(patience):
			t.Fatalf("Stop did not return within %s", patience)
		}

		got := c.next(t, "the running job")
		if got.ctxErr != nil {
			t.Errorf("the running job's context ended (%v) though it finished within StopTimeout", got.ctxErr)
		}
		if state, _ := jobState(t, store, 1); state != "completed" {
			t.Errorf("after Stop the job is %q, want completed", state)
		}
	})
}

func TestStopCancelsJobPastStopTimeoutAndItRunsAgain(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		opts := testOptions(t)
		opts.StopTimeout = 50 * time.Millisecond
		started := make(chan struct{})
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			close(started)
			<-ctx.Done()
			return errors.New("SMTP session aborted") // not the context's error: the queue tells
		}), opts)
		enqueue(t, store, q, true, 1)
		start(t, q)
		<-started
		stop(t, q)

		if got := c.next(t, "the cancelled job"); !errors.Is(got.ctxErr, context.Canceled) {
			t.Errorf("the running job's context ended with %v, want cancelled", got.ctxErr)
		}
		state, attempt := jobState(t, store, 1)
		if state != "available" || attempt != 0 {
			t.Errorf("after Stop the cancelled job is %q with %d attempts, want available with 0: a stop uses no attempt", state, attempt)
		}
		if n := depth(t, q); n != 1 {
			t.Errorf("Depth = %d after Stop, want 1 (the cancelled job)", n)
		}

		// The next queue on the database runs it, as its first attempt.
		next := openQueue(t, store, recording(c, completing(store)), testOptions(t))
		start(t, next)
		if got := c.next(t, "the job after a restart"); got.job.DeliveryID != 1 || got.job.Attempt != 1 {
			t.Errorf("after a restart: delivery %d attempt %d, want delivery 1 attempt 1", got.job.DeliveryID, got.job.Attempt)
		}
		waitState(t, store, 1, "completed")
	})
}

func TestStopReturnsWhenHandlerIgnoresItsContext(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		opts := testOptions(t)
		opts.StopTimeout = 50 * time.Millisecond
		started, release := make(chan struct{}), make(chan struct{})
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			close(started)
			<-release
			return nil
		}), opts)
		enqueue(t, store, q, true, 1)
		start(t, q)
		<-started

		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := q.Stop(ctx)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "make the handler return when its context is done") {
			t.Errorf("Stop with a handler that ignores its context: %v, want an error saying what to do", err)
		}
		if state, _ := jobState(t, store, 1); state != "running" {
			t.Errorf("the job whose handler is still running is %q, want running (rescued later)", state)
		}

		// Once the handler returns, stopping again finishes the stop.
		close(release)
		stop(t, q)
		c.next(t, "the released job")
		if state, _ := jobState(t, store, 1); state != "completed" {
			t.Errorf("after the second Stop the job is %q, want completed", state)
		}
	})
}
