package queue_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func TestLiveTxTellsTheDeliveriesWhoseJobWillStillRun(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		// Delivery 2's job is given up at once; the others complete.
		q := openQueue(t, store, recording(c, func(ctx context.Context, job *queue.Job) error {
			if job.DeliveryID == 2 {
				return queue.Permanent(errors.New("refused for good"))
			}
			return completing(store)(ctx, job)
		}), testOptions(t))
		live := func(ids ...int64) []int64 {
			t.Helper()
			ctx := context.Background()
			tx, err := store.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			got, err := q.LiveTx(ctx, tx, ids)
			if err != nil {
				t.Fatal(err)
			}
			return slices.Sorted(maps.Keys(got))
		}
		enqueue(t, store, q, true, 1, 2)
		if got := live(1, 2, 3); !slices.Equal(got, []int64{1, 2}) {
			t.Errorf("before the queue starts, the deliveries with a live job are %v, want [1 2] (3 has none)", got)
		}
		if got := live(); len(got) != 0 {
			t.Errorf("no deliveries asked, %v answered", got)
		}
		start(t, q)
		c.next(t, "the first job")
		c.next(t, "the second job")
		waitState(t, store, 1, "completed")
		waitState(t, store, 2, "cancelled")
		if got := live(1, 2, 3); len(got) != 0 {
			t.Errorf("after a job completed and another was given up, %v still have a live job", got)
		}
	})
}

func TestLiveTxReadsPastOnePage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		q := openQueue(t, store, recording(newCalls(), completing(store)), testOptions(t))
		const n = 1005 // more than one page of River's list
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		enqueue(t, store, q, true, ids...)
		ctx := context.Background()
		tx, err := store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		got, err := q.LiveTx(ctx, tx, append(ids, n+1))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n || !got[1] || !got[n] || got[n+1] {
			t.Errorf("LiveTx found %d of the %d deliveries with a waiting job (first %v, last %v, one without a job %v)", len(got), n, got[1], got[n], got[n+1])
		}
	})
}
