package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/journeyhq/journey/runtime"
)

// RiverSchemaVersion is the version of River's own tables (river_job,
// river_leader...) that OpenSQLite and OpenPostgres migrate a database to:
// the last migration of River's "main" line in the River this journey is
// built with.
const RiverSchemaVersion = 8

// completedJobRetention is how long a completed job stays in River's table.
// The outbox row is the record of a delivery; River's row only helps to
// debug the queue itself, and at hundreds of jobs a second River's default
// of a day would keep tens of millions of them.
const completedJobRetention = time.Hour

// riverQueue is the Queue on a River client whose transactions are the
// store's *sql.Tx: River's SQLite driver, or its database/sql driver on
// PostgreSQL.
type riverQueue struct {
	client *river.Client[*sql.Tx]
	opts   Options
	// liveWhere selects, in River's job list, the jobs of the deliveries
	// named by the JSON list @ids (JSON differs by database).
	liveWhere string
	// stopped runs once the client has stopped (PostgreSQL closes its
	// listener's pool).
	stopped func()
}

func newRiverQueue(driver riverdriver.Driver[*sql.Tx], handler Handler, opts Options,
	complete func(ctx context.Context, tx runtime.Tx, job *river.Job[deliverArgs]) error, liveWhere string) (*riverQueue, error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliverWorker{handle: handler, complete: complete}); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	client, err := river.NewClient(driver, &river.Config{
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers}},
		Workers:                     workers,
		MaxAttempts:                 opts.MaxAttempts,
		RetryPolicy:                 backoff{Base: opts.RetryBase, Max: opts.RetryMax, RescuedAfter: opts.RescueStuckJobsAfter},
		FetchCooldown:               opts.FetchCooldown,
		FetchPollInterval:           opts.FetchPollInterval,
		JobTimeout:                  opts.JobTimeout,
		RescueStuckJobsAfter:        opts.RescueStuckJobsAfter,
		CompletedJobRetentionPeriod: completedJobRetention,
		Logger:                      opts.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &riverQueue{client: client, opts: opts, liveWhere: liveWhere}, nil
}

func (q *riverQueue) EnqueueTx(ctx context.Context, tx runtime.Tx, deliveryID int64) error {
	sqlTx, err := sqlTxOf(tx)
	if err != nil {
		return err
	}
	if _, err := q.client.InsertTx(ctx, sqlTx, deliverArgs{DeliveryID: deliveryID}, nil); err != nil {
		return fmt.Errorf("queue: enqueuing delivery %d: %w", deliveryID, err)
	}
	return nil
}

func (q *riverQueue) EnqueueManyTx(ctx context.Context, tx runtime.Tx, deliveryIDs []int64) error {
	if len(deliveryIDs) == 0 {
		return nil
	}
	sqlTx, err := sqlTxOf(tx)
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, len(deliveryIDs))
	for i, id := range deliveryIDs {
		params[i] = river.InsertManyParams{Args: deliverArgs{DeliveryID: id}}
	}
	if _, err := q.client.InsertManyTx(ctx, sqlTx, params); err != nil {
		return fmt.Errorf("queue: enqueuing %d deliveries (%d to %d): %w", len(deliveryIDs), deliveryIDs[0], deliveryIDs[len(deliveryIDs)-1], err)
	}
	return nil
}

func (q *riverQueue) Start(ctx context.Context) error {
	// River stops at once, cancelling running jobs, when its start context
	// ends; the queue stops gracefully, through Stop only.
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("queue: starting: %w", err)
	}
	return nil
}

func (q *riverQueue) Stop(ctx context.Context) error {
	grace, cancel := context.WithTimeout(ctx, q.opts.StopTimeout)
	err := q.client.Stop(grace)
	cancel()
	if err == nil {
		q.afterStop()
		return nil
	}
	// Running jobs outlived the grace: cancel their contexts and wait for
	// their handlers to return; River puts their jobs back as they do.
	if err := q.client.StopAndCancel(ctx); err != nil {
		return fmt.Errorf("queue: stopping: handlers still running after their contexts were cancelled (%w); their jobs run again once %s old, when a queue runs on this database; make the handler return when its context is done", err, q.opts.RescueStuckJobsAfter)
	}
	q.afterStop()
	return nil
}

