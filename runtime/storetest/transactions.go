package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

func (s *suite) transactions(t *testing.T) {
	// A step that fails half-way is rolled back: nothing it did stays,
	// not even the round-robin turn it took or a contact it deleted.
	t.Run("RollbackLeavesNothing", func(t *testing.T) {
		st := s.open(t)
		var ada, zoe int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			zoe = newContact(t, tx, "zoe@example.com").ID
			fillContact(t, tx, zoe)
			nextInTurn(t, tx, "sales", 3)
		})
		var adaBefore, zoeBefore string
		read(t, st, func(tx runtime.Tx) { adaBefore, zoeBefore = traces(t, tx, ada), traces(t, tx, zoe) })
		var bob int64
		tx := begin(t, st)
		c := loadContact(t, tx, ada)
		c.Fields["plan"], c.Tags = "pro", []string{"customer"}
		ok(t, tx.SaveContact(c), "SaveContact")
		fillContact(t, tx, ada)
		bob = newContact(t, tx, "bob@example.com").ID
		fillContact(t, tx, bob)
		nextInTurn(t, tx, "sales", 3)
		ok(t, tx.DeleteContact(zoe), "DeleteContact")
		ok(t, tx.Rollback(), "Rollback")

		read(t, st, func(tx runtime.Tx) {
			if got := traces(t, tx, ada); got != adaBefore {
				t.Errorf("a rolled-back transaction changed contact %d:\n got:\n%s want, as before it:\n%s", ada, got, adaBefore)
			}
			if got := traces(t, tx, zoe); got != zoeBefore {
				t.Errorf("a rolled-back DeleteContact(%d) lost something of the contact:\n got:\n%s want, as before it:\n%s", zoe, got, zoeBefore)
			}
			if bob != ada && bob != zoe {
				if got := traces(t, tx, bob); got != "" {
					t.Errorf("a contact created in a rolled-back transaction is in the store:\n%s", got)
				}
			}
			if got := nextInTurn(t, tx, "sales", 3); got != 1 {
				t.Errorf("NextInTurn(sales, 3) after a rolled-back transaction took a turn = %d; want 1, the turn it had taken", got)
			}
			if !markSent(t, tx, ada, "welcome") {
				t.Errorf("MarkSent(%d, welcome) = false after the transaction that marked it sent rolled back; want true", ada)
			}
		})
	})

	// The engine defers Rollback after Commit: it must not undo the commit.
	t.Run("RollbackAfterCommitKeepsTheCommit", func(t *testing.T) {
		st := s.open(t)
		tx := begin(t, st)
		id := newContact(t, tx, "ada@example.com").ID
		ok(t, tx.Commit(), "Commit")
		_ = tx.Rollback()
		read(t, st, func(tx runtime.Tx) {
			if _, err := tx.Contact(id); err != nil {
				t.Errorf("Contact(%d) after Commit and then Rollback: %v; want the committed contact", id, err)
			}
		})
	})

	for _, commit := range []bool{true, false} {
		name := "UncommittedWorkInvisibleThenCommitted"
		if !commit {
			name = "RolledBackWorkNeverSeen"
		}
		t.Run(name, func(t *testing.T) {
			st := s.open(t)
			var ada int64
			write(t, st, func(tx runtime.Tx) {
				ada = newContact(t, tx, "ada@example.com").ID
				enroll(t, tx, ada, "campaign", "welcome", runtime.StatusActive, waiting("wait_a_day", at(24*time.Hour)))
			})
			watchWhileWriting(t, st, ada, commit,
				func(tx runtime.Tx) {
					c := loadContact(t, tx, ada)
					c.Fields["plan"] = "trial" // never committed: the last save says pro
					ok(t, tx.SaveContact(c), "SaveContact")
				},
				func(tx runtime.Tx) {
					e := theEnrollment(t, tx, ada)
					e.Tokens[0].DueAt = ptr(at(time.Hour))
					e.Tokens[0].MarkChanged()
					e.AddToken(waiting("fork_b", at(2*time.Hour)))
					ok(t, tx.SaveEnrollment(e), "SaveEnrollment")
				},
				func(tx runtime.Tx) {
					bob := newContact(t, tx, "bob@example.com").ID
					enroll(t, tx, bob, "campaign", "welcome", runtime.StatusActive, waiting("wait_a_day", at(30*time.Minute)))
				},
				func(tx runtime.Tx) { fillContact(t, tx, ada) },
				func(tx runtime.Tx) {
					c := loadContact(t, tx, ada)
					c.Fields["plan"] = "pro"
					ok(t, tx.SaveContact(c), "SaveContact")
				},
			)
		})
	}

	t.Run("DeleteInvisibleUntilCommitted", func(t *testing.T) {
		st := s.open(t)
		var ada int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			fillContact(t, tx, ada)
		})
		watchWhileWriting(t, st, ada, true,
			func(tx runtime.Tx) { ok(t, tx.DeleteContact(ada), "DeleteContact") },
		)
	})
}

