package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

const waitThenEmail = `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = wait.day
  }
  wait "day" {
    for  = "1d"
    next = send_email.hello
  }
  send_email "hello" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}
`

// failingSink refuses the deliveries of one contact, as a queue that
// cannot take a job would.
type failingSink struct{ contact int64 }

func (f failingSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	if d.ContactID == f.contact {
		return errors.New("the queue refused the job")
	}
	return nil
}

// TestRunDueParksAStepThatFails: one contact whose step fails does not
// hold up the others due in the same batch; its position is parked with
// the error on its timeline, and the observer hears of every step.
func TestRunDueParksAStepThatFails(t *testing.T) {
	w := scenario(t, waitThenEmail)
	bad := w.ada()
	good := w.contact(map[string]any{"email": "grace@example.com"})
	var reports []runtime.StepReport
	engine := runtime.NewEngine(w.prog, w.store, w.sim.Clock, failingSink{contact: bad})
	engine.Observe = func(r runtime.StepReport) { reports = append(reports, r) }
	w.sim.Engine = engine
	w.tag(bad, "go")
	w.tag(good, "go")
	w.sim.Clock.Set(w.now().Add(25 * time.Hour))
	n, err := engine.RunDue(context.Background(), 10)
	if err != nil {
		t.Fatalf("RunDue: %v", err)
	}
	if n != 2 || len(reports) != 2 {
		t.Fatalf("ran %d steps, reported %d; want 2 and 2", n, len(reports))
	}
	if len(w.sent(good, "email", "receipt")) != 1 {
		t.Fatalf("the other contact did not get its email:\n%s", w.story(good))
	}
	var failed runtime.StepReport
	for _, r := range reports {
		if r.ContactID == bad {
			failed = r
		} else if r.Err != nil {
			t.Errorf("the good contact's step reported %v", r.Err)
		}
	}
	if failed.Err == nil || !strings.Contains(failed.Err.Error(), "the queue refused the job") {
		t.Fatalf("the failing step reported %v", failed.Err)
	}
	if lateness := failed.Ran.Sub(failed.Due); lateness < time.Hour {
		t.Errorf("due %v, ran %v: the report should say when it was due", failed.Due, failed.Ran)
	}
	if got := w.entries(bad, "day", "failed: the step could not run"); len(got) != 1 {
		t.Fatalf("no timeline entry says the step failed:\n%s", w.story(bad))
	}
	if len(w.deliveries(bad)) != 0 {
		t.Fatalf("the failed step left a delivery behind: %+v", w.deliveries(bad))
	}
	enr := w.enrollment(bad, "campaign", "c")
	if len(enr.Tokens) != 1 || enr.Tokens[0].State != runtime.StateFailed || enr.Tokens[0].DueAt != nil {
		t.Fatalf("the position is not parked: %+v", enr.Tokens)
	}
	if n, err := engine.RunDue(context.Background(), 10); err != nil || n != 0 {
		t.Fatalf("a parked position ran again: %d, %v", n, err)
	}
}

func TestReceiveIsIdempotentAndStoresTheEvent(t *testing.T) {
	w := scenario(t, waitThenEmail)
	id := w.ada()
	ctx := context.Background()
	ev := runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "go"}, Properties: map[string]any{"source": "web", "n": 2.0}}
	first, fresh, err := w.sim.Engine.Receive(ctx, id, ev, "key-1")
	if err != nil || !fresh || first.ID == 0 {
		t.Fatalf("first Receive: %+v, %v, %v", first, fresh, err)
	}
	again, fresh, err := w.sim.Engine.Receive(ctx, id, runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "other"}}, "key-1")
	if err != nil || fresh {
		t.Fatalf("a repeated key was handled again: %v, %v", fresh, err)
	}
	if again.ID != first.ID || again.Args["tag"] != "go" || again.Properties["source"] != "web" || again.Properties["n"] != 2.0 {
		t.Fatalf("the repeat did not get the first answer: %+v", again)
	}
	if got := w.enrollment(id, "campaign", "c"); got == nil || len(w.entries(id, "t", "")) == 0 {
		t.Fatalf("the event was not handled:\n%s", w.story(id))
	}
	if c := w.get(id); c.HasTag("other") {
		t.Fatal("the repeated request's event was applied")
	}
	// Without a key every request is its own event.
	for i := 0; i < 2; i++ {
		if _, fresh, err := w.sim.Engine.Receive(ctx, id, runtime.Event{Kind: "api", Args: map[string]string{"name": "ping"}}, ""); err != nil || !fresh {
			t.Fatalf("an event without a key: %v, %v", fresh, err)
		}
	}
}

