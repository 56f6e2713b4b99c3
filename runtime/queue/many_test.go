package queue_test

import (
	"context"
	"testing"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// The jobs of a batch of steps, enqueued at once, each run once, and
// only if their transaction commits.
func TestJobsEnqueuedTogetherRunOnceEachWhenCommitted(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		c := newCalls()
		q := openQueue(t, store, recording(c, completing(store)), testOptions(t))
		ctx := context.Background()
		for _, commit := range []bool{false, true} {
			tx, err := store.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{11, 12, 13}
			if commit {
				ids = []int64{21, 22, 23}
			}
			if err := q.EnqueueManyTx(ctx, tx, ids); err != nil {
				t.Fatal(err)
			}
			if err := q.EnqueueManyTx(ctx, tx, nil); err != nil {
				t.Fatalf("enqueuing no jobs: %v", err)
			}
			if commit {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := depth(t, q); n != 3 {
			t.Errorf("Depth = %d before start, want 3 (the committed batch)", n)
		}
		start(t, q)
		got := map[int64]int{}
		for range 3 {
			got[c.next(t, "a job of the committed batch").job.DeliveryID]++
		}
		for _, id := range []int64{21, 22, 23} {
			waitState(t, store, id, "completed")
		}
		stop(t, q)
		c.none(t, "after the batch's jobs completed")
		if got[21] != 1 || got[22] != 1 || got[23] != 1 {
			t.Errorf("the handler got deliveries %v, want 21, 22 and 23 once each", got)
		}
		for _, id := range []int64{11, 12, 13} {
			if state, _ := jobState(t, store, id); state != "" {
				t.Errorf("delivery %d of the rolled-back batch has a job in state %q", id, state)
			}
		}
	})
}
