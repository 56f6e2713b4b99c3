package runtime

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
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

// FulfillmentList is a declared fulfillment list as journey server works
// it.
type FulfillmentList struct {
	Name string
	// Fields are the CSV's columns after contact_id, in the plan's order.
	Fields []string
	// DeliverTo is the address that gets each batch ("" for none: the
	// batches are downloaded). DeliverToUser names the user it came from,
	// when deliver_to is a user.
	DeliverTo, DeliverToUser string
	// MinSize and MaxAge are the batch rule (0 and nil when not set): a
	// batch is cut when this many rows wait, or when the oldest has waited
	// this long. A list with neither is cut only by hand.
	MinSize int
	MaxAge  *plan.Duration
}

// HasBatchRule says whether batches of the list are cut without asking.
func (l *FulfillmentList) HasBatchRule() bool { return l.MinSize > 0 || l.MaxAge != nil }

// FulfillmentLists lists the plan's fulfillment lists by name.
func (p *Program) FulfillmentLists() []*FulfillmentList {
	names := slices.Sorted(maps.Keys(p.assets.FulfillmentList))
	out := make([]*FulfillmentList, 0, len(names))
	for _, name := range names {
		out = append(out, p.FulfillmentList(name))
	}
	return out
}

// FulfillmentList returns a declared fulfillment list, or nil.
func (p *Program) FulfillmentList(name string) *FulfillmentList {
	declared := p.assets.FulfillmentList[name]
	if declared == nil {
		return nil
	}
	l := &FulfillmentList{Name: name, Fields: slices.Clone(declared.Fields)}
	if to := declared.DeliverTo; to != nil {
		l.DeliverTo, l.DeliverToUser = p.userOrAddress(*to), to.User
	}
	if b := declared.Batch; b != nil {
		// A size of 2.5 rows is reached with 3.
		l.MinSize, l.MaxAge = int(math.Ceil(b.MinSize)), b.MaxAge
	}
	return l
}

// BatchDue says whether what waits on a list makes a batch due at now, and
// why, in words for the log. max_age counts days as the calendar days of
// the account's time zone, as waits do.
func (p *Program) BatchDue(l *FulfillmentList, pending FulfillmentPending, now time.Time) (bool, string) {
	if pending.Rows == 0 {
		return false, ""
	}
	if l.MinSize > 0 && pending.Rows >= l.MinSize {
		return true, fmt.Sprintf("%d rows wait (min_size %d)", pending.Rows, l.MinSize)
	}
	if l.MaxAge != nil {
		due := addDays(pending.Oldest, p.accountLoc, l.MaxAge.Days).Add(time.Duration(l.MaxAge.Minutes) * time.Minute)
		if !now.Before(due) {
			return true, fmt.Sprintf("the oldest row has waited since %s (max_age %s)",
				pending.Oldest.In(p.accountLoc).Format("2006-01-02 15:04 MST"), l.MaxAge)
		}
	}
	return false, ""
}
