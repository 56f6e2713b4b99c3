package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Tx is one transaction.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
}

// Commit commits.
func (t *Tx) Commit() error { return t.tx.Commit() }

// Rollback rolls back (a no-op after Commit).
func (t *Tx) Rollback() error {
	err := t.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

func (t *Tx) exec(query string, args ...any) error {
	_, err := t.tx.ExecContext(t.ctx, query, args...)
	return err
}

func unix(tm time.Time) int64 { return tm.Unix() }

func fromUnix(s int64) time.Time { return time.Unix(s, 0).UTC() }

func nullableUnix(tm *time.Time) any {
	if tm == nil {
		return nil
	}
	return tm.Unix()
}

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(data)
}

// CreateContact inserts a contact and sets its ID.
func (t *Tx) CreateContact(c *runtime.Contact) error {
	return t.tx.QueryRowContext(t.ctx,
		`INSERT INTO contacts (email, fields, tags, points, stage, owner, dnc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.StringField("email"), mustJSON(nonNilMap(c.Fields)), mustJSON(nonNilList(c.Tags)), c.Points, c.Stage, c.Owner, mustJSON(nonNilList(c.DNC)), unix(c.CreatedAt),
	).Scan(&c.ID)
}

// Contact loads a contact.
func (t *Tx) Contact(id int64) (*runtime.Contact, error) {
	c := &runtime.Contact{ID: id}
	var fields, tags, dnc string
	var created int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT fields, tags, points, stage, owner, dnc, created_at FROM contacts WHERE id = ?`, id).
		Scan(&fields, &tags, &c.Points, &c.Stage, &c.Owner, &dnc, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, runtime.ErrNoContact
	}
	if err != nil {
		return nil, err
	}
	c.CreatedAt = fromUnix(created)
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(dnc), &c.DNC); err != nil {
		return nil, err
	}
	return c, nil
}

// SaveContact updates a contact.
func (t *Tx) SaveContact(c *runtime.Contact) error {
	return t.exec(`UPDATE contacts SET email = ?, fields = ?, tags = ?, points = ?, stage = ?, owner = ?, dnc = ? WHERE id = ?`,
		c.StringField("email"), mustJSON(nonNilMap(c.Fields)), mustJSON(nonNilList(c.Tags)), c.Points, c.Stage, c.Owner, mustJSON(nonNilList(c.DNC)), c.ID)
}

// DeleteContact removes every trace of a contact.
func (t *Tx) DeleteContact(id int64) error {
	for _, q := range []string{
		`DELETE FROM tokens WHERE contact_id = ?`,
		`DELETE FROM enrollments WHERE contact_id = ?`,
		`DELETE FROM timeline WHERE contact_id = ?`,
		`DELETE FROM deliveries WHERE contact_id = ?`,
		`DELETE FROM marketing_sent WHERE contact_id = ?`,
		`DELETE FROM records WHERE contact_id = ?`,
		`DELETE FROM contacts WHERE id = ?`,
	} {
		if err := t.exec(q, id); err != nil {
			return err
		}
	}
	return nil
}

