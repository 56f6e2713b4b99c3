package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// batchPatience bounds the waits of these tests: a hang fails them.
const batchPatience = 30 * time.Second

// The events that come while a batch runs go together in the next one,
// and each request gets its own answer: its event's, its own error, or
// the batch's error when the transaction fails.
func TestGroupCommitBatchesTheEventsThatWaitAndAnswersEach(t *testing.T) {
	release := make(chan struct{})
	var batches [][]string
	var g *groupCommit
	g = &groupCommit{receive: func(ctx context.Context, in []runtime.Inbound) ([]runtime.Received, []error, error) {
		var keys []string
		got, errs := make([]runtime.Received, len(in)), make([]error, len(in))
		for i, ib := range in {
			keys = append(keys, ib.Key)
			got[i] = runtime.Received{Event: &runtime.StoredEvent{Key: ib.Key}}
			if ib.Key == "bad" {
				errs[i] = errors.New("this event's own failure")
			}
		}
		batches = append(batches, keys)
		if len(batches) == 1 {
			<-release // the first batch runs while the others come
		}
		if len(batches) == 3 {
			return nil, nil, errors.New("the commit failed")
		}
		return got, errs, nil
	}}
	type answer struct {
		key string
		got runtime.Received
		err error
	}
	answers := make(chan answer, 10)
	send := func(key string) {
		got, err := g.Receive(context.Background(), runtime.Inbound{Key: key})
		answers <- answer{key, got, err}
	}
	go send("first")
	waitFor(t, "the first batch to run", func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.running && len(g.waiting) == 0 })
	for i := range 5 {
		go send(fmt.Sprint("k", i))
	}
	go send("bad")
	waitFor(t, "six events to wait", func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.waiting) == 6 })
	close(release)
	got := map[string]answer{}
	for range 7 {
		select {
		case a := <-answers:
			got[a.key] = a
		case <-time.After(batchPatience):
			t.Fatalf("answered %d of 7 events within %s", len(got), batchPatience)
		}
	}
	if len(batches) != 2 || len(batches[0]) != 1 || len(batches[1]) != 6 {
		t.Fatalf("batches %q; want the first event alone, then the six that waited together", batches)
	}
	for key, a := range got {
		switch {
		case key == "bad" && (a.err == nil || a.err.Error() != "this event's own failure"):
			t.Errorf("the failing event's answer: %v", a.err)
		case key != "bad" && (a.err != nil || a.got.Event.Key != key):
			t.Errorf("event %s answered %+v, %v; want its own event", key, a.got.Event, a.err)
		}
	}
	// Alone, an event runs at once; a failed commit fails its events.
	if _, err := g.Receive(context.Background(), runtime.Inbound{Key: "late"}); err == nil || err.Error() != "the commit failed" {
		t.Errorf("an event whose commit failed: %v", err)
	}
	if _, err := g.Receive(context.Background(), runtime.Inbound{Key: "again"}); err != nil {
		t.Errorf("the next event after a failed commit: %v", err)
	}
	// A request whose client has gone is not run.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Receive(gone, runtime.Inbound{Key: "gone"}); !errors.Is(err, context.Canceled) {
		t.Errorf("an event whose client went away: %v", err)
	}
	if last := batches[len(batches)-1]; len(last) != 1 || last[0] != "again" {
		t.Errorf("the last batch ran %q; the gone client's event must not run", last)
	}
}

// Many clients at once, some repeating each other's Idempotency-Keys:
// every event stored once, every answer its own or its key's first.
func TestConcurrentEventsEachAnsweredAsAlone(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	const clients, keys = 40, 10
	type answer struct {
		got *api.EventAccepted
		err error
	}
	answers := make([]answer, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			got, err := ts.client.SendEvent(context.Background(), api.Event{
				Contact: api.ContactRef{Email: fmt.Sprintf("c%d@example.com", i%keys)}, Type: "tag_added",
				Args: map[string]string{"tag": "attended"}}, fmt.Sprint("key-", i%keys))
			answers[i] = answer{got, err}
		})
	}
	wg.Wait()
	for i, a := range answers {
		if a.err != nil {
			t.Fatalf("client %d: %v", i, a.err)
		}
		if first := answers[i%keys]; a.got.EventID != first.got.EventID || a.got.ContactID != first.got.ContactID {
			t.Errorf("client %d got %+v; its key's first answer is %+v", i, a.got, first.got)
		}
	}
	stats, err := ts.client.CampaignStats(context.Background(), "webinar")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Enrolled.Active != keys {
		t.Errorf("%d contacts enrolled; want %d, one per key", stats.Enrolled.Active, keys)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(batchPatience); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", batchPatience, what)
		}
	}
}