func TestIdentifyFindsOrCreatesOnce(t *testing.T) {
	w := scenario(t, waitThenEmail)
	ctx := context.Background()
	e := w.sim.Engine
	c := runtime.NewContact(map[string]any{"email": "  Ada@Example.com "})
	id, created, err := e.Identify(ctx, runtime.ContactRef{Email: "ada@example.com"}, c)
	if err != nil || !created {
		t.Fatalf("Identify a new email: %d, %v, %v", id, created, err)
	}
	again, created, err := e.Identify(ctx, runtime.ContactRef{Email: "ADA@example.com"}, runtime.NewContact(map[string]any{"email": "ADA@example.com"}))
	if err != nil || created || again != id {
		t.Fatalf("Identify the same email again: %d (want %d), created %v, %v", again, id, created, err)
	}
	x := runtime.NewContact(map[string]any{"email": "grace@example.com"})
	x.ExternalID = "crm-7"
	xid, created, err := e.Identify(ctx, runtime.ContactRef{ExternalID: "crm-7"}, x)
	if err != nil || !created {
		t.Fatalf("Identify by external id: %v, %v", created, err)
	}
	if got, err := e.Resolve(ctx, runtime.ContactRef{ExternalID: "crm-7"}); err != nil || got != xid {
		t.Fatalf("Resolve by external id: %d, %v", got, err)
	}
	if _, err := e.Resolve(ctx, runtime.ContactRef{ID: 999}); !errors.Is(err, runtime.ErrNoContact) {
		t.Fatalf("Resolve a missing id: %v", err)
	}
	if _, _, err := e.Identify(ctx, runtime.ContactRef{ID: 999}, runtime.NewContact(nil)); !errors.Is(err, runtime.ErrNoContact) {
		t.Fatalf("Identify never creates a contact named by id: %v", err)
	}
	if got := w.entries(id, "", ""); len(got) != 0 {
		_ = got // contact_created raised no campaign entry here; nothing to check
	}
}

