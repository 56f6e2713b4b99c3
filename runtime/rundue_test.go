package runtime_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// savepointStore counts the savepoints its transactions take: on
// PostgreSQL a savepoint and its release are two round trips.
type savepointStore struct {
	runtime.Store
	savepoints *int
}

func (s savepointStore) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.Store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return savepointTx{Tx: tx, savepoints: s.savepoints}, nil
}

type savepointTx struct {
	runtime.Tx
	savepoints *int
}

func (t savepointTx) Savepoint() error {
	*t.savepoints++
	return t.Tx.Savepoint()
}

// dueBatch tags n contacts and moves the clock past their day's wait.
func dueBatch(w *world, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = w.contact(map[string]any{"email": fmt.Sprintf("c%d@example.com", i)})
		w.tag(ids[i], "go")
	}
	w.sim.Clock.Set(w.now().Add(25 * time.Hour))
	return ids
}

// A batch whose steps all succeed takes no savepoint: each step would
// otherwise cost two more round trips on PostgreSQL.
func TestRunDueTakesNoSavepointWhenNoStepFails(t *testing.T) {
	w := scenario(t, waitThenEmail)
	ids := dueBatch(w, 3)
	savepoints := 0
	engine := runtime.NewEngine(w.prog, savepointStore{Store: w.store, savepoints: &savepoints}, w.sim.Clock, nil)
	if n, err := engine.RunDue(context.Background(), 10); err != nil || n != 3 {
		t.Fatalf("RunDue = %d, %v; want 3 steps", n, err)
	}
	if savepoints != 0 {
		t.Errorf("a batch of 3 steps that all succeeded took %d savepoints, want none", savepoints)
	}
	for _, id := range ids {
		if got := len(w.sent(id, "email", "receipt")); got != 1 {
			t.Errorf("contact %d has %d receipts, want 1:\n%s", id, got, w.story(id))
		}
	}
}

// A step failing in the middle of a batch is undone alone: the batch runs
// again with a savepoint a step, and the steps before and after it are
// kept once each.
func TestRunDueKeepsTheOtherStepsOnceWhenOneFails(t *testing.T) {
	w := scenario(t, waitThenEmail)
	ids := dueBatch(w, 3)
	savepoints := 0
	var reports []runtime.StepReport
	engine := runtime.NewEngine(w.prog, savepointStore{Store: w.store, savepoints: &savepoints}, w.sim.Clock, failingSink{contact: ids[1]})
	engine.Observe = func(r runtime.StepReport) { reports = append(reports, r) }
	if n, err := engine.RunDue(context.Background(), 10); err != nil || n != 3 {
		t.Fatalf("RunDue = %d, %v; want 3 steps", n, err)
	}
	if savepoints != 3 {
		t.Errorf("the batch run again after a failure took %d savepoints, want one a step (3)", savepoints)
	}
	if len(reports) != 3 {
		t.Errorf("the observer heard of %d steps, want 3 (the rolled-back first run is not heard of)", len(reports))
	}
	for _, id := range []int64{ids[0], ids[2]} {
		if got := len(w.sent(id, "email", "receipt")); got != 1 {
			t.Errorf("contact %d has %d receipts, want 1:\n%s", id, got, w.story(id))
		}
		if got := len(w.entries(id, "day", "waited")); got != 1 {
			t.Errorf("contact %d's wait fired %d times, want once:\n%s", id, got, w.story(id))
		}
	}
	if got := w.entries(ids[1], "day", "failed: the step could not run"); len(got) != 1 {
		t.Errorf("the failing contact's timeline does not say its step failed:\n%s", w.story(ids[1]))
	}
	if len(w.deliveries(ids[1])) != 0 {
		t.Errorf("the failed step left deliveries: %+v", w.deliveries(ids[1]))
	}
}

