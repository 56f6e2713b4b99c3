package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// patience bounds every wait of these tests: reaching it fails the test.
const patience = time.Minute

// Two transactions creating the same new contact at once (two events for
// a new email, on two nodes) make one contact: the second's lookup waits
// for the first to commit, and finds its contact.
func TestConcurrentLookupsOfANewContactFindTheOneCreated(t *testing.T) {
	t.Parallel()
	for _, by := range []string{"email", "external id"} {
		t.Run(by, func(t *testing.T) {
			t.Parallel()
			url := pgtest.NewURL(t)
			first, second := pgtest.Open(t, url), pgtest.Open(t, url)
			ctx := context.Background()
			lookup := func(tx runtime.Tx) (int64, error) {
				if by == "email" {
					return tx.ContactByEmail("Ada@Example.com")
				}
				return tx.ContactByExternalID("crm-1")
			}
			tx1, err := first.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx1.Rollback()
			if _, err := lookup(tx1); !errors.Is(err, runtime.ErrNoContact) {
				t.Fatalf("the first lookup: %v, want ErrNoContact", err)
			}
			ada := &runtime.Contact{ExternalID: "crm-1", Fields: map[string]any{"email": "ada@example.com"}, CreatedAt: time.Unix(1781082000, 0)}
			if err := tx1.CreateContact(ada); err != nil {
				t.Fatal(err)
			}

			type found struct {
				id  int64
				err error
			}
			done := make(chan found, 1)
			go func() {
				tx2, err := second.Begin(ctx)
				if err != nil {
					done <- found{err: err}
					return
				}
				defer tx2.Rollback()
				id, err := lookup(tx2)
				done <- found{id, err}
			}()
			// The second lookup waits for the first transaction's lock, or
			// (without one) answers at once.
			deadline := time.Now().Add(patience)
			for waitingLocks(t, first) == 0 {
				select {
				case got := <-done:
					t.Fatalf("a lookup while another transaction creates the contact answered %d, %v before that one committed; want it to wait and find the contact", got.id, got.err)
				default:
				}
				if time.Now().After(deadline) {
					t.Fatalf("the second lookup neither waited nor answered within %s", patience)
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := tx1.Commit(); err != nil {
				t.Fatal(err)
			}
			select {
			case got := <-done:
				if got.err != nil || got.id != ada.ID {
					t.Errorf("the second lookup, once the first transaction committed: %d, %v; want contact %d", got.id, got.err, ada.ID)
				}
			case <-time.After(patience):
				t.Fatalf("the second lookup did not answer within %s of the first transaction's commit", patience)
			}
		})
	}
}

// waitingLocks counts the sessions waiting for a lock on the database.
func waitingLocks(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE NOT l.granted AND a.datname = current_database()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A node wakes the others: every listener hears each notification, with
// its sender.
func TestNotifyReachesEveryListener(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	listener, sender := pgtest.Open(t, url), pgtest.Open(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready, heard, ended := make(chan struct{}), make(chan string, 10), make(chan error, 1)
	go func() {
		ended <- listener.Listen(ctx, func() { close(ready) }, func(from string) { heard <- from })
	}()
	select {
	case <-ready:
	case err := <-ended:
		t.Fatalf("Listen ended before it listened: %v", err)
	case <-time.After(patience):
		t.Fatalf("Listen did not listen within %s", patience)
	}
	for _, from := range []string{"node-a", "node-b"} {
		if err := sender.Notify(ctx, from); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-heard:
			if got != from {
				t.Errorf("heard a wake-up from %q, want %q", got, from)
			}
		case <-time.After(patience):
			t.Fatalf("no wake-up heard within %s of %s's", patience, from)
		}
	}
	cancel()
	select {
	case err := <-ended:
		if err != nil {
			t.Errorf("Listen ended with %v when its context ended; want nil", err)
		}
	case <-time.After(patience):
		t.Fatalf("Listen did not end within %s of its context", patience)
	}
}
