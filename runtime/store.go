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
	// AddMarketingDelivery is MarkSent(d.ContactID, d.Asset) then, the
	// first time (first true), AddDelivery(d): a marketing email's two
	// writes, in one statement where each is a round trip.
	AddMarketingDelivery(d *Delivery) (first, stored bool, err error)

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

	// DeploymentHead is the serial of the deployment the steps run (0
	// before the first). A step reads it before anything else; on a store
	// with concurrent writers it holds it (shared) until the end of the
	// transaction, so that no apply commits under a step.
	DeploymentHead() (int64, error)
	// LockDeploymentHead reads the head for an apply, holding it
	// (exclusively) until the end of the transaction: two applies, or an
	// apply and a step, never interleave.
	LockDeploymentHead() (int64, error)
	// AddDeployment stores a deployment and moves the head to its serial.
	AddDeployment(d *Deployment) error
	// Deployment loads one deployment with its plan, or ErrNoDeployment.
	Deployment(serial int64) (*Deployment, error)
	// Deployments lists up to limit deployments, newest first, without
	// their plans.
	Deployments(limit int) ([]*Deployment, error)
	// MoveTokens moves every position on an element of a campaign or
	// sequence (in active or paused enrollments) to another element of
	// it, in one statement, and says how many it moved: a rename.
	MoveTokens(kind, name, from, to string) (int64, error)
	// AddTimelineOn adds entry (its ContactID aside) to the timeline of
	// every contact with a position on an element of a campaign or
	// sequence (in active or paused enrollments), in one statement: what
	// a set-based migration tells each contact it moved.
	AddTimelineOn(kind, name, element string, entry TimelineEntry) (int64, error)
	// EnrollmentCounts counts a campaign's (or a sequence's) enrollments
	// by status: active, paused, ended, exited (a status no enrollment
	// has is left out).
	EnrollmentCounts(kind, name string) (map[string]int, error)

	// FulfillmentPending counts a fulfillment list's pending rows and
	// says when the oldest was added.
	FulfillmentPending(list string) (FulfillmentPending, error)
	// CutFulfillmentBatch puts every pending row of a list in a new batch
	// (in one statement: a row added meanwhile is in it or still pending,
	// never lost), with the CSV's fields, and returns the batch; it
	// returns ErrNothingPending, and stores nothing, when none is pending.
	CutFulfillmentBatch(list string, fields []string, at time.Time) (*FulfillmentBatch, error)
	// SetFulfillmentBatchDelivery records the outbox delivery that mails
	// a batch.
	SetFulfillmentBatchDelivery(batchID, deliveryID int64) error
	// FulfillmentBatches lists a list's batches, newest first.
	FulfillmentBatches(list string) ([]*FulfillmentBatch, error)
	// FulfillmentBatch loads one batch, or returns ErrNoFulfillmentBatch.
	FulfillmentBatch(id int64) (*FulfillmentBatch, error)
	// FulfillmentRows lists a batch's rows, oldest first.
	FulfillmentRows(batchID int64) ([]*Record, error)

	// Memberships lists the segments a contact is a member of, by name.
	Memberships(contactID int64) ([]Membership, error)
	// JoinSegment makes the contact a member of a segment from at (a
	// member already keeps its first time); LeaveSegment ends its
	// membership, if it has one.
	JoinSegment(contactID int64, segment string, at time.Time) error
	LeaveSegment(contactID int64, segment string) error
	// SegmentSize counts a segment's members, without reading anyone
	// else's memberships.
	SegmentSize(segment string) (int, error)
}

// Membership is a contact's place in a segment, and since when.
type Membership struct {
	Segment string
	Since   time.Time
}

// ErrNoDeployment is returned for a deployment that does not exist.
var ErrNoDeployment = errors.New("no such deployment")

// Deployment is one plan version applied: its serial (one more per
// apply), hash, the plan's JSON, when and by whom (the API token's name),
// and a summary of what it changed.
type Deployment struct {
	Serial    int64
	Hash      string
	Plan      []byte
	AppliedAt time.Time
	AppliedBy string
	Summary   map[string]any
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
