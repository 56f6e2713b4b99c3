package sqlstore

import "github.com/journeyhq/journey/runtime"

// An event for a new contact (a signup) creates it, handles
// contact_created, stores the event and handles it, in one transaction:
// each handling loads the contact and its enrollments, which the
// transaction has just written or knows to be none. Until the transaction
// runs any other statement, a contact it created is read from what it
// wrote (decoded as the stored row would be) and has no enrollments: four
// queries fewer a signup, on SQLite's one writer as on PostgreSQL.

// freshContact is a contact this transaction created, as its row holds it.
type freshContact struct {
	id           int64
	externalID   string
	points       float64
	stage, owner string
	cols         contactColumns
}

// remember keeps a contact just created, with its columns as written.
func (t *Tx) remember(c *runtime.Contact, email, fields, tags, dnc string) {
	t.fresh = &freshContact{id: c.ID, externalID: c.ExternalID, points: c.Points, stage: c.Stage, owner: c.Owner,
		cols: contactColumns{email: email, fields: fields, tags: tags, dnc: dnc, created: unix(c.CreatedAt)}}
}

// freshFor returns the contact created in this transaction if it is id.
func (t *Tx) freshFor(id int64) *freshContact {
	if t.fresh == nil || t.fresh.id != id {
		return nil
	}
	return t.fresh
}

// contact decodes a fresh contact as Contact reads its row.
func (t *Tx) freshContact(f *freshContact) (*runtime.Contact, error) {
	c := &runtime.Contact{ID: f.id, ExternalID: f.externalID, Points: f.points, Stage: f.stage, Owner: f.owner}
	return c, t.decodeContact(c, f.cols)
}