// Enrollments loads a contact's enrollments and their tokens.
func (t *Tx) Enrollments(contactID int64) ([]*runtime.Enrollment, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, kind, name, status, entered_at, entries, returned FROM enrollments WHERE contact_id = ? ORDER BY id`, contactID)
	if err != nil {
		return nil, err
	}
	var out []*runtime.Enrollment
	byID := map[int64]*runtime.Enrollment{}
	for rows.Next() {
		e := &runtime.Enrollment{ContactID: contactID}
		var entered int64
		var returned int
		if err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.Status, &entered, &e.Entries, &returned); err != nil {
			rows.Close()
			return nil, err
		}
		e.EnteredAt, e.Returned = fromUnix(entered), returned != 0
		out = append(out, e)
		byID[e.ID] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	trows, err := t.tx.QueryContext(t.ctx, `SELECT id, enrollment_id, element, state, due_at, arrived_at, waiting_on, data FROM tokens WHERE contact_id = ? ORDER BY id`, contactID)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		tok := &runtime.Token{ContactID: contactID}
		var due sql.NullInt64
		var arrived int64
		var data string
		if err := trows.Scan(&tok.ID, &tok.EnrollmentID, &tok.Element, &tok.State, &due, &arrived, &tok.WaitingOn, &data); err != nil {
			return nil, err
		}
		tok.ArrivedAt = fromUnix(arrived)
		if due.Valid {
			d := fromUnix(due.Int64)
			tok.DueAt = &d
		}
		if err := json.Unmarshal([]byte(data), &tok.Data); err != nil {
			return nil, err
		}
		if e := byID[tok.EnrollmentID]; e != nil {
			e.Tokens = append(e.Tokens, tok)
		}
	}
	return out, trows.Err()
}

// SaveEnrollment writes an enrollment and its changed tokens.
func (t *Tx) SaveEnrollment(e *runtime.Enrollment) error {
	returned := 0
	if e.Returned {
		returned = 1
	}
	switch {
	case e.IsNew():
		if err := t.tx.QueryRowContext(t.ctx,
			`INSERT INTO enrollments (contact_id, kind, name, status, entered_at, entries, returned) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.ContactID, e.Kind, e.Name, e.Status, unix(e.EnteredAt), e.Entries, returned).Scan(&e.ID); err != nil {
			return err
		}
	case e.Changed():
		if err := t.exec(`UPDATE enrollments SET status = ?, returned = ? WHERE id = ?`, e.Status, returned, e.ID); err != nil {
			return err
		}
	}
	for _, tok := range e.Tokens {
		switch {
		case tok.Removed():
			if tok.ID != 0 {
				if err := t.exec(`DELETE FROM tokens WHERE id = ?`, tok.ID); err != nil {
					return err
				}
			}
		case tok.IsNew():
			tok.EnrollmentID = e.ID
			if err := t.tx.QueryRowContext(t.ctx,
				`INSERT INTO tokens (enrollment_id, contact_id, element, state, due_at, arrived_at, waiting_on, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				e.ID, tok.ContactID, tok.Element, tok.State, nullableUnix(tok.DueAt), unix(tok.ArrivedAt), tok.WaitingOn, mustJSON(tok.Data)).Scan(&tok.ID); err != nil {
				return err
			}
		case tok.Changed():
			if err := t.exec(`UPDATE tokens SET element = ?, state = ?, due_at = ?, arrived_at = ?, waiting_on = ?, data = ? WHERE id = ?`,
				tok.Element, tok.State, nullableUnix(tok.DueAt), unix(tok.ArrivedAt), tok.WaitingOn, mustJSON(tok.Data), tok.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// AddTimeline appends timeline entries.
func (t *Tx) AddTimeline(entries []runtime.TimelineEntry) error {
	for _, e := range entries {
		var detail any
		if len(e.Detail) > 0 {
			detail = string(e.Detail)
		}
		if err := t.exec(`INSERT INTO timeline (contact_id, at, campaign, sequence, element, kind, outcome, detail, plan_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ContactID, unix(e.At), e.Campaign, e.Sequence, e.Element, e.Kind, e.Outcome, detail, e.PlanHash); err != nil {
			return err
		}
	}
	return nil
}

// AddDelivery stores a delivery unless its key exists.
func (t *Tx) AddDelivery(d *runtime.Delivery) (bool, error) {
	marketing := 0
	if d.Marketing {
		marketing = 1
	}
	err := t.tx.QueryRowContext(t.ctx,
		`INSERT INTO deliveries (contact_id, kind, asset, source, key, marketing, payload, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
		d.ContactID, d.Kind, d.Asset, d.Source, d.Key, marketing, mustJSON(d.Payload), d.Status, unix(d.CreatedAt)).Scan(&d.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// MarkSent records a marketing email as sent, once.
func (t *Tx) MarkSent(contactID int64, email string) (bool, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO marketing_sent (contact_id, email) VALUES (?, ?) ON CONFLICT DO NOTHING`, contactID, email)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AddRecord stores a record and sets its ID.
func (t *Tx) AddRecord(r *runtime.Record) error {
	return t.tx.QueryRowContext(t.ctx,
		`INSERT INTO records (contact_id, kind, name, status, at, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.ContactID, r.Kind, r.Name, r.Status, nullableUnix(r.At), mustJSON(nonNilMap(r.Data)), unix(r.CreatedAt)).Scan(&r.ID)
}

// UpdateRecord updates a record's status, time and data.
func (t *Tx) UpdateRecord(r *runtime.Record) error {
	return t.exec(`UPDATE records SET status = ?, at = ?, data = ? WHERE id = ?`, r.Status, nullableUnix(r.At), mustJSON(nonNilMap(r.Data)), r.ID)
}

// Records lists a contact's records of one kind, oldest first.
func (t *Tx) Records(contactID int64, kind string) ([]*runtime.Record, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, name, status, at, data, created_at FROM records WHERE contact_id = ? AND kind = ? ORDER BY id`, contactID, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*runtime.Record
	for rows.Next() {
		r := &runtime.Record{ContactID: contactID, Kind: kind}
		var at sql.NullInt64
		var data string
		var created int64
		if err := rows.Scan(&r.ID, &r.Name, &r.Status, &at, &data, &created); err != nil {
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

// NextInTurn advances a round-robin router.
func (t *Tx) NextInTurn(router string, n int) (int, error) {
	var next int
	err := t.tx.QueryRowContext(t.ctx,
		`INSERT INTO router_turns (name, next) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET next = router_turns.next + 1 RETURNING next`, router).Scan(&next)
	if err != nil {
		return 0, err
	}
	return (next - 1) % n, nil
}

// Due lists tokens due at or before tm.
func (t *Tx) Due(tm time.Time, limit int) ([]runtime.DueToken, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, contact_id, due_at FROM tokens WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`, unix(tm), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runtime.DueToken
	for rows.Next() {
		var d runtime.DueToken
		var due int64
		if err := rows.Scan(&d.TokenID, &d.ContactID, &due); err != nil {
			return nil, err
		}
		d.DueAt = fromUnix(due)
		out = append(out, d)
	}
	return out, rows.Err()
}

// NextDue is the earliest due time.
func (t *Tx) NextDue() (*time.Time, error) {
	var due sql.NullInt64
	if err := t.tx.QueryRowContext(t.ctx, `SELECT MIN(due_at) FROM tokens WHERE due_at IS NOT NULL`).Scan(&due); err != nil {
		return nil, err
	}
	if !due.Valid {
		return nil, nil
	}
	d := fromUnix(due.Int64)
	return &d, nil
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func nonNilList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// Timeline lists a contact's timeline in order.
func (t *Tx) Timeline(contactID int64) ([]runtime.TimelineEntry, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT at, campaign, sequence, element, kind, outcome, detail, plan_hash FROM timeline WHERE contact_id = ? ORDER BY id`, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runtime.TimelineEntry
	for rows.Next() {
		e := runtime.TimelineEntry{ContactID: contactID}
		var at int64
		var detail sql.NullString
		if err := rows.Scan(&at, &e.Campaign, &e.Sequence, &e.Element, &e.Kind, &e.Outcome, &detail, &e.PlanHash); err != nil {
			return nil, err
		}
		e.At = fromUnix(at)
		if detail.Valid {
			e.Detail = json.RawMessage(detail.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Deliveries lists a contact's deliveries in order.
func (t *Tx) Deliveries(contactID int64) ([]*runtime.Delivery, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, kind, asset, source, key, marketing, payload, status, created_at FROM deliveries WHERE contact_id = ? ORDER BY id`, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*runtime.Delivery
	for rows.Next() {
		d := &runtime.Delivery{ContactID: contactID}
		var marketing int
		var payload string
		var created int64
		if err := rows.Scan(&d.ID, &d.Kind, &d.Asset, &d.Source, &d.Key, &marketing, &payload, &d.Status, &created); err != nil {
			return nil, err
		}
		d.Marketing, d.CreatedAt = marketing != 0, fromUnix(created)
		if err := json.Unmarshal([]byte(payload), &d.Payload); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ContactsOn lists the contacts currently on a campaign or sequence.
func (t *Tx) ContactsOn(kind, name string) ([]int64, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT DISTINCT contact_id FROM enrollments WHERE kind = ? AND name = ? AND status IN ('active', 'paused') ORDER BY contact_id`, kind, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
