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
		// The rollback undoes the contact created for the repeat too.
		return Received{Event: got.Event, Repeated: true}, nil
	}
	if err := e.withinTx(tx, id, func(s *state) error {
		s.receive(ev)
		return nil
	}); err != nil {
		return Received{}, err
	}
	return got, tx.Commit()
}
