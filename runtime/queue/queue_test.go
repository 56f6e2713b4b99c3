package queue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func TestJobEnqueuedInCommittedTransactionRunsOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, recording(c, completing(store)), testOptions(t))

		ctx := context.Background()
		tx, err := store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		contact := &runtime.Contact{Fields: map[string]any{"email": "ada@example.com"}}
		if err := tx.CreateContact(contact); err != nil {
			t.Fatal(err)
		}
		if err := q.EnqueueTx(ctx, tx, 7); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		start(t, q)

		got := c.next(t, "delivery 7")
		if got.job.DeliveryID != 7 || got.job.Attempt != 1 || got.job.LastAttempt() {
			t.Errorf("handler got delivery %d attempt %d (last %v), want delivery 7 attempt 1 of %d", got.job.DeliveryID, got.job.Attempt, got.job.LastAttempt(), got.job.MaxAttempts)
		}
		if got.job.MaxAttempts != queue.DefaultMaxAttempts {
			t.Errorf("MaxAttempts = %d, want the default %d", got.job.MaxAttempts, queue.DefaultMaxAttempts)
		}
		waitState(t, store, 7, "completed")
		stop(t, q)
		c.none(t, "after the job completed")

		// The step's own writes committed with the job.
		tx, err = store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Contact(contact.ID); err != nil {
			t.Errorf("the contact created with the job: %v", err)
		}
	})
}

func TestJobEnqueuedInRolledBackTransactionNeverRuns(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, recording(c, completing(store)), testOptions(t))

		enqueue(t, store, q, false, 1)
		enqueue(t, store, q, true, 2)
		if n := depth(t, q); n != 1 {
			t.Errorf("Depth = %d before start, want 1 (the committed job)", n)
		}
		start(t, q)

		if got := c.next(t, "delivery 2"); got.job.DeliveryID != 2 {
			t.Errorf("handler got delivery %d, want 2", got.job.DeliveryID)
		}
		waitState(t, store, 2, "completed")
		stop(t, q)
		c.none(t, "the rolled-back delivery 1")
		if state, _ := jobState(t, store, 1); state != "" {
			t.Errorf("the rolled-back delivery 1 has a job in state %q", state)
		}
	})
}

func TestCompleteTxRolledBackLeavesJobToRetry(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if job.Attempt > 1 {
				return completing(store)(ctx, job)
			}
			// The outcome could not be recorded: the completion goes with it.
			tx, err := store.Begin(ctx)
			if err != nil {
				return err
			}
			if err := job.CompleteTx(ctx, tx); err != nil {
				return err
			}
			if err := tx.Rollback(); err != nil {
				return err
			}
			return errors.New("recording the outcome failed")
		}), testOptions(t))
		enqueue(t, store, q, true, 3)
		start(t, q)

		if got := c.next(t, "first attempt"); got.job.Attempt != 1 {
			t.Fatalf("first call is attempt %d", got.job.Attempt)
		}
		if got := c.next(t, "the retry after the rolled-back completion"); got.job.Attempt != 2 || got.job.DeliveryID != 3 {
			t.Errorf("retry: delivery %d attempt %d, want delivery 3 attempt 2", got.job.DeliveryID, got.job.Attempt)
		}
		waitState(t, store, 3, "completed")
		stop(t, q)
		c.none(t, "after the retry completed")
	})
}

func TestCompleteTxCommittedIsDoneWhateverTheHandlerReturns(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if err := completing(store)(ctx, job); err != nil {
				return err
			}
			return errors.New("an error after the outcome was committed")
		}), testOptions(t))
		enqueue(t, store, q, true, 4)
		start(t, q)

		c.next(t, "delivery 4")
		waitState(t, store, 4, "completed")
		stop(t, q)
		c.none(t, "a job completed in a committed transaction")
	})
}

func TestCompleteTxTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		var second error
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if err := completing(store)(ctx, job); err != nil {
				return err
			}
			second = completing(store)(ctx, job)
			return nil
		}), testOptions(t))
		enqueue(t, store, q, true, 5)
		start(t, q)
		c.next(t, "delivery 5")
		if second != nil {
			t.Errorf("completing a job this attempt completed: %v, want nil", second)
		}
		waitState(t, store, 5, "completed")
	})
}

func TestCompleteTxAfterRescueIsNotRunning(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		var completeErr error
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			// What River's rescuer does to a job running past
			// RescueStuckJobsAfter: it schedules a retry.
			if _, err := store.DB().ExecContext(ctx, store.Rebind(`UPDATE river_job SET state = 'retryable', scheduled_at = '2999-01-01 00:00:00' WHERE id = ?`), job.ID); err != nil {
				return err
			}
			completeErr = completing(store)(ctx, job)
			return nil
		}), testOptions(t))
		enqueue(t, store, q, true, 6)
		start(t, q)
		c.next(t, "delivery 6")
		if !errors.Is(completeErr, queue.ErrNotRunning) {
			t.Errorf("completing a job rescued from this attempt: %v, want ErrNotRunning", completeErr)
		}
		stop(t, q)
		if state, _ := jobState(t, store, 6); state != "retryable" {
			t.Errorf("the rescued job is %q, want still retryable", state)
		}
	})
}

func TestCompleteTxNeedsTheHandlersContext(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		var completeErr error
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			completeErr = completing(store)(context.Background(), job)
			return nil
		}), testOptions(t))
		enqueue(t, store, q, true, 14)
		start(t, q)
		c.next(t, "delivery 14")
		if completeErr == nil || completeErr.Error() != "queue: CompleteTx needs the context the handler was given, or one derived from it" {
			t.Errorf("CompleteTx with another context: %v", completeErr)
		}
	})
}

// memoryTx is a runtime.Tx that is not runtime/sqlstore's.
type memoryTx struct{ runtime.Tx }

func TestTransactionsMustBeTheStores(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		var completeErr error
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			completeErr = job.CompleteTx(ctx, memoryTx{})
			return nil
		}), testOptions(t))
		const want = "queue: a queue_test.memoryTx is no transaction of runtime/sqlstore: the queue writes its jobs in the store's *sql.Tx"
		if err := q.EnqueueTx(context.Background(), memoryTx{}, 1); err == nil || err.Error() != want {
			t.Errorf("EnqueueTx in another store's transaction: %v", err)
		}
		enqueue(t, store, q, true, 8)
		start(t, q)
		c.next(t, "delivery 8")
		if completeErr == nil || completeErr.Error() != want {
			t.Errorf("CompleteTx in another store's transaction: %v", completeErr)
		}
	})
}

func TestErrorRetriesAfterBackoff(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		opts := testOptions(t)
		opts.RetryBase = 400 * time.Millisecond
		var failedAt, retriedAt time.Time
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if job.Attempt == 1 {
				failedAt = time.Now()
				return errors.New("connection refused")
			}
			retriedAt = time.Now()
			return completing(store)(ctx, job)
		}), opts)
		enqueue(t, store, q, true, 9)
		start(t, q)

		c.next(t, "first attempt")
		if got := c.next(t, "the retry"); got.job.Attempt != 2 {
			t.Errorf("retry is attempt %d, want 2", got.job.Attempt)
		}
		// The first retry waits RetryBase less at most a quarter of it.
		if wait := retriedAt.Sub(failedAt); wait < 300*time.Millisecond {
			t.Errorf("retried %s after the error, before the backoff of 300-400ms", wait)
		}
		waitState(t, store, 9, "completed")
	})
}

func TestPermanentErrorGivesUp(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			return queue.Permanent(errors.New("550 no such mailbox"))
		}), testOptions(t))
		enqueue(t, store, q, true, 10)
		start(t, q)

		if got := c.next(t, "delivery 10"); got.job.Attempt != 1 {
			t.Errorf("attempt %d", got.job.Attempt)
		}
		waitState(t, store, 10, "cancelled")
		stop(t, q)
		c.none(t, "a job given up")
		if n := depth(t, q); n != 0 {
			t.Errorf("Depth = %d after the job was given up, want 0", n)
		}
	})
}