// Two paths of a fork wait the same hour, and each exits the campaign
// after it: the first to fire removes the other's position. RunDue claimed
// both, but ran one step: the other position was gone when its turn came,
// and is neither counted nor heard of (journey_steps_total, the lateness).
func TestRunDueCountsOnlyTheStepsThatRan(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.both
  }
  fork "both" {
    paths = [wait.first, wait.second]
  }
  wait "first" {
    for  = "1h"
    next = end.out
  }
  end "out" {
    exit = true
  }
  wait "second" {
    for  = "1h"
    next = end.out_too
  }
  end "out_too" {
    exit = true
  }
}
`)
	id := w.ada()
	w.tag(id, "go")
	w.sim.Clock.Set(w.now().Add(2 * time.Hour))
	var reports []runtime.StepReport
	w.sim.Engine.Observe = func(r runtime.StepReport) { reports = append(reports, r) }
	n, err := w.sim.Engine.RunDue(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || len(reports) != 1 {
		t.Errorf("RunDue ran %d steps and reported %d; want 1 and 1: the other position was removed by the first step's exit\n%s", n, len(reports), w.story(id))
	}
	if got := len(w.entries(id, "first", "waited")) + len(w.entries(id, "second", "waited")); got != 1 {
		t.Errorf("%d waits fired, want the one that exited first:\n%s", got, w.story(id))
	}
}

// batchingSink takes a batch's deliveries at once (runtime.BatchSink), as
// the server's queue does, and records how it was called.
type batchingSink struct {
	batches [][]int64 // the contacts of each DeliverBatch call's deliveries
	single  int       // Deliver calls
}

func (s *batchingSink) Deliver(runtime.Tx, *runtime.Delivery) error {
	s.single++
	return nil
}

func (s *batchingSink) DeliverBatch(_ runtime.Tx, ds []*runtime.Delivery) error {
	var contacts []int64
	for _, d := range ds {
		if d.ID == 0 {
			return fmt.Errorf("delivery %q has no ID: it was not stored before the batch handed it over", d.Key)
		}
		contacts = append(contacts, d.ContactID)
	}
	s.batches = append(s.batches, contacts)
	return nil
}

// refusingStore fails every delivery of one contact, as a store whose
// write failed under a step would.
type refusingStore struct {
	runtime.Store
	contact int64
}

func (s refusingStore) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.Store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return refusingTx{Tx: tx, contact: s.contact}, nil
}

type refusingTx struct {
	runtime.Tx
	contact int64
}

func (t refusingTx) AddDelivery(d *runtime.Delivery) (bool, error) {
	if d.ContactID == t.contact {
		return false, fmt.Errorf("the outbox refused contact %d's delivery", d.ContactID)
	}
	return t.Tx.AddDelivery(d)
}

// A sink that takes deliveries in batches gets a batch's deliveries in one
// call as it commits, in the order the steps made them, and none of a
// step that failed and was undone.
func TestRunDueHandsABatchSinkItsDeliveriesAtOnce(t *testing.T) {
	w := scenario(t, waitThenEmail)
	ids := dueBatch(w, 4)
	sink := &batchingSink{}
	engine := runtime.NewEngine(w.prog, refusingStore{Store: w.store, contact: ids[2]}, w.sim.Clock, sink)
	if n, err := engine.RunDue(context.Background(), 10); err != nil || n != 4 {
		t.Fatalf("RunDue = %d, %v; want 4 steps (one of them failed and parked)", n, err)
	}
	want := fmt.Sprint([][]int64{{ids[0], ids[1], ids[3]}})
	if got := fmt.Sprint(sink.batches); got != want || sink.single != 0 {
		t.Errorf("the sink got batches of contacts %s and %d single deliveries; want %s and none", got, sink.single, want)
	}
	if got := w.entries(ids[2], "day", "failed: the step could not run"); len(got) != 1 {
		t.Errorf("the refused contact's step is not parked:\n%s", w.story(ids[2]))
	}
}
