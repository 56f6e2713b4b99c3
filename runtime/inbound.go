package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// What comes from outside the engine (journey server's API): contacts named
// the way a client names them, and events with an idempotency key.

// ContactRef names a contact as a client does: by the store's id, by the
// client's own external id, or by email. The first one set is used.
type ContactRef struct {
	ID         int64  `json:"id,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
	Email      string `json:"email,omitempty"`
}

// IsZero reports a reference that names nobody.
func (r ContactRef) IsZero() bool { return r.ID == 0 && r.ExternalID == "" && r.Email == "" }

// String is the reference as an error message names it.
func (r ContactRef) String() string {
	switch {
	case r.ID != 0:
		return fmt.Sprintf("contact %d", r.ID)
	case r.ExternalID != "":
		return fmt.Sprintf("the contact with external_id %q", r.ExternalID)
	case r.Email != "":
		return fmt.Sprintf("the contact with email %q", r.Email)
	}
	return "no contact"
}

// resolve finds the contact a reference names, or returns ErrNoContact.
func resolve(tx Tx, r ContactRef) (int64, error) {
	switch {
	case r.ID != 0:
		if _, err := tx.Contact(r.ID); err != nil {
			return 0, err
		}
		return r.ID, nil
	case r.ExternalID != "":
		return tx.ContactByExternalID(r.ExternalID)
	case r.Email != "":
		return tx.ContactByEmail(r.Email)
	}
	return 0, ErrNoContact
}

// Resolve finds the contact a reference names, or returns ErrNoContact.
func (e *Engine) Resolve(ctx context.Context, r ContactRef) (int64, error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return resolve(tx, r)
}

// Identify finds the contact a reference names or, when there is none and
// the reference is an external id or an email, creates it from c (which
// must carry them), raising contact_created, in one transaction: two
// requests for one new contact make one contact.
func (e *Engine) Identify(ctx context.Context, r ContactRef, c *Contact) (id int64, created bool, err error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	id, err = resolve(tx, r)
	switch {
	case err == nil:
		return id, false, nil
	case err != ErrNoContact || r.ID != 0:
		return 0, false, err
	}
	if err := e.create(tx, c); err != nil {
		return 0, false, err
	}
	return c.ID, true, tx.Commit()
}

// Receive stores an event that came from outside, with the client's
// idempotency key ("" for none) and its properties, and handles it, in
// one transaction. A key seen before changes nothing: Receive returns the
// event first stored under it, and false.
func (e *Engine) Receive(ctx context.Context, contactID int64, ev Event, key string) (*StoredEvent, bool, error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	stored := &StoredEvent{ContactID: contactID, Kind: ev.Kind, Args: ev.Args, Properties: ev.Properties, Key: key, ReceivedAt: e.clock.Now()}
	first, err := tx.AddEvent(stored)
	if err != nil || !first {
		return stored, false, err
	}
	if err := e.withinTx(tx, contactID, func(s *state) error {
		s.receive(ev)
		return nil
	}); err != nil {
		return nil, false, err
	}
	return stored, true, tx.Commit()
}

// Received is what ReceiveFrom did with an event.
type Received struct {
	// Event is the event stored: on a repeated key, the first one.
	Event *StoredEvent
	// Repeated reports a key seen before: nothing changed.
	Repeated bool
	// Created reports a contact created for the event.
	Created bool
}

// ReceiveFrom is Receive for a contact named as a client names it, in one
// transaction: a contact named by external id or email that does not
// exist is created first (holding only what the reference says, and
// raising contact_created); one named by id must exist (ErrNoContact). A
// repeated key changes nothing, not even the creation of the contact.
func (e *Engine) ReceiveFrom(ctx context.Context, r ContactRef, ev Event, key string) (Received, error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return Received{}, err
	}
	defer tx.Rollback()
	got, err := e.receiveFrom(tx, r, ev, key)
	if err != nil || got.Repeated {
		// On a repeat, the rollback undoes the contact created for it.
		got.Created = false
		return got, err
	}
	return got, tx.Commit()
}

// Inbound is an event from outside as ReceiveFrom takes it.
type Inbound struct {
	Contact ContactRef
	Event   Event
	Key     string
}

// ReceiveBatch is ReceiveFrom for several events, in order, with the
// answers and effects ReceiveFrom gives each in turn (an event repeating
// the key of one before it in the batch is a repeat of it): errs[i] is
// event i's own error. journey server commits concurrent requests' events
// this way (group commit). They run in one transaction, one commit for
// them all; when one of them fails, or repeats a key after its reference
// created a contact (which must then be undone), that transaction is
// rolled back and each runs alone, as ReceiveFrom. err is an error of the
// store that stopped that.
func (e *Engine) ReceiveBatch(ctx context.Context, in []Inbound) (got []Received, errs []error, err error) {
	errs = make([]error, len(in))
	if got, ok := e.receiveTogether(ctx, in); ok {
		return got, errs, nil
	}
	got = make([]Received, len(in))
	for i, ib := range in {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		got[i], errs[i] = e.ReceiveFrom(ctx, ib.Contact, ib.Event, ib.Key)
	}
	return got, errs, nil
}

// receiveTogether runs the events in one transaction and commits it,
// unless one of them needs undoing alone (a failure, or a repeat that
// created a contact): then it commits nothing and reports false. A batch
// needs no savepoint this way: a savepoint's journal of the pages it
// changes cost as much as the commit it saves once it outgrew memory.
func (e *Engine) receiveTogether(ctx context.Context, in []Inbound) ([]Received, bool) {
	tx, err := e.begin(ctx)
	if err != nil {
		return nil, false
	}
	defer tx.Rollback()
	got := make([]Received, len(in))
	for i, ib := range in {
		got[i], err = e.receiveFrom(tx, ib.Contact, ib.Event, ib.Key)
		if err != nil || (got[i].Repeated && got[i].Created) {
			return nil, false
		}
	}
	return got, tx.Commit() == nil
}

// receiveFrom is ReceiveFrom's work in tx. On a repeated key it returns
// the first event, Repeated, and Created when it created a contact for
// the repeat, which the caller must undo (ReceiveFrom's answer to a
// repeat never says Created: it is undone).
func (e *Engine) receiveFrom(tx Tx, r ContactRef, ev Event, key string) (Received, error) {
	var got Received
	id, err := resolve(tx, r)
	switch {
	case errors.Is(err, ErrNoContact) && r.ID == 0 && !r.IsZero():
		c := &Contact{ExternalID: r.ExternalID, Fields: map[string]any{}}
		if email := strings.TrimSpace(r.Email); email != "" {
			c.Fields["email"] = email
		}
		if err := e.create(tx, c); err != nil {
			return Received{}, err
		}
		id, got.Created = c.ID, true
	case err != nil:
		return Received{}, err
	}
	got.Event = &StoredEvent{ContactID: id, Kind: ev.Kind, Args: ev.Args, Properties: ev.Properties, Key: key, ReceivedAt: e.clock.Now()}
	first, err := tx.AddEvent(got.Event)
	if err != nil {
		return Received{}, err
	}
	if !first {
		return Received{Event: got.Event, Repeated: true, Created: got.Created}, nil
	}
	if err := e.withinTx(tx, id, func(s *state) error {
		s.receive(ev)
		return nil
	}); err != nil {
		return Received{}, err
	}
	return got, nil
}
