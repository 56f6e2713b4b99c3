package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// What journey server asks of a store for fulfillment lists: the rows a
// list has waiting, batches cut from them at once, and a batch's rows.

// addRow adds a row to a fulfillment list, as send_to_fulfillment does.
func addRow(t *testing.T, tx runtime.Tx, contactID int64, list string, added time.Time, data map[string]any) *runtime.Record {
	t.Helper()
	return addRecord(t, tx, &runtime.Record{ContactID: contactID, Kind: runtime.FulfillmentKind, Name: list,
		Status: runtime.RowPending, Data: data, CreatedAt: added})
}

func pendingOf(t *testing.T, tx runtime.Tx, list string) runtime.FulfillmentPending {
	t.Helper()
	p, err := tx.FulfillmentPending(list)
	ok(t, err, "FulfillmentPending(%s)", list)
	return p
}

func cut(t *testing.T, tx runtime.Tx, list string, fields []string, tm time.Time) *runtime.FulfillmentBatch {
	t.Helper()
	b, err := tx.CutFulfillmentBatch(list, fields, tm)
	ok(t, err, "CutFulfillmentBatch(%s)", list)
	if b == nil || b.ID == 0 {
		t.Fatalf("CutFulfillmentBatch(%s) = %+v; want a batch with its ID set", list, b)
	}
	return b
}

func batchRows(t *testing.T, tx runtime.Tx, batchID int64) []*runtime.Record {
	t.Helper()
	rs, err := tx.FulfillmentRows(batchID)
	ok(t, err, "FulfillmentRows(%d)", batchID)
	return rs
}

func describeBatch(b *runtime.FulfillmentBatch) string {
	return fmt.Sprintf("id=%d list=%q fields=%q rows=%d created=%s delivery=%d mailed=%s",
		b.ID, b.List, b.Fields, b.Rows, stamp(b.CreatedAt), b.DeliveryID, stampPtr(b.MailedAt))
}

func describeBatches(bs []*runtime.FulfillmentBatch) string {
	var b strings.Builder
	for _, batch := range bs {
		b.WriteString(describeBatch(batch) + "\n")
	}
	return b.String()
}

