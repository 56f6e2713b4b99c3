package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// What a client does to contacts through journey server: create, update,
// create-or-update by external id or email (an import's rows), delete.
// Every change goes through the engine, so that it raises the events a
// campaign may wait for (contact_created, field_changed, tag_added...).

// ContactExistsError is a contact that a create would duplicate: the
// external id or email it names belongs to contact ID.
type ContactExistsError struct {
	ID    int64
	By    string // "external_id" or "email"
	Value string
}

func (e *ContactExistsError) Error() string {
	return fmt.Sprintf("contact %d has %s %q already", e.ID, e.By, e.Value)
}

// ErrExternalIDChange is a change to a contact's external id, which names
// the contact in the client's own system and never changes.
var ErrExternalIDChange = errors.New("a contact's external_id never changes")

// UpsertMode says what an upsert does with a contact that exists.
type UpsertMode int

const (
	// CreateOrUpdate updates the contact the changes name, or creates one.
	CreateOrUpdate UpsertMode = iota
	// CreateOnly refuses changes that name a contact that exists.
	CreateOnly
)

// Upserted is what an upsert did: the contact's id, and whether it was
// created (false: updated).
type Upserted struct {
	ID      int64
	Created bool
	// Err is the row's own error in UpsertBatch (nothing of it was kept).
	Err error
}

// Upsert creates a contact from the changes or, in CreateOrUpdate mode,
// updates the one they name, in one transaction. A contact created raises
// contact_created, then tag_added for each of its tags. The contact is the one
// with their external id when they give one, else the one with their
// email. A create that would duplicate a contact is a *ContactExistsError:
// so is, in CreateOrUpdate mode, an email that belongs to a contact when
// the changes give an external id no contact has (that contact has
// another external id, or none, and the client must say which it means).
func (e *Engine) Upsert(ctx context.Context, ch ContactChanges, mode UpsertMode) (Upserted, error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return Upserted{}, err
	}
	defer tx.Rollback()
	up, err := e.upsert(tx, ch, mode)
	if err != nil {
		return Upserted{}, err
	}
	return up, tx.Commit()
}

// UpsertBatch upserts many contacts in one transaction, each under a
// savepoint: a row that fails (its Err) is undone alone and the others
// are kept. An error of the store itself fails the batch.
func (e *Engine) UpsertBatch(ctx context.Context, rows []ContactChanges, mode UpsertMode) ([]Upserted, error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := make([]Upserted, len(rows))
	for i, ch := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := tx.Savepoint(); err != nil {
			return nil, err
		}
		up, rowErr := e.upsert(tx, ch, mode)
		if rowErr != nil {
			up = Upserted{Err: rowErr}
			if err := tx.RollbackTo(); err != nil {
				return nil, errors.Join(rowErr, err)
			}
		}
		if err := tx.Release(); err != nil {
			return nil, err
		}
		out[i] = up
	}
	return out, tx.Commit()
}

func (e *Engine) upsert(tx Tx, ch ContactChanges, mode UpsertMode) (Upserted, error) {
	if ch.ExternalID != "" {
		id, err := tx.ContactByExternalID(ch.ExternalID)
		switch {
		case err == nil && mode == CreateOnly:
			return Upserted{}, &ContactExistsError{ID: id, By: "external_id", Value: ch.ExternalID}
		case err == nil:
			return Upserted{ID: id}, e.withinTx(tx, id, func(s *state) error { return s.change(ch) })
		case !errors.Is(err, ErrNoContact):
			return Upserted{}, err
		}
	}
	if email := ch.Email(); email != "" {
		id, err := tx.ContactByEmail(email)
		switch {
		case err == nil && (mode == CreateOnly || ch.ExternalID != ""):
			return Upserted{}, &ContactExistsError{ID: id, By: "email", Value: email}
		case err == nil:
			return Upserted{ID: id}, e.withinTx(tx, id, func(s *state) error { return s.change(ch) })
		case !errors.Is(err, ErrNoContact):
			return Upserted{}, err
		}
	}
	c := ch.Contact()
	tags := c.Tags
	c.Tags = nil
	if err := e.createTagged(tx, c, tags); err != nil {
		return Upserted{}, err
	}
	return Upserted{ID: c.ID, Created: true}, nil
}

// Change sets a contact's fields: nil unsets one, "tags" replaces the
// list (raising tag_added and tag_removed), any other field that changes
// raises field_changed. An external id other than the contact's is
// ErrExternalIDChange; created_at is kept.
func (e *Engine) Change(ctx context.Context, contactID int64, ch ContactChanges) error {
	return e.within(ctx, contactID, func(s *state) error { return s.change(ch) })
}

// change applies changes in field-name order, so that the events they
// raise come in the same order every time.
func (s *state) change(ch ContactChanges) error {
	if ch.ExternalID != "" && ch.ExternalID != s.c.ExternalID {
		if s.c.ExternalID == "" {
			return fmt.Errorf("%w: contact %d has none, and gets one only when it is created", ErrExternalIDChange, s.c.ID)
		}
		return fmt.Errorf("%w: contact %d's is %q", ErrExternalIDChange, s.c.ID, s.c.ExternalID)
	}
	names := make([]string, 0, len(ch.Fields))
	for name := range ch.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := ch.Fields[name]
		if name == "tags" {
			s.replaceTags(tagList(v))
			continue
		}
		s.setField(name, v)
	}
	return nil
}

// replaceTags makes the contact's tags the list: new ones added first, in
// the list's order, then the ones it lacks removed.
func (s *state) replaceTags(tags []string) {
	for _, t := range tags {
		s.addTag(t)
	}
	for _, t := range slices.Clone(s.c.Tags) {
		if !slices.Contains(tags, t) {
			s.removeTag(t)
		}
	}
}

// tagList reads a tags value as CheckContact leaves it (nil: no tags).
func tagList(v any) []string {
	switch t := v.(type) {
	case []string:
		return t
	case []any:
		var out []string
		for _, it := range t {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// DeleteContact removes a contact and every trace of it (its positions,
// timeline, outbox, records, events), or returns ErrNoContact.
func (e *Engine) DeleteContact(ctx context.Context, contactID int64) error {
	tx, err := e.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Contact(contactID); err != nil {
		return err
	}
	if err := tx.DeleteContact(contactID); err != nil {
		return err
	}
	return tx.Commit()
}
