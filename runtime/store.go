package runtime

import (
	"context"
	"errors"
	"time"
)

// Store keeps the runtime's state. Every engine step runs in one Tx: the
// contact's new position, its next wait, its timeline and the deliveries it
// caused commit together or not at all.
type Store interface {
	Begin(ctx context.Context) (Tx, error)
}

// ErrNoContact is returned for a contact that does not exist (or was
// deleted).
var ErrNoContact = errors.New("no such contact")

// Tx is one transaction of a Store.
type Tx interface {
	Commit() error
	Rollback() error

	// CreateContact stores a new contact and sets its ID.
	CreateContact(c *Contact) error
	// Contact loads a contact, or returns ErrNoContact.
	Contact(id int64) (*Contact, error)
	SaveContact(c *Contact) error
	// DeleteContact removes the contact and every trace of it.
	DeleteContact(id int64) error

	// Enrollments loads a contact's enrollments with their tokens.
	Enrollments(contactID int64) ([]*Enrollment, error)
	// SaveEnrollment writes an enrollment and its tokens: new ones are
	// inserted (IDs set), changed ones updated, removed ones deleted.
	SaveEnrollment(e *Enrollment) error

	AddTimeline(entries []TimelineEntry) error
	// AddDelivery stores a delivery in the outbox and sets its ID; a
	// delivery whose Key exists already is not stored again (false).
	AddDelivery(d *Delivery) (bool, error)
	// MarkSent records a marketing email as sent to the contact, reporting
	// false when it had been sent before.
	MarkSent(contactID int64, email string) (bool, error)

	AddRecord(r *Record) error
	UpdateRecord(r *Record) error
	Records(contactID int64, kind string) ([]*Record, error)
	// NextInTurn returns the next index (0..n-1) of a round-robin router.
	NextInTurn(router string, n int) (int, error)

	// ContactsOn lists the contacts with an active or paused enrollment in a
	// campaign or sequence.
	ContactsOn(kind, name string) ([]int64, error)

	// Timeline lists a contact's timeline, oldest first.
	Timeline(contactID int64) ([]TimelineEntry, error)
	// Deliveries lists a contact's deliveries, oldest first.
	Deliveries(contactID int64) ([]*Delivery, error)

	// Due lists up to limit tokens due at or before t, earliest first.
	Due(t time.Time, limit int) ([]DueToken, error)
	// NextDue is the earliest due time of any token, or nil.
	NextDue() (*time.Time, error)

	// Savepoint marks the transaction's state; RollbackTo undoes what
	// happened after the mark (and keeps the mark), Release forgets it. A
	// batch of steps uses one per step, so that a step that fails does not
	// take the others with it.
	Savepoint() error
	RollbackTo() error
	Release() error

	// AddEvent stores an event that came from outside and sets its ID. An
	// event whose Key exists already is not stored again: e is filled with
	// the stored one, and AddEvent reports false.
	AddEvent(e *StoredEvent) (bool, error)
	// ContactByEmail and ContactByExternalID find a contact (the email
	// compared lower-cased and trimmed), or return ErrNoContact.
	ContactByEmail(email string) (int64, error)
	ContactByExternalID(id string) (int64, error)

	// Delivery loads one delivery of the outbox, or returns ErrNoDelivery.
	Delivery(id int64) (*Delivery, error)
	// UpdateDelivery writes a delivery's status and what its last attempt
	// learned (Attempts, LastError, MessageID, Response*, SentAt).
	UpdateDelivery(d *Delivery) error
	// ListDeliveries lists the outbox, oldest first, as the filter says.
	ListDeliveries(f DeliveryFilter) ([]*Delivery, error)
	// ElementCounts counts the positions of contacts on a campaign's (or a
	// sequence's) elements: what a campaign map shows on each element.
	ElementCounts(kind, name string) ([]ElementCount, error)
	// EnrollmentCounts counts a campaign's (or a sequence's) enrollments
	// by status: active, paused, ended, exited (a status no enrollment
	// has is left out).
	EnrollmentCounts(kind, name string) (map[string]int, error)
}

// ErrNoDelivery is returned for a delivery that does not exist.
var ErrNoDelivery = errors.New("no such delivery")

// StoredEvent is an event as it came from outside: its contact, kind,
// arguments (what it names: a tag, a form...), properties, and the
// client's idempotency key ("" for none).
type StoredEvent struct {
	ID         int64
	ContactID  int64
	Kind       string
	Args       map[string]string
	Properties map[string]any
	Key        string
	ReceivedAt time.Time
}

// DeliveryFilter selects deliveries of the outbox; a zero field does not
// filter. AfterID pages: only deliveries with a greater ID.
type DeliveryFilter struct {
	Status    string
	Kind      string
	ContactID int64
	AfterID   int64
	Limit     int
}

// ElementCount is how many contacts stand on one element, by the state of
// their position there (waiting, awaiting, holding, stopped, paused...).
type ElementCount struct {
	Element string
	State   string
	Count   int
}

// DueToken names a token that is due.
type DueToken struct {
	ContactID int64
	TokenID   int64
	DueAt     time.Time
}
