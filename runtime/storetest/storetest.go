// Package storetest checks that a runtime.Store keeps the promises the
// engine relies on, the way testing/fstest.TestFS checks an fs.FS: every
// store (SQLite now, PostgreSQL next) passes the same suite.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) runtime.Store {
//			return openAnEmptyStore(t) // closed by t.Cleanup
//		})
//	}
//
// Each subtest is named after the promise it checks (Due/OrderedByDueAtThenTokenID,
// DeleteContact/RemovesEveryTrace...), so a failing store sees what it broke.
// Values a caller reads back are compared as encoding/json decodes them into
// an any: numbers float64, lists []any, objects map[string]any; that is what
// the engine itself writes.
package storetest

import (
	"testing"

	"github.com/journeyhq/journey/runtime"
)

// Option tunes Run.
type Option func(*suite)

// CountRows lets the suite count a contact's rows in every table of the
// store directly, by table name, with the contact's own row among them.
// DeleteContact/RemovesEveryTrace then checks that no table keeps a row of
// a deleted contact, not only none the Tx API can reach (a token without a
// due time whose enrollment is gone, say).
func CountRows(count func(t *testing.T, s runtime.Store, contactID int64) map[string]int) Option {
	return func(s *suite) { s.countRows = count }
}

type suite struct {
	// open returns a fresh, empty store for one subtest.
	open      func(t *testing.T) runtime.Store
	countRows func(t *testing.T, s runtime.Store, contactID int64) map[string]int
}

// Run checks store implementations: open must return a fresh, empty store
// on each call (and close it with t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) runtime.Store, opts ...Option) {
	s := &suite{open: open}
	for _, opt := range opts {
		opt(s)
	}
	t.Run("Contact", s.contacts)
	t.Run("Enrollment", s.enrollments)
	t.Run("ContactsOn", s.contactsOn)
	t.Run("Due", s.due)
	t.Run("NextDue", s.nextDue)
	t.Run("Timeline", s.timeline)
	t.Run("Delivery", s.deliveries)
	t.Run("MarkSent", s.markSent)
	t.Run("Record", s.records)
	t.Run("NextInTurn", s.nextInTurn)
	t.Run("DeleteContact", s.deleteContact)
	t.Run("Transaction", s.transactions)
	t.Run("Times", s.times)
	t.Run("JSON", s.json)
	t.Run("Server", s.server)
	t.Run("Deployment", s.deployments)
	t.Run("Fulfillment", s.fulfillment)
	t.Run("Segment", s.segments)
}
