// Package queue runs the side effects of steps (deliveries) as jobs on River
// (github.com/riverqueue/river), behind an interface of ours: nothing else in
// journey imports River, and the engine's semantics never depend on it.
//
// A job is inserted in the transaction of the step that caused it (EnqueueTx)
// and completed in the transaction that records its outcome (Job.CompleteTx),
// so a crash between the two neither loses the job nor records it done
// without its outcome. See docs/queue.md.
package queue

import (
	"context"
	"errors"

	"github.com/journeyhq/journey/runtime"
)

// Queue holds the delivery jobs and works them with a Handler.
type Queue interface {
	// EnqueueTx adds a job for the delivery in tx: it runs if, and only if,
	// tx commits.
	EnqueueTx(ctx context.Context, tx runtime.Tx, deliveryID int64) error
	// EnqueueManyTx adds a job for each delivery in tx, in one statement:
	// the jobs of a batch of steps (runtime.BatchSink), which would take a
	// round trip each on PostgreSQL. They run if, and only if, tx commits.
	EnqueueManyTx(ctx context.Context, tx runtime.Tx, deliveryIDs []int64) error
	// Start starts working jobs in the background and returns. The queue
	// works until Stop, whatever becomes of ctx.
	Start(ctx context.Context) error
	// Stop stops fetching jobs, lets the running ones finish for
	// Options.StopTimeout, then cancels their contexts: a job whose handler
	// returns because of that goes back to the queue without using an
	// attempt. When Stop returns nil no job is left running. If handlers are
	// still running when ctx is done, Stop returns an error; their jobs run
	// again once they are RescueStuckJobsAfter old and a queue runs on the
	// database.
	Stop(ctx context.Context) error
	// Depth counts the jobs waiting to run, now or at a later retry; the
	// running ones are not counted.
	Depth(ctx context.Context) (int, error)
	// LiveTx reports, in tx, which of the deliveries have a job that will
	// still run: waiting, retrying, or running (a running job left by a
	// crash is retried once RescueStuckJobsAfter old, unless that was
	// its last attempt: River then gives it up without calling the
	// handler, and the delivery has no live job).
	LiveTx(ctx context.Context, tx runtime.Tx, deliveryIDs []int64) (map[int64]bool, error)
}

// Handler works one job. It returns nil when the job is done (completing it
// with Job.CompleteTx in the transaction that records its outcome, or
// leaving the queue to complete it), an error to have it retried after a
// backoff (Options.RetryBase, RetryMax) until Job.MaxAttempts is reached,
// or Permanent(err) to give it up at once. It must return soon after ctx is
// done: ctx ends at Options.JobTimeout and when Stop cancels running jobs.
type Handler func(ctx context.Context, job *Job) error

// Job is one attempt at a delivery.
type Job struct {
	// ID is the queue's own id of the job.
	ID int64
	// DeliveryID is the outbox row the job delivers.
	DeliveryID int64
	// Attempt counts the attempts at the job, this one included (1 on the
	// first). An attempt cut short by a crash counts; one cancelled by Stop
	// does not.
	Attempt int
	// MaxAttempts is the attempt after which an error gives the job up.
	MaxAttempts int

	complete func(ctx context.Context, tx runtime.Tx) error
}

// LastAttempt reports whether an error returned now gives the job up: the
// handler records the delivery as failed in this attempt.
func (j *Job) LastAttempt() bool { return j.Attempt >= j.MaxAttempts }

// CompleteTx marks the job done in tx, so that the job is done if, and only
// if, tx commits: if it rolls back, the job is retried. ctx must be the
// context the handler was given, or one derived from it. Completing a job
// this attempt completed already changes nothing. It returns ErrNotRunning
// when the job is no longer this attempt's (taken for stuck after
// RescueStuckJobsAfter, and retried): roll tx back.
func (j *Job) CompleteTx(ctx context.Context, tx runtime.Tx) error {
	if j.complete == nil {
		return errors.New("queue: this Job was made outside a queue: only a Handler's job can be completed")
	}
	return j.complete(ctx, tx)
}

// ErrNotRunning is returned by Job.CompleteTx when the attempt no longer holds
// its job.
var ErrNotRunning = errors.New("queue: the job is no longer this attempt's (it was taken for stuck and retried); roll the transaction back")

// Permanent marks a handler's error as final: the job is given up without
// another attempt. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or an error it wraps, was made by
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }
