package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Fulfillment batches are the server's, cut every minute or by hand, never
// on a step's path: their statements run as plain SQL rather than
// prepared with the step's.

// FulfillmentPending counts a list's pending rows (records_list answers
// it).
func (t *Tx) FulfillmentPending(list string) (runtime.FulfillmentPending, error) {
	var p runtime.FulfillmentPending
	var oldest sql.NullInt64
	err := t.tx.QueryRowContext(t.ctx, t.s.Rebind(`SELECT COUNT(*), MIN(created_at) FROM records WHERE kind = ? AND name = ? AND status = ?`),
		runtime.FulfillmentKind, list, runtime.RowPending).Scan(&p.Rows, &oldest)
	if err != nil {
		return p, err
	}
	if oldest.Valid {
		p.Oldest = fromUnix(oldest.Int64)
	}
	return p, nil
}

// CutFulfillmentBatch moves every pending row of the list into a new
// batch with one UPDATE.
func (t *Tx) CutFulfillmentBatch(list string, fields []string, at time.Time) (*runtime.FulfillmentBatch, error) {
	columns, err := encodeJSON(nonNilList(fields))
	if err != nil {
		return nil, err
	}
	b := &runtime.FulfillmentBatch{List: list, Fields: nonNilList(fields), CreatedAt: fromUnix(unix(at))}
	err = t.tx.QueryRowContext(t.ctx, t.s.Rebind(`INSERT INTO fulfillment_batches (list, fields, created_at) VALUES (?, ?, ?) RETURNING id`),
		list, columns, unix(at)).Scan(&b.ID)
	if err != nil {
		return nil, err
	}
	res, err := t.tx.ExecContext(t.ctx, t.s.Rebind(`UPDATE records SET status = ?, batch_id = ? WHERE kind = ? AND name = ? AND status = ?`),
		runtime.RowBatched, b.ID, runtime.FulfillmentKind, list, runtime.RowPending)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if _, err := t.tx.ExecContext(t.ctx, t.s.Rebind(`DELETE FROM fulfillment_batches WHERE id = ?`), b.ID); err != nil {
			return nil, err
		}
		return nil, runtime.ErrNothingPending
	}
	b.Rows = int(n)
	if _, err := t.tx.ExecContext(t.ctx, t.s.Rebind(`UPDATE fulfillment_batches SET row_count = ? WHERE id = ?`), n, b.ID); err != nil {
		return nil, err
	}
	return b, nil
}

// SetFulfillmentBatchDelivery records the delivery that mails a batch.
func (t *Tx) SetFulfillmentBatchDelivery(batchID, deliveryID int64) error {
	res, err := t.tx.ExecContext(t.ctx, t.s.Rebind(`UPDATE fulfillment_batches SET delivery_id = ? WHERE id = ?`), deliveryID, batchID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return runtime.ErrNoFulfillmentBatch
	}
	return err
}

// batchColumns are a batch's columns with its delivery's sent_at
// (scanBatch).
const batchColumns = `SELECT b.id, b.list, b.fields, b.row_count, b.created_at, COALESCE(b.delivery_id, 0), d.sent_at
	FROM fulfillment_batches b LEFT JOIN deliveries d ON d.id = b.delivery_id`

// FulfillmentBatches lists a list's batches, newest first.
func (t *Tx) FulfillmentBatches(list string) ([]*runtime.FulfillmentBatch, error) {
	rows, err := t.tx.QueryContext(t.ctx, t.s.Rebind(batchColumns+` WHERE b.list = ? ORDER BY b.id DESC`), list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*runtime.FulfillmentBatch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// FulfillmentBatch loads one batch.
func (t *Tx) FulfillmentBatch(id int64) (*runtime.FulfillmentBatch, error) {
	b, err := scanBatch(t.tx.QueryRowContext(t.ctx, t.s.Rebind(batchColumns+` WHERE b.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, runtime.ErrNoFulfillmentBatch
	}
	return b, err
}

func scanBatch(row interface{ Scan(...any) error }) (*runtime.FulfillmentBatch, error) {
	b := &runtime.FulfillmentBatch{}
	var fields string
	var created int64
	var sent sql.NullInt64
	if err := row.Scan(&b.ID, &b.List, &fields, &b.Rows, &created, &b.DeliveryID, &sent); err != nil {
		return nil, err
	}
	b.CreatedAt = fromUnix(created)
	if sent.Valid {
		at := fromUnix(sent.Int64)
		b.MailedAt = &at
	}
	if err := json.Unmarshal([]byte(fields), &b.Fields); err != nil {
		return nil, fmt.Errorf("fulfillment batch %d: its fields: %w", b.ID, err)
	}
	return b, nil
}

// FulfillmentRows lists a batch's rows, oldest first (records_batch).
func (t *Tx) FulfillmentRows(batchID int64) ([]*runtime.Record, error) {
	rows, err := t.tx.QueryContext(t.ctx, t.s.Rebind(`SELECT id, contact_id, name, status, at, data, created_at FROM records
		WHERE batch_id = ? ORDER BY created_at, id`), batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*runtime.Record
	for rows.Next() {
		r := &runtime.Record{Kind: runtime.FulfillmentKind}
		var at sql.NullInt64
		var data string
		var created int64
		if err := rows.Scan(&r.ID, &r.ContactID, &r.Name, &r.Status, &at, &data, &created); err != nil {
			return nil, err
		}
		if at.Valid {
			a := fromUnix(at.Int64)
			r.At = &a
		}
		r.CreatedAt = fromUnix(created)
		if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