// watchWhileWriting runs the writes in one transaction while another
// goroutine looks at the store (contact id, and every due token and
// contact on the welcome campaign) in fresh transactions, again and again
// from after the first write until the writer's transaction has ended, and
// once more after that. Every look must see the store as it was before the
// transaction or as it was committed, never in between.
//
// A store that runs one transaction at a time (SQLite) makes the watcher
// wait for the writer; one that runs them side by side (PostgreSQL, READ
// COMMITTED or stricter) lets it look in while the writer works. A fresh
// transaction per look sees the commit under any isolation level.
func watchWhileWriting(t *testing.T, st runtime.Store, id int64, commit bool, writes ...func(tx runtime.Tx)) {
	t.Helper()
	var before string
	read(t, st, func(tx runtime.Tx) { before = view(t, tx, id) })

	tx := begin(t, st)
	writes[0](tx)
	ended := make(chan struct{})
	endWriting := sync.OnceFunc(func() { close(ended) })
	defer endWriting() // also when a write fails the test
	looks := make(chan []string, 1)
	go func() { looks <- watch(t.Context(), st, id, ended) }()

	for _, w := range writes[1:] {
		w(tx)
	}
	if commit {
		ok(t, tx.Commit(), "Commit")
	} else {
		ok(t, tx.Rollback(), "Rollback")
	}
	endWriting()

	var seen []string
	select {
	case seen = <-looks:
	case <-time.After(time.Minute):
		t.Fatalf("a transaction begun while another was open did not end within a minute of that one's end: Begin or a read hangs")
	}
	var after string
	read(t, st, func(tx runtime.Tx) { after = view(t, tx, id) })
	if !commit && after != before {
		t.Errorf("a rolled-back transaction left the store changed:\n got:\n%s want, as before it:\n%s", after, before)
	}
	for i, look := range seen {
		if look != before && look != after {
			t.Fatalf("look %d of %d, from a transaction begun while another was open, saw work that was not committed:\n%s\nbefore that transaction:\n%s\nafter it ended:\n%s",
				i+1, len(seen), look, before, after)
		}
	}
	if last := seen[len(seen)-1]; last != after {
		t.Errorf("a transaction begun after another ended does not see what that one committed:\n got:\n%s want:\n%s", last, after)
	}
}

// watch looks at the store until ended is closed, and once more after.
func watch(ctx context.Context, st runtime.Store, id int64, ended <-chan struct{}) []string {
	var seen []string
	for {
		last := false
		select {
		case <-ended:
			last = true
		default:
		}
		look, err := lookOnce(ctx, st, id)
		if err != nil {
			return append(seen, "error: "+err.Error())
		}
		seen = append(seen, look)
		if last {
			return seen
		}
	}
}

func lookOnce(ctx context.Context, st runtime.Store, id int64) (string, error) {
	tx, err := st.Begin(ctx)
	if err != nil {
		return "", fmt.Errorf("Begin: %w", err)
	}
	defer tx.Rollback()
	return snapshot(tx, id)
}

// view is snapshot for the test's own goroutine.
func view(t *testing.T, tx runtime.Tx, id int64) string {
	t.Helper()
	v, err := snapshot(tx, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// snapshot describes what a transaction sees of a contact and of the
// store's due tokens and welcome campaign. It reports errors rather than
// failing a test, as it runs off the test's goroutine too.
func snapshot(tx runtime.Tx, id int64) (string, error) {
	var b strings.Builder
	c, err := tx.Contact(id)
	switch {
	case errors.Is(err, runtime.ErrNoContact):
		b.WriteString("no contact\n")
	case err != nil:
		return "", fmt.Errorf("Contact(%d): %w", id, err)
	default:
		fmt.Fprintf(&b, "contact: %s\n", describeContact(c))
	}
	enrs, err := tx.Enrollments(id)
	if err != nil {
		return "", fmt.Errorf("Enrollments(%d): %w", id, err)
	}
	b.WriteString(describeEnrollments(enrs))
	tl, err := tx.Timeline(id)
	if err != nil {
		return "", fmt.Errorf("Timeline(%d): %w", id, err)
	}
	b.WriteString(describeTimeline(tl))
	ds, err := tx.Deliveries(id)
	if err != nil {
		return "", fmt.Errorf("Deliveries(%d): %w", id, err)
	}
	b.WriteString(describeDeliveries(ds))
	for _, kind := range recordKinds() {
		rs, err := tx.Records(id, kind)
		if err != nil {
			return "", fmt.Errorf("Records(%d, %s): %w", id, kind, err)
		}
		b.WriteString(describeRecords(rs))
	}
	due, err := tx.Due(farFuture(), 1000)
	if err != nil {
		return "", fmt.Errorf("Due: %w", err)
	}
	next, err := tx.NextDue()
	if err != nil {
		return "", fmt.Errorf("NextDue: %w", err)
	}
	on, err := tx.ContactsOn("campaign", "welcome")
	if err != nil {
		return "", fmt.Errorf("ContactsOn: %w", err)
	}
	fmt.Fprintf(&b, "due: %s\nnext due: %s\non welcome: %v\n", describeDue(due), stampPtr(next), on)
	return b.String(), nil
}
