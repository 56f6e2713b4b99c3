package server

import (
	"context"
	"fmt"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/delivery"
	"github.com/journeyhq/journey/runtime/queue"
)

// queueSink takes the engine's deliveries in the step's transaction: a
// delivery whose channel is configured gets its job there (it is sent if,
// and only if, the step commits); any other is held in the outbox.
type queueSink struct {
	queue  queue.Queue
	router *delivery.Router
	now    func() time.Time
}

var _ runtime.BatchSink = (*queueSink)(nil)

// Deliver queues or holds a delivery the engine has just added to the
// outbox, in tx.
func (s *queueSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	if held, err := s.hold(tx, d); held || err != nil {
		return err
	}
	// The step's transaction carries its own context; River's insert
	// only runs a statement in it.
	return s.queue.EnqueueTx(context.Background(), tx, d.ID)
}

// DeliverBatch queues or holds the deliveries of a batch of due steps, in
// tx as it commits: their jobs in one statement rather than one a step.
func (s *queueSink) DeliverBatch(tx runtime.Tx, ds []*runtime.Delivery) error {
	ids := make([]int64, 0, len(ds))
	for _, d := range ds {
		held, err := s.hold(tx, d)
		if err != nil {
			return err
		}
		if !held {
			ids = append(ids, d.ID)
		}
	}
	return s.queue.EnqueueManyTx(context.Background(), tx, ids)
}

// hold holds a delivery whose channel is not configured. A kind no channel
// sends is queued all the same: the worker fails it, with the router's
// words, where the outbox shows them.
func (s *queueSink) hold(tx runtime.Tx, d *runtime.Delivery) (bool, error) {
	channel := delivery.Channel(d.Kind)
	if channel == "" || s.router.Configured(d.Kind) {
		return false, nil
	}
	d.Status, d.UpdatedAt = runtime.DeliveryHeld, s.now()
	d.LastError = notConfigured(channel)
	return true, tx.UpdateDelivery(d)
}

func notConfigured(channel string) string {
	return fmt.Sprintf("the %s channel is not configured: the delivery waits until journey server starts with it configured (docs/server.md)", channel)
}

// outboxBatch is how many deliveries one startup transaction resolves.
const outboxBatch = 500

// recovery is what resolveOutbox did at startup, for the log.
type recovery struct {
	// Requeued: held deliveries whose channel is now configured.
	Requeued int
	// StillHeld by channel: held deliveries whose channel still is not.
	StillHeld map[string]int
	// Resent: deliveries left sending with no live job, pending again
	// with a new job (at least once). Unknown: marketing ones, never
	// sent again (at most once).
	Resent, Unknown int
}

// resolveOutbox runs before the queue starts. Held deliveries whose
// channel is now configured go back to pending with a job. Deliveries a
// crash left sending whose job will not run again (River gave up a last
// attempt cut short, without calling the worker) are resolved by the
// policy: a marketing email becomes unknown, anything else pending with a
// new job. Those whose job will still run are left to it: the worker
// applies the same policy when it finds them sending.
func resolveOutbox(ctx context.Context, store runtime.Store, q queue.Queue, router *delivery.Router, now func() time.Time) (recovery, error) {
	r := recovery{StillHeld: map[string]int{}}
	err := eachOutboxBatch(ctx, store, runtime.DeliveryHeld, func(tx runtime.Tx, batch []*runtime.Delivery) error {
		for _, d := range batch {
			if !router.Configured(d.Kind) {
				r.StillHeld[delivery.Channel(d.Kind)]++
				continue
			}
			d.Status, d.LastError, d.UpdatedAt = runtime.DeliveryPending, "", now()
			if err := requeue(ctx, tx, q, d); err != nil {
				return err
			}
			r.Requeued++
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	err = eachOutboxBatch(ctx, store, runtime.DeliverySending, func(tx runtime.Tx, batch []*runtime.Delivery) error {
		ids := make([]int64, len(batch))
		for i, d := range batch {
			ids[i] = d.ID
		}
		live, err := q.LiveTx(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, d := range batch {
			switch {
			case live[d.ID]:
			case d.Marketing:
				d.Status, d.UpdatedAt = runtime.DeliveryUnknown, now()
				d.LastError = fmt.Sprintf("attempt %d was cut off by a crash after the email may have left, and it was the last; "+
					"a marketing email is sent at most once, so it is not tried again", d.Attempts)
				if err := tx.UpdateDelivery(d); err != nil {
					return err
				}
				r.Unknown++
			default:
				d.Status, d.UpdatedAt = runtime.DeliveryPending, now()
				d.LastError = fmt.Sprintf("attempt %d was cut off by a crash; sent again with the same idempotency key", d.Attempts)
				if err := requeue(ctx, tx, q, d); err != nil {
					return err
				}
				r.Resent++
			}
		}
		return nil
	})
	return r, err
}

func requeue(ctx context.Context, tx runtime.Tx, q queue.Queue, d *runtime.Delivery) error {
	if err := tx.UpdateDelivery(d); err != nil {
		return err
	}
	return q.EnqueueTx(ctx, tx, d.ID)
}

// eachOutboxBatch calls fn with the deliveries of a status, a batch per
// committed transaction, in id order. fn may change their status.
func eachOutboxBatch(ctx context.Context, store runtime.Store, status string, fn func(tx runtime.Tx, batch []*runtime.Delivery) error) error {
	var after int64
	for {
		tx, err := store.Begin(ctx)
		if err != nil {
			return err
		}
		batch, err := tx.ListDeliveries(runtime.DeliveryFilter{Status: status, AfterID: after, Limit: outboxBatch})
		if err == nil && len(batch) > 0 {
			err = fn(tx, batch)
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("resolving the outbox's %s deliveries: %w", status, err)
		}
		if len(batch) < outboxBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}
