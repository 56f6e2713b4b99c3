package sqlstore

import (
	"database/sql"
	"encoding/json"

	"github.com/journeyhq/journey/runtime"
)

// A step loads its contact, then the contact's enrollments, back to back
// (runtime's Engine.load). On PostgreSQL each query is a round trip to the
// database: there Contact reads both in one query, and keeps the
// enrollments for the Enrollments call that follows, unless the
// transaction runs anything else first (Tx.stmt forgets them).
//
// Only for a contact this transaction locked already, when Due claimed its
// wait: at READ COMMITTED a query that waits for a row lock reads the
// locked row as the other transaction committed it, but the rows it joins
// as they were when the query began. Any other contact is locked by one
// query (Contact's FOR UPDATE) before the next reads its enrollments.

// prefetched are the enrollments Contact read with its contact.
type prefetched struct {
	contactID int64
	enrs      []*runtime.Enrollment
}

// contactWithEnrollments loads a contact, locking it, and its enrollments
// and tokens in one query.
func (t *Tx) contactWithEnrollments(id int64) (*runtime.Contact, error) {
	rows, err := t.query(qContactWithEnrollments, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := &runtime.Contact{ID: id}
	var cols contactColumns
	enrs := enrollmentScan{contactID: id}
	dest := append([]any{&c.ExternalID, &cols.email, &cols.fields, &cols.tags, &c.Points, &c.Stage, &c.Owner, &cols.dnc, &cols.created},
		enrs.dest()...)
	found := false
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		found = true
		if err := enrs.add(); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, runtime.ErrNoContact
	}
	if err := t.decodeContact(c, cols); err != nil {
		return nil, err
	}
	t.prefetched = &prefetched{contactID: id, enrs: enrs.out}
	return c, nil
}

// takePrefetched returns the enrollments Contact read for the contact,
// once.
func (t *Tx) takePrefetched(contactID int64) ([]*runtime.Enrollment, bool) {
	p := t.prefetched
	t.prefetched = nil
	if p == nil || p.contactID != contactID {
		return nil, false
	}
	return p.enrs, true
}

// contactColumns are the stored forms of a contact's columns that are
// decoded (decodeContact).
type contactColumns struct {
	email, fields, tags, dnc string
	created                  int64
}

// decodeContact fills a contact from its stored columns, and remembers
// its email as stored (SaveContact).
func (t *Tx) decodeContact(c *runtime.Contact, cols contactColumns) error {
	c.CreatedAt = fromUnix(cols.created)
	if t.emails == nil {
		t.emails = map[int64]string{}
	}
	t.emails[c.ID] = cols.email
	if err := json.Unmarshal([]byte(cols.fields), &c.Fields); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(cols.tags), &c.Tags); err != nil {
		return err
	}
	return json.Unmarshal([]byte(cols.dnc), &c.DNC)
}

// enrollmentScan collects a contact's enrollments and their tokens from
// rows of enrollment columns then token columns, in enrollment then token
// order. Either may be NULL: a contact without enrollments (joined to its
// contact), an enrollment without tokens.
type enrollmentScan struct {
	contactID int64
	out       []*runtime.Enrollment
	cur       *runtime.Enrollment
	// One row's columns.
	id, entered, entries, returned sql.NullInt64
	kind, name, key, status, props sql.NullString
	tokID, due, arrived, waiting   sql.NullInt64
	element, state, data           sql.NullString
}

// dest are the row's columns to scan into, in qEnrollments' order.
func (s *enrollmentScan) dest() []any {
	return []any{&s.id, &s.kind, &s.name, &s.key, &s.status, &s.entered, &s.entries, &s.returned, &s.props,
		&s.tokID, &s.element, &s.state, &s.due, &s.arrived, &s.waiting, &s.data}
}

// add takes the row just scanned.
func (s *enrollmentScan) add() error {
	if !s.id.Valid {
		return nil
	}
	if s.cur == nil || s.cur.ID != s.id.Int64 {
		s.cur = &runtime.Enrollment{ID: s.id.Int64, ContactID: s.contactID, Kind: s.kind.String, Name: s.name.String, Key: s.key.String,
			Status: s.status.String, EnteredAt: fromUnix(s.entered.Int64), Entries: int(s.entries.Int64), Returned: s.returned.Int64 != 0}
		if s.props.String != "{}" {
			if err := json.Unmarshal([]byte(s.props.String), &s.cur.Properties); err != nil {
				return err
			}
		}
		s.out = append(s.out, s.cur)
	}
	if !s.tokID.Valid {
		return nil
	}
	tok := &runtime.Token{ID: s.tokID.Int64, EnrollmentID: s.id.Int64, ContactID: s.contactID, Element: s.element.String,
		State: s.state.String, ArrivedAt: fromUnix(s.arrived.Int64), WaitingOn: s.waiting.Int64}
	if s.due.Valid {
		d := fromUnix(s.due.Int64)
		tok.DueAt = &d
	}
	if s.data.String != "{}" {
		if err := json.Unmarshal([]byte(s.data.String), &tok.Data); err != nil {
			return err
		}
	}
	s.cur.Tokens = append(s.cur.Tokens, tok)
	return nil
}