func TestMaxAttempts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		opts := testOptions(t)
		opts.MaxAttempts = 3
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			return errors.New("503 service unavailable")
		}), opts)
		enqueue(t, store, q, true, 11)
		start(t, q)

		for attempt := 1; attempt <= 3; attempt++ {
			got := c.next(t, "attempt")
			if got.job.Attempt != attempt || got.job.MaxAttempts != 3 || got.job.LastAttempt() != (attempt == 3) {
				t.Errorf("call %d: attempt %d of %d, last %v", attempt, got.job.Attempt, got.job.MaxAttempts, got.job.LastAttempt())
			}
		}
		waitState(t, store, 11, "discarded")
		stop(t, q)
		c.none(t, "after the last attempt")
		if n := depth(t, q); n != 0 {
			t.Errorf("Depth = %d after the attempts ran out, want 0", n)
		}
	})
}

func TestJobTimeoutCancelsTheAttempt(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		opts := testOptions(t)
		opts.JobTimeout = 200 * time.Millisecond
		opts.RescueStuckJobsAfter = time.Second
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if job.Attempt == 1 {
				<-ctx.Done()
				return ctx.Err()
			}
			return completing(store)(ctx, job)
		}), opts)
		enqueue(t, store, q, true, 12)
		start(t, q)

		if got := c.next(t, "first attempt"); !errors.Is(got.ctxErr, context.DeadlineExceeded) {
			t.Errorf("the first attempt's context ended with %v, want the deadline", got.ctxErr)
		}
		if got := c.next(t, "the retry"); got.job.Attempt != 2 {
			t.Errorf("the attempt after a timeout is attempt %d, want 2 (a timeout uses an attempt)", got.job.Attempt)
		}
		waitState(t, store, 12, "completed")
	})
}

func TestHandlerPanicIsRetried(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, func(ctx context.Context, job *queue.Job) error {
			c <- call{job: *job}
			if job.Attempt == 1 {
				panic("a bug in a channel")
			}
			return completing(store)(ctx, job)
		}, testOptions(t))
		enqueue(t, store, q, true, 13)
		start(t, q)

		c.next(t, "the attempt that panics")
		if got := c.next(t, "the retry"); got.job.Attempt != 2 {
			t.Errorf("retry is attempt %d, want 2", got.job.Attempt)
		}
		waitState(t, store, 13, "completed")
	})
}

func TestDepthCountsJobsWaitingToRun(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		opts := testOptions(t)
		opts.RetryBase, opts.RetryMax = time.Hour, time.Hour
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if job.DeliveryID == 1 {
				return errors.New("timeout")
			}
			return completing(store)(ctx, job)
		}), opts)

		if n := depth(t, q); n != 0 {
			t.Errorf("Depth = %d on an empty queue", n)
		}
		enqueue(t, store, q, true, 1, 2, 3)
		enqueue(t, store, q, false, 4)
		if n := depth(t, q); n != 3 {
			t.Errorf("Depth = %d with three committed jobs, want 3", n)
		}
		start(t, q)
		for range 3 {
			c.next(t, "the three jobs")
		}
		waitState(t, store, 2, "completed")
		waitState(t, store, 3, "completed")
		waitState(t, store, 1, "retryable")
		if n := depth(t, q); n != 1 {
			t.Errorf("Depth = %d with one job waiting an hour for its retry, want 1", n)
		}
	})
}

func TestCompleteTxOfAJobMadeOutsideAQueue(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		tx, err := store.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		job := &queue.Job{ID: 1, DeliveryID: 1, Attempt: 1, MaxAttempts: 8}
		if err := job.CompleteTx(context.Background(), tx); err == nil || err.Error() != "queue: this Job was made outside a queue: only a Handler's job can be completed" {
			t.Errorf("CompleteTx of a Job made by hand: %v", err)
		}
	})
}