func rowIDs(rs []*runtime.Record) []int64 {
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

func (s *suite) fulfillment(t *testing.T) {
	t.Run("Pending/OnlyTheListsPendingRows", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			ada := newContact(t, tx, "ada@example.com").ID
			bob := newContact(t, tx, "bob@example.com").ID
			addRow(t, tx, ada, "welcome_kits", at(2*time.Hour), nil)
			addRow(t, tx, bob, "welcome_kits", at(time.Hour), nil)
			removed := addRow(t, tx, bob, "welcome_kits", at(-time.Hour), nil)
			removed.Status = runtime.RowRemoved
			ok(t, tx.UpdateRecord(removed), "UpdateRecord(removed row)")
			addRow(t, tx, ada, "badges", at(-2*time.Hour), nil)
			addRecord(t, tx, &runtime.Record{ContactID: ada, Kind: "task", Name: "welcome_kits", Status: runtime.RowPending, CreatedAt: at(-3 * time.Hour)})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := pendingOf(t, tx, "welcome_kits"); got.Rows != 2 || !got.Oldest.Equal(at(time.Hour)) {
				t.Errorf("FulfillmentPending(welcome_kits) = %d rows, oldest %s; want 2, oldest %s (a removed row, another list's and a task of the same name do not count)",
					got.Rows, stamp(got.Oldest), stamp(at(time.Hour)))
			}
			if got := pendingOf(t, tx, "nobody_uses"); got.Rows != 0 || !got.Oldest.IsZero() {
				t.Errorf("FulfillmentPending of a list without rows = %+v; want 0 rows and a zero Oldest", got)
			}
		})
	})

	t.Run("Cut/TakesEveryPendingRowOldestFirst", func(t *testing.T) {
		st := s.open(t)
		var want []int64
		var batch *runtime.FulfillmentBatch
		write(t, st, func(tx runtime.Tx) {
			ada := newContact(t, tx, "ada@example.com").ID
			bob := newContact(t, tx, "bob@example.com").ID
			// Added out of time order: the batch's rows come by the time
			// they were added, then by id.
			late := addRow(t, tx, ada, "welcome_kits", at(3*time.Hour), map[string]any{"first_name": "Ada"})
			early := addRow(t, tx, bob, "welcome_kits", at(time.Hour), map[string]any{"first_name": "Bob", "tags": []any{"vip", "lead"}})
			same := addRow(t, tx, ada, "welcome_kits", at(time.Hour), map[string]any{"first_name": "Ada again"})
			addRow(t, tx, bob, "badges", at(0), nil)
			want = []int64{early.ID, same.ID, late.ID}
			batch = cut(t, tx, "welcome_kits", []string{"first_name", "tags"}, at(4*time.Hour))
		})
		if batch.Rows != 3 || batch.List != "welcome_kits" || !batch.CreatedAt.Equal(at(4*time.Hour)) {
			t.Errorf("CutFulfillmentBatch returned %s; want 3 rows of welcome_kits cut at %s", describeBatch(batch), stamp(at(4*time.Hour)))
		}
		read(t, st, func(tx runtime.Tx) {
			rows := batchRows(t, tx, batch.ID)
			if got := rowIDs(rows); !slices.Equal(got, want) {
				t.Errorf("FulfillmentRows(%d) = rows %v; want %v, oldest first (by the time added, then id)", batch.ID, got, want)
			}
			for _, r := range rows {
				if r.Status != runtime.RowBatched || r.Kind != runtime.FulfillmentKind || r.ContactID == 0 {
					t.Errorf("a row of the batch reads %s; want kind fulfillment, status batched and its contact", describeRecord(r))
				}
			}
			if len(rows) == 3 && !sameValue(rows[0].Data, map[string]any{"first_name": "Bob", "tags": []any{"vip", "lead"}}) {
				t.Errorf("the batch's first row has data %v; want the row's data as added", rows[0].Data)
			}
			if got := pendingOf(t, tx, "welcome_kits"); got.Rows != 0 {
				t.Errorf("after the cut, FulfillmentPending(welcome_kits) = %d rows; want 0: the batch took them", got.Rows)
			}
			if got := pendingOf(t, tx, "badges"); got.Rows != 1 {
				t.Errorf("cutting welcome_kits left badges with %d pending rows; want 1", got.Rows)
			}
			stored, err := tx.FulfillmentBatch(batch.ID)
			ok(t, err, "FulfillmentBatch(%d)", batch.ID)
			if describeBatch(stored) != describeBatch(batch) {
				t.Errorf("FulfillmentBatch(%d) =\n %s\nwant what the cut returned:\n %s", batch.ID, describeBatch(stored), describeBatch(batch))
			}
		})
	})

	t.Run("Cut/NothingPendingStoresNothing", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			ada := newContact(t, tx, "ada@example.com").ID
			r := addRow(t, tx, ada, "welcome_kits", at(0), nil)
			r.Status = runtime.RowRemoved
			ok(t, tx.UpdateRecord(r), "UpdateRecord(removed row)")
			b, err := tx.CutFulfillmentBatch("welcome_kits", []string{"first_name"}, at(time.Hour))
			if !errors.Is(err, runtime.ErrNothingPending) {
				t.Errorf("CutFulfillmentBatch of a list whose only row was removed = %+v, %v; want ErrNothingPending", b, err)
			}
			bs, err := tx.FulfillmentBatches("welcome_kits")
			ok(t, err, "FulfillmentBatches(welcome_kits)")
			if len(bs) != 0 {
				t.Errorf("a cut with nothing pending left batches:\n%s", describeBatches(bs))
			}
		})
	})

	t.Run("Cut/RowsAddedLaterGoInTheNextBatch", func(t *testing.T) {
		st := s.open(t)
		var first, second *runtime.FulfillmentBatch
		var ada int64
		var later *runtime.Record
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			addRow(t, tx, ada, "welcome_kits", at(0), nil)
			first = cut(t, tx, "welcome_kits", []string{"first_name"}, at(time.Hour))
		})
		write(t, st, func(tx runtime.Tx) {
			later = addRow(t, tx, ada, "welcome_kits", at(2*time.Hour), nil)
			second = cut(t, tx, "welcome_kits", []string{"first_name", "city"}, at(3*time.Hour))
		})
		read(t, st, func(tx runtime.Tx) {
			if got := rowIDs(batchRows(t, tx, second.ID)); !slices.Equal(got, []int64{later.ID}) {
				t.Errorf("the second batch has rows %v; want only the row added after the first cut (%d)", got, later.ID)
			}
			if got := len(batchRows(t, tx, first.ID)); got != 1 {
				t.Errorf("the first batch has %d rows after the second cut; want its 1", got)
			}
			bs, err := tx.FulfillmentBatches("welcome_kits")
			ok(t, err, "FulfillmentBatches(welcome_kits)")
			want := describeBatches([]*runtime.FulfillmentBatch{second, first})
			if describeBatches(bs) != want {
				t.Errorf("FulfillmentBatches(welcome_kits) =\n%swant newest first, each with its own fields:\n%s", describeBatches(bs), want)
			}
			if second.ID <= first.ID {
				t.Errorf("the second batch's id %d is not above the first's %d", second.ID, first.ID)
			}
			records := recordsOf(t, tx, ada, runtime.FulfillmentKind)
			for _, r := range records {
				if r.Status != runtime.RowBatched {
					t.Errorf("Records(%d, fulfillment) after both cuts has %s; want every row batched", ada, describeRecord(r))
				}
			}
		})
	})

	t.Run("Batch/UnknownIsErrNoFulfillmentBatch", func(t *testing.T) {
		st := s.open(t)
		read(t, st, func(tx runtime.Tx) {
			if b, err := tx.FulfillmentBatch(42); !errors.Is(err, runtime.ErrNoFulfillmentBatch) {
				t.Errorf("FulfillmentBatch(42) in an empty store = %+v, %v; want ErrNoFulfillmentBatch", b, err)
			}
			if err := tx.SetFulfillmentBatchDelivery(42, 1); !errors.Is(err, runtime.ErrNoFulfillmentBatch) {
				t.Errorf("SetFulfillmentBatchDelivery(42, 1) in an empty store = %v; want ErrNoFulfillmentBatch", err)
			}
			if rows := batchRows(t, tx, 42); len(rows) != 0 {
				t.Errorf("FulfillmentRows(42) in an empty store = %s; want none", describeRecords(rows))
			}
		})
	})

	t.Run("Batch/MailedWhenItsDeliveryIsSent", func(t *testing.T) {
		st := s.open(t)
		var batch *runtime.FulfillmentBatch
		var mail *runtime.Delivery
		write(t, st, func(tx runtime.Tx) {
			ada := newContact(t, tx, "ada@example.com").ID
			addRow(t, tx, ada, "welcome_kits", at(0), nil)
			batch = cut(t, tx, "welcome_kits", []string{"first_name"}, at(time.Hour))
			// The batch's email belongs to no contact.
			mail = &runtime.Delivery{Kind: "fulfillment_email", Asset: "welcome_kits", Key: fmt.Sprintf("fulfillment/welcome_kits/%d", batch.ID),
				Payload: map[string]any{"to": "sam@example.com"}, Status: runtime.DeliveryPending, CreatedAt: at(time.Hour)}
			addDelivery(t, tx, mail)
			ok(t, tx.SetFulfillmentBatchDelivery(batch.ID, mail.ID), "SetFulfillmentBatchDelivery")
		})
		read(t, st, func(tx runtime.Tx) {
			b, err := tx.FulfillmentBatch(batch.ID)
			ok(t, err, "FulfillmentBatch(%d)", batch.ID)
			if b.DeliveryID != mail.ID || b.MailedAt != nil {
				t.Errorf("a batch whose email waits reads %s; want delivery %d and no mailed time", describeBatch(b), mail.ID)
			}
		})
		write(t, st, func(tx runtime.Tx) {
			mail.Status, mail.SentAt, mail.UpdatedAt = runtime.DeliverySent, ptr(at(90*time.Minute)), at(90*time.Minute)
			ok(t, tx.UpdateDelivery(mail), "UpdateDelivery(sent)")
		})
		read(t, st, func(tx runtime.Tx) {
			bs, err := tx.FulfillmentBatches("welcome_kits")
			ok(t, err, "FulfillmentBatches(welcome_kits)")
			if len(bs) != 1 || bs[0].MailedAt == nil || !bs[0].MailedAt.Equal(at(90*time.Minute)) {
				t.Errorf("after its email was sent, FulfillmentBatches lists\n%swant it mailed at %s", describeBatches(bs), stamp(at(90*time.Minute)))
			}
		})
	})

	t.Run("DeleteContact/TakesItsRowOutOfTheBatch", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		var batch *runtime.FulfillmentBatch
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			addRow(t, tx, ada, "welcome_kits", at(0), map[string]any{"first_name": "Ada"})
			addRow(t, tx, bob, "welcome_kits", at(0), map[string]any{"first_name": "Bob"})
			batch = cut(t, tx, "welcome_kits", []string{"first_name"}, at(time.Hour))
		})
		write(t, st, func(tx runtime.Tx) { ok(t, tx.DeleteContact(ada), "DeleteContact(%d)", ada) })
		read(t, st, func(tx runtime.Tx) {
			rows := batchRows(t, tx, batch.ID)
			if len(rows) != 1 || rows[0].ContactID != bob {
				t.Errorf("after contact %d was deleted, its batch's rows are\n%swant only contact %d's", ada, describeRecords(rows), bob)
			}
			b, err := tx.FulfillmentBatch(batch.ID)
			ok(t, err, "FulfillmentBatch(%d)", batch.ID)
			if b.Rows != 2 {
				t.Errorf("the batch's row count became %d; want the 2 it was cut with", b.Rows)
			}
		})
	})
}
