package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Tx is one transaction.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	s   *Store
	// stmts are the store's statements bound to this transaction, as they
	// are first used (database/sql closes them with the transaction).
	stmts [numQueries]*sql.Stmt
	// emails are the emails of the contacts loaded in this transaction,
	// as stored (SaveContact).
	emails map[int64]string
	// prefetched are the enrollments Contact read ahead (load.go).
	prefetched *prefetched
	// fresh is the contact this transaction created last, until it runs
	// another statement (fresh.go).
	fresh *freshContact
	// claimed are the contacts whose due waits Due claimed, locking them
	// (on PostgreSQL) until the transaction ends.
	claimed map[int64]bool
}

// stmt returns a prepared statement in the transaction. Whatever it runs
// may change what Contact read ahead, or the contact just created.
func (t *Tx) stmt(q query) *sql.Stmt {
	t.forgetLoads()
	return t.bind(q)
}

// forgetLoads forgets what Contact and Enrollments would answer from
// memory: something may change it.
func (t *Tx) forgetLoads() { t.prefetched, t.fresh = nil, nil }

// bind is stmt for a statement that changes no contact, enrollment or
// token: what was read ahead stays.
func (t *Tx) bind(q query) *sql.Stmt {
	if st := t.stmts[q]; st != nil {
		return st
	}
	st := t.tx.StmtContext(t.ctx, t.s.stmts[q])
	t.stmts[q] = st
	return st
}