// TestReceiveBatchAnswersEachAsReceiveFromWould: events received in one
// batch (journey server's group commit) get, each, the answer and the
// effects ReceiveFrom would have given them one after the other: a new
// contact created once, an event that fails undone alone, a repeated key
// (of an event earlier in the same batch) changing nothing, not even the
// contact its reference would have created.
func TestReceiveBatchAnswersEachAsReceiveFromWould(t *testing.T) {
	goTag := runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "go"}}
	in := []runtime.Inbound{
		{Contact: runtime.ContactRef{Email: "ada@example.com"}, Event: goTag, Key: "k1"},
		{Contact: runtime.ContactRef{ID: 999}, Event: goTag, Key: "k2"},
		{Contact: runtime.ContactRef{Email: "grace@example.com"}, Event: goTag, Key: "k1"},
		{Contact: runtime.ContactRef{Email: "ada@example.com"}, Event: runtime.Event{Kind: "api", Args: map[string]string{"name": "ping"}}},
		{Contact: runtime.ContactRef{ExternalID: "crm-7"}, Event: goTag, Key: "k3"},
	}
	batched := scenario(t, waitThenEmail)
	got, errs, err := batched.sim.Engine.ReceiveBatch(context.Background(), in)
	if err != nil {
		t.Fatalf("ReceiveBatch: %v", err)
	}
	oneByOne := scenario(t, waitThenEmail)
	for i, ib := range in {
		want, wantErr := oneByOne.sim.Engine.ReceiveFrom(context.Background(), ib.Contact, ib.Event, ib.Key)
		if !errors.Is(errs[i], wantErr) && (errs[i] == nil || wantErr == nil || errs[i].Error() != wantErr.Error()) {
			t.Errorf("event %d: error %v, ReceiveFrom gives %v", i, errs[i], wantErr)
		}
		if got[i].Created != want.Created || got[i].Repeated != want.Repeated ||
			(want.Event == nil) != (got[i].Event == nil) ||
			(want.Event != nil && (got[i].Event.ID != want.Event.ID || got[i].Event.ContactID != want.Event.ContactID)) {
			t.Errorf("event %d: %+v, ReceiveFrom gives %+v", i, got[i], want)
		}
	}
	if !errors.Is(errs[1], runtime.ErrNoContact) {
		t.Errorf("an event for a contact id that does not exist: %v, want ErrNoContact", errs[1])
	}
	if !got[2].Repeated || got[2].Event.ID != got[0].Event.ID {
		t.Errorf("the repeated key's answer is %+v, want the first event's (%d)", got[2], got[0].Event.ID)
	}
	if _, err := batched.sim.Engine.Resolve(context.Background(), runtime.ContactRef{Email: "grace@example.com"}); !errors.Is(err, runtime.ErrNoContact) {
		t.Errorf("the repeat created the contact its reference named: %v", err)
	}
	ada := got[0].Event.ContactID
	if batched.enrollment(ada, "campaign", "c") == nil || !got[4].Created || batched.enrollment(got[4].Event.ContactID, "campaign", "c") == nil {
		t.Errorf("the batch's events were not handled:\n%s", batched.story(ada))
	}
	if a, b := batched.story(ada), oneByOne.story(ada); a != b {
		t.Errorf("the batch's timeline differs from one by one:\n%s\nwant:\n%s", a, b)
	}
}

// commitCountingStore counts the transactions its store commits.
type commitCountingStore struct {
	runtime.Store
	commits *int
}

func (s commitCountingStore) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.Store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return commitCountingTx{Tx: tx, commits: s.commits}, nil
}

type commitCountingTx struct {
	runtime.Tx
	commits *int
}

func (t commitCountingTx) Commit() error {
	err := t.Tx.Commit()
	if err == nil {
		*t.commits++
	}
	return err
}

// A batch whose events all go through is one transaction; one with an
// event that fails is each event's own, as ReceiveFrom would have had it.
func TestReceiveBatchCommitsOnceUnlessOneFails(t *testing.T) {
	w := scenario(t, waitThenEmail)
	commits := 0
	engine := runtime.NewEngine(w.prog, commitCountingStore{Store: w.store, commits: &commits}, w.sim.Clock, nil)
	goTag := runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "go"}}
	var in []runtime.Inbound
	for i := range 10 {
		in = append(in, runtime.Inbound{Contact: runtime.ContactRef{Email: fmt.Sprintf("c%d@example.com", i)}, Event: goTag, Key: fmt.Sprint("k", i)})
	}
	_, errs, err := engine.ReceiveBatch(context.Background(), in)
	if err != nil || errors.Join(errs...) != nil {
		t.Fatalf("ReceiveBatch: %v, %v", err, errs)
	}
	if commits != 1 {
		t.Errorf("ten events that go through: %d commits, want 1", commits)
	}
	commits = 0
	in[3] = runtime.Inbound{Contact: runtime.ContactRef{ID: 999}, Event: goTag}
	for i := range in {
		in[i].Key += "-again"
	}
	got, errs, err := engine.ReceiveBatch(context.Background(), in)
	if err != nil || !errors.Is(errs[3], runtime.ErrNoContact) {
		t.Fatalf("ReceiveBatch with a failing event: %v, %v", err, errs)
	}
	if commits != 9 || got[4].Event == nil || got[4].Created {
		t.Errorf("nine events beside one that fails: %d commits (want 9, each its own), event 4 %+v", commits, got[4])
	}
}
