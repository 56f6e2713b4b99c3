package queue

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/journeyhq/journey/runtime"
)

// deliverArgs are a delivery job's arguments, as River stores them.
type deliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind is the job's kind in River's table.
func (deliverArgs) Kind() string { return "deliver" }

// deliverWorker turns River's jobs into Handler calls and the handler's
// answers into River's.
type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	handle   Handler
	complete func(ctx context.Context, tx runtime.Tx, job *river.Job[deliverArgs]) error
}

func (w *deliverWorker) Work(ctx context.Context, rj *river.Job[deliverArgs]) error {
	job := &Job{
		ID:          rj.ID,
		DeliveryID:  rj.Args.DeliveryID,
		Attempt:     rj.Attempt,
		MaxAttempts: rj.MaxAttempts,
		complete: func(ctx context.Context, tx runtime.Tx) error {
			return w.complete(ctx, tx, rj)
		},
	}
	return riverResult(ctx, w.handle(ctx, job))
}

// riverResult is the handler's answer in River's terms.
func riverResult(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case IsPermanent(err):
		return river.JobCancel(err)
	case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
		// River tells a job cancelled by its stop (put back without using
		// an attempt) from a failed one by the context's error in the
		// handler's: a handler that returned its own error when its
		// context ended need not wrap it.
		return fmt.Errorf("%w (%w)", err, ctx.Err())
	default:
		return err
	}
}
