package runtime

import (
	"errors"
	"time"
)

// guardedTx is the transaction a step works in: it remembers the first
// error the store (or the sink) returned, other than the answers a step
// expects (no such contact, no such delivery). Actions log their own
// failures and go on, which is right for a template that does not render
// and wrong for a write that did not happen: a step whose store failed
// under it is undone instead of being recorded half-done (withinTx
// returns the fault).
type guardedTx struct {
	Tx
	fault error
}

func (g *guardedTx) note(err error) error {
	if err != nil && g.fault == nil && !errors.Is(err, ErrNoContact) && !errors.Is(err, ErrNoDelivery) {
		g.fault = err
	}
	return err
}

func (g *guardedTx) CreateContact(c *Contact) error { return g.note(g.Tx.CreateContact(c)) }
func (g *guardedTx) Contact(id int64) (*Contact, error) {
	c, err := g.Tx.Contact(id)
	return c, g.note(err)
}
func (g *guardedTx) SaveContact(c *Contact) error         { return g.note(g.Tx.SaveContact(c)) }
func (g *guardedTx) DeleteContact(id int64) error         { return g.note(g.Tx.DeleteContact(id)) }
func (g *guardedTx) SaveEnrollment(e *Enrollment) error   { return g.note(g.Tx.SaveEnrollment(e)) }
func (g *guardedTx) AddTimeline(es []TimelineEntry) error { return g.note(g.Tx.AddTimeline(es)) }
func (g *guardedTx) AddRecord(r *Record) error            { return g.note(g.Tx.AddRecord(r)) }
func (g *guardedTx) UpdateRecord(r *Record) error         { return g.note(g.Tx.UpdateRecord(r)) }
func (g *guardedTx) Enrollments(contactID int64) ([]*Enrollment, error) {
	v, err := g.Tx.Enrollments(contactID)
	return v, g.note(err)
}
func (g *guardedTx) AddDelivery(d *Delivery) (bool, error) {
	v, err := g.Tx.AddDelivery(d)
	return v, g.note(err)
}
func (g *guardedTx) MarkSent(contactID int64, email string) (bool, error) {
	v, err := g.Tx.MarkSent(contactID, email)
	return v, g.note(err)
}
func (g *guardedTx) AddMarketingDelivery(d *Delivery) (bool, bool, error) {
	first, stored, err := g.Tx.AddMarketingDelivery(d)
	return first, stored, g.note(err)
}
func (g *guardedTx) Records(contactID int64, kind string) ([]*Record, error) {
	v, err := g.Tx.Records(contactID, kind)
	return v, g.note(err)
}
func (g *guardedTx) NextInTurn(router string, n int) (int, error) {
	v, err := g.Tx.NextInTurn(router, n)
	return v, g.note(err)
}
func (g *guardedTx) ContactsOn(kind, name string) ([]int64, error) {
	v, err := g.Tx.ContactsOn(kind, name)
	return v, g.note(err)
}
func (g *guardedTx) Timeline(contactID int64) ([]TimelineEntry, error) {
	v, err := g.Tx.Timeline(contactID)
	return v, g.note(err)
}
func (g *guardedTx) Deliveries(contactID int64) ([]*Delivery, error) {
	v, err := g.Tx.Deliveries(contactID)
	return v, g.note(err)
}
func (g *guardedTx) Due(t time.Time, limit int) ([]DueToken, error) {
	v, err := g.Tx.Due(t, limit)
	return v, g.note(err)
}
func (g *guardedTx) AddEvent(e *StoredEvent) (bool, error) {
	v, err := g.Tx.AddEvent(e)
	return v, g.note(err)
}
func (g *guardedTx) Memberships(contactID int64) ([]Membership, error) {
	v, err := g.Tx.Memberships(contactID)
	return v, g.note(err)
}
func (g *guardedTx) JoinSegment(contactID int64, segment string, at time.Time) error {
	return g.note(g.Tx.JoinSegment(contactID, segment, at))
}
func (g *guardedTx) LeaveSegment(contactID int64, segment string) error {
	return g.note(g.Tx.LeaveSegment(contactID, segment))
}
