package runtime

import (
	"errors"
	"time"
)

// A fulfillment list's rows are records of kind "fulfillment" named after
// the list (send_to_fulfillment adds them); journey server cuts them into
// batches, each a CSV to download or mail.

// FulfillmentKind is the kind of a fulfillment list's rows among records.
const FulfillmentKind = "fulfillment"

// The statuses of a fulfillment row: pending until a batch takes it (then
// batched, for good) or remove_from_fulfillment removes it.
const (
	RowPending = "pending"
	RowBatched = "batched"
	RowRemoved = "removed"
)

// ErrNothingPending is returned when a batch is cut from a list with no
// pending row.
var ErrNothingPending = errors.New("no pending row to put in a batch")

// ErrNoFulfillmentBatch is returned for a batch that does not exist.
var ErrNoFulfillmentBatch = errors.New("no such fulfillment batch")

// FulfillmentPending is what waits on a list: its pending rows, and when
// the oldest was added (zero when none waits).
type FulfillmentPending struct {
	Rows   int
	Oldest time.Time
}

// FulfillmentBatch is a set of a list's rows cut together: one CSV.
type FulfillmentBatch struct {
	ID   int64
	List string
	// Fields are the CSV's columns after contact_id: the list's fields as
	// the plan gave them when the batch was cut, so that the CSV mailed
	// and the one downloaded later are the same file.
	Fields []string
	// Rows is how many rows the batch took. A contact deleted since takes
	// its row out of the batch's CSV with it.
	Rows      int
	CreatedAt time.Time
	// DeliveryID is the outbox delivery that mails the batch (0: none, the
	// list has no deliver_to); MailedAt is when that delivery was sent.
	DeliveryID int64
	MailedAt   *time.Time
}