// SQLTx is the transaction's *sql.Tx, for what must commit with the step
// but is not the store's to write: runtime/queue inserts and completes its
// jobs in it.
func (t *Tx) SQLTx() *sql.Tx {
	t.forgetLoads()
	return t.tx
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

func (t *Tx) exec(q query, args ...any) error {
	_, err := t.stmt(q).ExecContext(t.ctx, args...)
	return err
}

func (t *Tx) queryRow(q query, args ...any) *sql.Row {
	return t.stmt(q).QueryRowContext(t.ctx, args...)
}

func (t *Tx) query(q query, args ...any) (*sql.Rows, error) {
	return t.stmt(q).QueryContext(t.ctx, args...)
}

func unix(tm time.Time) int64 { return tm.Unix() }

func fromUnix(s int64) time.Time { return time.Unix(s, 0).UTC() }

// storedTokenData is what a token's data is stored as: its times in UTC,
// to the second, as every other time of the store (the caller's zone and
// nanoseconds would otherwise ride along in the JSON).
func storedTokenData(d runtime.TokenData) runtime.TokenData {
	d.PausedDue, d.LastFired = toSecond(d.PausedDue), toSecond(d.LastFired)
	return d
}

func toSecond(tm *time.Time) *time.Time {
	if tm == nil {
		return nil
	}
	s := fromUnix(tm.Unix())
	return &s
}

func nullableUnix(tm *time.Time) any {
	if tm == nil {
		return nil
	}
	return tm.Unix()
}

// jsonBuffers are encodeJSON's buffers.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeJSON encodes v as json.Marshal does but without escaping <, > and &
// (the store is no HTML page): an email's HTML body stays its own size, and
// reads back the same. A value JSON cannot hold (NaN, an infinity) is an
// error: stored as anything else, it would take its neighbours with it.
func encodeJSON(v any) (string, error) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer jsonBuffers.Put(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// contactJSON encodes a contact's fields, tags and do-not-contact channels.
func contactJSON(c *runtime.Contact) (fields, tags, dnc string, err error) {
	if fields, err = encodeJSON(nonNilMap(c.Fields)); err != nil {
		return "", "", "", fmt.Errorf("contact %d: its fields cannot be stored: %w", c.ID, err)
	}
	if tags, err = encodeJSON(nonNilList(c.Tags)); err != nil {
		return "", "", "", err
	}
	if dnc, err = encodeJSON(nonNilList(c.DNC)); err != nil {
		return "", "", "", err
	}
	return fields, tags, dnc, nil
}

// CreateContact inserts a contact and sets its ID.
func (t *Tx) CreateContact(c *runtime.Contact) error {
	fields, tags, dnc, err := contactJSON(c)
	if err != nil {
		return err
	}
	email := runtime.NormalizeEmail(c.StringField("email"))
	if err := t.queryRow(qCreateContact,
		c.ExternalID, email, fields, tags, c.Points, c.Stage, c.Owner, dnc, unix(c.CreatedAt),
	).Scan(&c.ID); err != nil {
		return err
	}
	t.remember(c, email, fields, tags, dnc)
	return nil
}

// Contact loads a contact. On PostgreSQL, for a contact whose due wait
// this transaction claimed, it reads the contact's enrollments too, for
// the Enrollments call that follows (load.go).
func (t *Tx) Contact(id int64) (*runtime.Contact, error) {
	if f := t.freshFor(id); f != nil {
		return t.freshContact(f)
	}
	if t.s.dialect.loadTogether && t.claimed[id] {
		return t.contactWithEnrollments(id)
	}
	c := &runtime.Contact{ID: id}
	var cols contactColumns
	err := t.queryRow(qContact, id).
		Scan(&c.ExternalID, &cols.email, &cols.fields, &cols.tags, &c.Points, &c.Stage, &c.Owner, &cols.dnc, &cols.created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, runtime.ErrNoContact
	}
	if err != nil {
		return nil, err
	}
	return c, t.decodeContact(c, cols)
}

// SaveContact updates a contact. The email column is written only when
// the email changed: SQLite rewrites an index entry for every column an
// UPDATE sets, and the email index is in email order, so rewriting it on
// every step would touch a random page of an index as large as the
// contact list.
func (t *Tx) SaveContact(c *runtime.Contact) error {
	fields, tags, dnc, err := contactJSON(c)
	if err != nil {
		return err
	}
	email := runtime.NormalizeEmail(c.StringField("email"))
	if loaded, ok := t.emails[c.ID]; ok && loaded == email {
		return t.exec(qSaveContactKeepEmail, fields, tags, c.Points, c.Stage, c.Owner, dnc, c.ID)
	}
	if err := t.exec(qSaveContact, email, fields, tags, c.Points, c.Stage, c.Owner, dnc, c.ID); err != nil {
		return err
	}
	if t.emails != nil {
		t.emails[c.ID] = email
	}
	return nil
}

// DeleteContact removes every trace of a contact.
func (t *Tx) DeleteContact(id int64) error {
	delete(t.emails, id)
	for _, q := range []query{
		qDeleteTokens,
		qDeleteEnrollments,
		qDeleteTimeline,
		qDeleteDeliveries,
		qDeleteMarketing,
		qDeleteRecords,
		qDeleteEvents,
		qDeleteMemberships,
		qDeleteContact,
	} {
		if err := t.exec(q, id); err != nil {
			return err
		}
	}
	return nil
}

// Enrollments loads a contact's enrollments and their tokens, in one
// query (enrollments LEFT JOIN tokens), unless Contact has just read
// them.
func (t *Tx) Enrollments(contactID int64) ([]*runtime.Enrollment, error) {
	if t.freshFor(contactID) != nil {
		return nil, nil // created in this transaction, and nothing written since
	}
	if enrs, ok := t.takePrefetched(contactID); ok {
		return enrs, nil
	}
	rows, err := t.query(qEnrollments, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	s := enrollmentScan{contactID: contactID}
	dest := s.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if err := s.add(); err != nil {
			return nil, err
		}
	}
	return s.out, rows.Err()
}

// SaveEnrollment writes an enrollment and its changed tokens. Where each
// statement is a round trip (PostgreSQL), a changed enrollment's row is
// written by the statement that writes its first changed token: a step
// that ends an enrollment moves or removes its token too.
func (t *Tx) SaveEnrollment(e *runtime.Enrollment) error {
	returned := 0
	if e.Returned {
		returned = 1
	}
	var pending []any // the enrollment's update, when it rides with a token's
	switch {
	case e.IsNew():
		props, err := encodeJSON(nonNilMap(e.Properties))
		if err != nil {
			return err
		}
		if err := t.queryRow(qInsertEnrollment,
			e.ContactID, e.Kind, e.Name, e.Key, e.Status, unix(e.EnteredAt), e.Entries, returned, props).Scan(&e.ID); err != nil {
			return err
		}
	case e.Changed():
		props, err := encodeJSON(nonNilMap(e.Properties))
		if err != nil {
			return err
		}
		pending = []any{e.Status, returned, props, e.ID}
		if !t.s.dialect.foldWrites || !slices.ContainsFunc(e.Tokens, tokenWritten) {
			if err := t.exec(qUpdateEnrollment, pending...); err != nil {
				return err
			}
			pending = nil
		}
	}
	for _, tok := range e.Tokens {
		if !tokenWritten(tok) {
			continue
		}
		if err := t.saveToken(e, tok, pending); err != nil {
			return err
		}
		pending = nil
	}
	return nil
}

// tokenWritten reports a token whose row SaveEnrollment writes.
func tokenWritten(tok *runtime.Token) bool {
	return (tok.Removed() && tok.ID != 0) || (!tok.Removed() && (tok.IsNew() || tok.Changed()))
}

// tokenWrites are the statements writing a token, alone and with its
// enrollment's update (withEnrollment) before it.
var tokenWrites = map[query]query{qDeleteToken: qDeleteTokenEnrollment, qInsertToken: qInsertTokenEnrollment, qUpdateToken: qUpdateTokenEnrollment}

// saveToken inserts, updates or deletes a token as it is marked; with
// enrollment (the enrollment's update's values), in the statement that
// updates its enrollment.
func (t *Tx) saveToken(e *runtime.Enrollment, tok *runtime.Token, enrollment []any) error {
	var q query
	var args []any
	switch {
	case tok.Removed():
		q, args = qDeleteToken, []any{tok.ID}
	case tok.IsNew():
		data, err := encodeJSON(storedTokenData(tok.Data))
		if err != nil {
			return err
		}
		tok.EnrollmentID = e.ID
		q, args = qInsertToken, []any{e.ID, tok.ContactID, tok.Element, tok.State, nullableUnix(tok.DueAt), unix(tok.ArrivedAt), tok.WaitingOn, data}
	default:
		data, err := encodeJSON(storedTokenData(tok.Data))
		if err != nil {
			return err
		}
		q, args = qUpdateToken, []any{tok.Element, tok.State, nullableUnix(tok.DueAt), unix(tok.ArrivedAt), tok.WaitingOn, data, tok.ID}
	}
	if enrollment != nil {
		q, args = tokenWrites[q], append(enrollment, args...)
	}
	if tok.IsNew() {
		return t.queryRow(q, args...).Scan(&tok.ID)
	}
	return t.exec(q, args...)
}

// AddTimeline appends timeline entries: a step's entries, up to
// maxTimelineRows of them, in one statement.
func (t *Tx) AddTimeline(entries []runtime.TimelineEntry) error {
	var args [maxTimelineRows * timelineColumns]any
	for _, rows := range timelineStatements(len(entries)) {
		for i, e := range entries[:rows] {
			var detail any
			if len(e.Detail) > 0 {
				detail = string(e.Detail)
			}
			a := args[i*timelineColumns : (i+1)*timelineColumns]
			a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8] = e.ContactID, unix(e.At), e.Campaign, e.Sequence, e.Element, e.Kind, e.Outcome, detail, e.PlanHash
		}
		if err := t.exec(timelineInsert(rows), args[:rows*timelineColumns]...); err != nil {
			return err
		}
		entries = entries[rows:]
	}
	return nil
}

// AddDelivery stores a delivery unless its key exists.
func (t *Tx) AddDelivery(d *runtime.Delivery) (bool, error) {
	payload, err := deliveryPayload(d)
	if err != nil {
		return false, err
	}
	err = t.queryRow(qAddDelivery,
		d.ContactID, d.Kind, d.Asset, d.Source, d.Key, boolInt(d.Marketing), payload, d.Status, unix(d.CreatedAt)).Scan(&d.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func deliveryPayload(d *runtime.Delivery) (string, error) {
	payload, err := encodeJSON(d.Payload)
	if err != nil {
		return "", fmt.Errorf("delivery %q of contact %d: its payload cannot be stored: %w", d.Key, d.ContactID, err)
	}
	return payload, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MarkSent records a marketing email as sent, once.
func (t *Tx) MarkSent(contactID int64, email string) (bool, error) {
	res, err := t.stmt(qMarkSent).ExecContext(t.ctx, contactID, email)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AddMarketingDelivery marks a marketing email sent and stores its
// delivery the first time: on PostgreSQL in one statement, whose first
// column says whether the email was new to the contact and second is the
// delivery's id (NULL when its key exists).
func (t *Tx) AddMarketingDelivery(d *runtime.Delivery) (first, stored bool, err error) {
	if !t.s.dialect.foldWrites {
		if first, err = t.MarkSent(d.ContactID, d.Asset); !first || err != nil {
			return first, false, err
		}
		stored, err = t.AddDelivery(d)
		return true, stored, err
	}
	payload, err := deliveryPayload(d)
	if err != nil {
		return false, false, err
	}
	var id sql.NullInt64
	if err := t.queryRow(qAddMarketingDelivery,
		d.ContactID, d.Asset, d.Kind, d.Source, d.Key, boolInt(d.Marketing), payload, d.Status, unix(d.CreatedAt)).Scan(&first, &id); err != nil {
		return false, false, err
	}
	d.ID = id.Int64
	return first, id.Valid, nil
}

// AddRecord stores a record and sets its ID.
func (t *Tx) AddRecord(r *runtime.Record) error {
	data, err := recordJSON(r)
	if err != nil {
		return err
	}
	return t.queryRow(qAddRecord,
		r.ContactID, r.Kind, r.Name, r.Status, nullableUnix(r.At), data, unix(r.CreatedAt)).Scan(&r.ID)
}

// UpdateRecord updates a record's status, time and data.
func (t *Tx) UpdateRecord(r *runtime.Record) error {
	data, err := recordJSON(r)
	if err != nil {
		return err
	}
	return t.exec(qUpdateRecord, r.Status, nullableUnix(r.At), data, r.ID)
}

func recordJSON(r *runtime.Record) (string, error) {
	data, err := encodeJSON(nonNilMap(r.Data))
	if err != nil {
		return "", fmt.Errorf("%s record %q of contact %d: its data cannot be stored: %w", r.Kind, r.Name, r.ContactID, err)
	}
	return data, nil
}

// Records lists a contact's records of one kind, oldest first.
func (t *Tx) Records(contactID int64, kind string) ([]*runtime.Record, error) {
	rows, err := t.query(qRecords, contactID, kind)
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
	if n <= 0 {
		return 0, fmt.Errorf("lead router %q: no users to take a turn (%d)", router, n)
	}
	var next int
	err := t.queryRow(qNextInTurn, router).Scan(&next)
	if err != nil {
		return 0, err
	}
	return (next - 1) % n, nil
}

// Due lists tokens due at or before tm.
func (t *Tx) Due(tm time.Time, limit int) ([]runtime.DueToken, error) {
	rows, err := t.query(qDue, unix(tm), limit)
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
		if t.claimed == nil {
			t.claimed = map[int64]bool{}
		}
		t.claimed[d.ContactID] = true
	}
	return out, rows.Err()
}

// NextDue is the earliest due time.
func (t *Tx) NextDue() (*time.Time, error) {
	var due sql.NullInt64
	if err := t.queryRow(qNextDue).Scan(&due); err != nil {
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
	rows, err := t.query(qTimeline, contactID)
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
	rows, err := t.query(qDeliveries, contactID)
	if err != nil {
		return nil, err
	}
	return scanDeliveries(rows)
}

// scanDeliveries reads rows of deliveryColumns and closes them.
func scanDeliveries(rows *sql.Rows) ([]*runtime.Delivery, error) {
	defer rows.Close()
	var out []*runtime.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// scanDelivery reads one row of deliveryColumns.
func scanDelivery(row interface{ Scan(...any) error }) (*runtime.Delivery, error) {
	d := &runtime.Delivery{}
	var marketing int
	var payload string
	var created, updated int64
	var sent sql.NullInt64
	if err := row.Scan(&d.ID, &d.ContactID, &d.Kind, &d.Asset, &d.Source, &d.Key, &marketing, &payload, &d.Status, &created,
		&d.Attempts, &d.LastError, &d.MessageID, &d.ResponseStatus, &d.ResponseBody, &sent, &updated); err != nil {
		return nil, err
	}
	d.Marketing, d.CreatedAt = marketing != 0, fromUnix(created)
	if updated != 0 {
		d.UpdatedAt = fromUnix(updated)
	}
	if sent.Valid {
		at := fromUnix(sent.Int64)
		d.SentAt = &at
	}
	if err := json.Unmarshal([]byte(payload), &d.Payload); err != nil {
		return nil, err
	}
	return d, nil
}

// Delivery loads one delivery.
func (t *Tx) Delivery(id int64) (*runtime.Delivery, error) {
	d, err := scanDelivery(t.queryRow(qDelivery, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, runtime.ErrNoDelivery
	}
	return d, err
}

// UpdateDelivery writes a delivery's status and its last attempt.
func (t *Tx) UpdateDelivery(d *runtime.Delivery) error {
	res, err := t.stmt(qUpdateDelivery).ExecContext(t.ctx, d.Status, d.Attempts, d.LastError, d.MessageID, d.ResponseStatus, d.ResponseBody,
		nullableUnix(d.SentAt), unix(d.UpdatedAt), d.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return runtime.ErrNoDelivery
	}
	return err
}

// ListDeliveries lists the outbox as the filter says, oldest first.
func (t *Tx) ListDeliveries(f runtime.DeliveryFilter) ([]*runtime.Delivery, error) {
	t.forgetLoads()
	where, args := []string{"id > ?"}, []any{f.AfterID}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.ContactID != 0 {
		where, args = append(where, "contact_id = ?"), append(args, f.ContactID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit)
	rows, err := t.tx.QueryContext(t.ctx, t.s.Rebind(`SELECT `+deliveryColumns+` FROM deliveries WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`), args...)
	if err != nil {
		return nil, err
	}
	return scanDeliveries(rows)
}

// AddEvent stores an event from outside unless its key exists.
func (t *Tx) AddEvent(e *runtime.StoredEvent) (bool, error) {
	var key any
	if e.Key != "" {
		key = e.Key
	}
	args, err := encodeJSON(nonNilArgs(e.Args))
	if err != nil {
		return false, err
	}
	props, err := encodeJSON(nonNilMap(e.Properties))
	if err != nil {
		return false, err
	}
	// An event's row changes no contact: what Contact and Enrollments
	// would answer from memory stays (bind, not stmt).
	err = t.bind(qAddEvent).QueryRowContext(t.ctx, e.ContactID, e.Kind, args, props, key, unix(e.ReceivedAt)).Scan(&e.ID)
	if !errors.Is(err, sql.ErrNoRows) {
		return err == nil, err
	}
	// The key was there: the first event's answer.
	var received int64
	if err := t.bind(qEventByKey).QueryRowContext(t.ctx, e.Key).Scan(&e.ID, &e.ContactID, &e.Kind, &args, &props, &received); err != nil {
		return false, err
	}
	e.ReceivedAt = fromUnix(received)
	e.Args, e.Properties = nil, nil
	if err := json.Unmarshal([]byte(args), &e.Args); err != nil {
		return false, err
	}
	return false, json.Unmarshal([]byte(props), &e.Properties)
}

func nonNilArgs(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// ContactByEmail finds a contact by its address.
func (t *Tx) ContactByEmail(email string) (int64, error) {
	return t.contactBy(qContactByEmail, runtime.NormalizeEmail(email))
}

// ContactByExternalID finds a contact by the client's own id.
func (t *Tx) ContactByExternalID(id string) (int64, error) {
	return t.contactBy(qContactByExternalID, id)
}

func (t *Tx) contactBy(q query, key string) (int64, error) {
	if key == "" {
		return 0, runtime.ErrNoContact
	}
	if t.s.stmts[qLockContactKey] != nil {
		if err := t.exec(qLockContactKey, key); err != nil {
			return 0, err
		}
	}
	var id int64
	err := t.queryRow(q, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, runtime.ErrNoContact
	}
	return id, err
}

// ElementCounts counts the positions on a campaign's or a sequence's
// elements, by element and state, in that order. It reads the positions
// and counts them as they come: memory for the counts only, however many
// contacts the campaign holds.
func (t *Tx) ElementCounts(kind, name string) ([]runtime.ElementCount, error) {
	rows, err := t.query(qElementCounts, kind, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type place struct{ element, state string }
	counts := map[place]int{}
	for rows.Next() {
		var p place
		if err := rows.Scan(&p.element, &p.state); err != nil {
			return nil, err
		}
		counts[p]++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]runtime.ElementCount, 0, len(counts))
	for p, n := range counts {
		out = append(out, runtime.ElementCount{Element: p.element, State: p.state, Count: n})
	}
	slices.SortFunc(out, func(a, b runtime.ElementCount) int {
		return cmp.Or(strings.Compare(a.Element, b.Element), strings.Compare(a.State, b.State))
	})
	return out, nil
}

// Savepoint, RollbackTo and Release keep one savepoint of the
// transaction (SQL savepoints, as SQLite and PostgreSQL have them).
func (t *Tx) Savepoint() error {
	t.forgetLoads()
	_, err := t.tx.ExecContext(t.ctx, `SAVEPOINT step`)
	return err
}

func (t *Tx) RollbackTo() error {
	t.forgetLoads()
	_, err := t.tx.ExecContext(t.ctx, `ROLLBACK TO SAVEPOINT step`)
	t.emails = nil // what the rolled-back step loaded may not hold
	return err
}

func (t *Tx) Release() error {
	t.forgetLoads()
	_, err := t.tx.ExecContext(t.ctx, `RELEASE SAVEPOINT step`)
	return err
}

// ContactsOn lists the contacts currently on a campaign or sequence.
func (t *Tx) ContactsOn(kind, name string) ([]int64, error) {
	rows, err := t.query(qContactsOn, kind, name)
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

// DeploymentHead reads the serial of the deployment the steps run. SQLite
// has one writer at a time: the step's transaction already keeps an apply
// out. PostgreSQL holds the row shared until the transaction ends: an
// apply waits for the steps under way, and a step that waited for an
// apply reads the serial it committed.
func (t *Tx) DeploymentHead() (int64, error) {
	var serial int64
	err := t.queryRow(qDeploymentHead).Scan(&serial)
	return serial, err
}

// LockDeploymentHead reads the head for an apply (SQLite's one writer
// holds it; PostgreSQL locks the row until the transaction ends).
func (t *Tx) LockDeploymentHead() (int64, error) {
	var serial int64
	err := t.queryRow(qLockDeploymentHead).Scan(&serial)
	return serial, err
}

// AddDeployment stores a deployment and moves the head to it.
func (t *Tx) AddDeployment(d *runtime.Deployment) error {
	summary, err := encodeJSON(nonNilMap(d.Summary))
	if err != nil {
		return err
	}
	if err := t.exec(qAddDeployment, d.Serial, d.Hash, string(d.Plan), unix(d.AppliedAt), d.AppliedBy, summary); err != nil {
		return err
	}
	return t.exec(qSetDeploymentHead, d.Serial)
}

// Deployment loads one deployment with its plan.
func (t *Tx) Deployment(serial int64) (*runtime.Deployment, error) {
	d, err := scanDeployment(t.queryRow(qDeployment, serial))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, runtime.ErrNoDeployment
	}
	return d, err
}

// Deployments lists deployments, newest first, without their plans.
func (t *Tx) Deployments(limit int) ([]*runtime.Deployment, error) {
	rows, err := t.query(qDeployments, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*runtime.Deployment
	for rows.Next() {
		d, err := scanDeployment(rows)
		if err != nil {
			return nil, err
		}
		d.Plan = nil
		out = append(out, d)
	}
	return out, rows.Err()
}

func scanDeployment(row interface{ Scan(...any) error }) (*runtime.Deployment, error) {
	d := &runtime.Deployment{}
	var plan, summary string
	var applied int64
	if err := row.Scan(&d.Serial, &d.Hash, &plan, &applied, &d.AppliedBy, &summary); err != nil {
		return nil, err
	}
	d.Plan, d.AppliedAt = []byte(plan), fromUnix(applied)
	return d, json.Unmarshal([]byte(summary), &d.Summary)
}

// MoveTokens renames the element positions stand on, in one statement.
func (t *Tx) MoveTokens(kind, name, from, to string) (int64, error) {
	res, err := t.stmt(qMoveTokens).ExecContext(t.ctx, to, from, kind, name)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// AddTimelineOn writes entry to the timeline of every contact standing on
// an element, in one statement.
func (t *Tx) AddTimelineOn(kind, name, element string, e runtime.TimelineEntry) (int64, error) {
	var detail any
	if len(e.Detail) > 0 {
		detail = string(e.Detail)
	}
	res, err := t.stmt(qAddTimelineOn).ExecContext(t.ctx, unix(e.At), e.Campaign, e.Sequence, e.Element, e.Kind, e.Outcome, detail, e.PlanHash,
		kind, name, element)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// EnrollmentCounts counts a campaign's or a sequence's enrollments by
// status (the enrollments_map index answers it).
func (t *Tx) EnrollmentCounts(kind, name string) (map[string]int, error) {
	rows, err := t.query(qEnrollmentCounts, kind, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	return out, rows.Err()
}