func (q *riverQueue) afterStop() {
	if q.stopped != nil {
		q.stopped()
	}
}

// waitingStates are the states of a job that has yet to run.
var waitingStates = [...]rivertype.JobState{
	rivertype.JobStateAvailable,
	rivertype.JobStateRetryable,
	rivertype.JobStateScheduled,
	rivertype.JobStatePending,
}

func (q *riverQueue) Depth(ctx context.Context) (int, error) {
	exec := q.client.Driver().GetExecutor()
	total := 0
	// One count per state reads a range of River's (state, ...) index; one
	// grouped count would read the completed jobs too.
	for _, state := range waitingStates {
		n, err := exec.JobCountByState(ctx, &riverdriver.JobCountByStateParams{State: state})
		if err != nil {
			return 0, fmt.Errorf("queue: counting %s jobs: %w", state, err)
		}
		total += n
	}
	return total, nil
}

// liveStates are the states of a job that will still run.
var liveStates = append(waitingStates[:len(waitingStates):len(waitingStates)], rivertype.JobStateRunning)

// livePage is how many jobs LiveTx reads at a time (River's most is 10,000).
const livePage = 1000

func (q *riverQueue) LiveTx(ctx context.Context, tx runtime.Tx, deliveryIDs []int64) (map[int64]bool, error) {
	live := map[int64]bool{}
	if len(deliveryIDs) == 0 {
		return live, nil
	}
	sqlTx, err := sqlTxOf(tx)
	if err != nil {
		return nil, err
	}
	ids, err := json.Marshal(deliveryIDs)
	if err != nil {
		return nil, err
	}
	params := river.NewJobListParams().Kinds(deliverArgs{}.Kind()).States(liveStates...).First(livePage).
		Where(q.liveWhere, river.NamedArgs{"ids": string(ids)})
	for {
		page, err := q.client.JobListTx(ctx, sqlTx, params)
		if err != nil {
			return nil, fmt.Errorf("queue: listing the jobs of %d deliveries: %w", len(deliveryIDs), err)
		}
		for _, job := range page.Jobs {
			var args deliverArgs
			if err := json.Unmarshal(job.EncodedArgs, &args); err != nil {
				return nil, fmt.Errorf("queue: job %d: its arguments %s: %w", job.ID, job.EncodedArgs, err)
			}
			live[args.DeliveryID] = true
		}
		if len(page.Jobs) < livePage {
			return live, nil
		}
		params = params.After(page.LastCursor)
	}
}

// sqlTransaction is a runtime.Tx on database/sql: runtime/sqlstore's Tx.
type sqlTransaction interface {
	SQLTx() *sql.Tx
}

func sqlTxOf(tx runtime.Tx) (*sql.Tx, error) {
	st, ok := tx.(sqlTransaction)
	if !ok {
		return nil, fmt.Errorf("queue: a %T is no transaction of runtime/sqlstore: the queue writes its jobs in the store's *sql.Tx", tx)
	}
	return st.SQLTx(), nil
}

// completeTx is Job.CompleteTx on a River driver whose transactions are
// *sql.Tx.
func completeTx[D riverdriver.Driver[*sql.Tx]](ctx context.Context, tx runtime.Tx, job *river.Job[deliverArgs]) error {
	sqlTx, err := sqlTxOf(tx)
	if err != nil {
		return err
	}
	if _, err := river.ClientFromContextSafely[*sql.Tx](ctx); err != nil {
		return errors.New("queue: CompleteTx needs the context the handler was given, or one derived from it")
	}
	done, err := river.JobCompleteTx[D](ctx, sqlTx, job)
	switch {
	case errors.Is(err, rivertype.ErrNotFound):
		return ErrNotRunning
	case err != nil:
		return fmt.Errorf("queue: completing job %d: %w", job.ID, err)
	case done.State != rivertype.JobStateCompleted || done.Attempt != job.Attempt:
		// River hands back the row as it is when the job was not running:
		// rescued and waiting for a retry, or run again by another attempt
		// (whose completion the caller's rollback undoes).
		return ErrNotRunning
	}
	return nil
}
