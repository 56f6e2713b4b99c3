package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

const wantContact = `a contact is a JSON object of its fields and "tags": {"email": "ada@example.com", "first_name": "Ada", "tags": ["lead"]}`

// createContact creates a contact (POST /v1/contacts); one whose
// external_id or email names a contact already is a 409.
func (s *Server) createContact(w http.ResponseWriter, r *http.Request) error {
	dep := s.current()
	if dep == nil {
		return noDeployment(http.StatusConflict)
	}
	obj, err := readJSONObject(r, wantContact)
	if err != nil {
		return err
	}
	ch, err := dep.Program.CheckContact(obj)
	if err != nil {
		return unprocessable(err)
	}
	up, err := s.engine.Upsert(r.Context(), ch, runtime.CreateOnly)
	if err != nil {
		return err
	}
	s.Wake()
	c, err := s.contactView(r.Context(), up.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/contacts/"+strconv.FormatInt(up.ID, 10))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// findContact looks a contact up by email or external_id.
func (s *Server) findContact(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "email", "external_id")
	if err != nil {
		return err
	}
	email, ext := q.Get("email"), q.Get("external_id")
	if (email == "") == (ext == "") {
		return badRequest("name the contact by one of ?email=ADDRESS or ?external_id=ID (GET /v1/contacts/ID takes its id)")
	}
	var ref runtime.ContactRef
	ref.Email, ref.ExternalID = email, ext
	id, err := s.engine.Resolve(r.Context(), ref)
	if err != nil {
		if errors.Is(err, runtime.ErrNoContact) {
			return notFound("no contact has %s", refWords(ref))
		}
		return err
	}
	return s.writeContact(w, r.Context(), http.StatusOK, id)
}

func refWords(ref runtime.ContactRef) string {
	if ref.ExternalID != "" {
		return "external_id " + strconv.Quote(ref.ExternalID)
	}
	return "email " + strconv.Quote(ref.Email)
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "contact")
	if err != nil {
		return err
	}
	return s.writeContact(w, r.Context(), http.StatusOK, id)
}

// patchContact sets a contact's fields: null unsets one, "tags" replaces
// the list; the changes raise field_changed, tag_added and tag_removed.
func (s *Server) patchContact(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "contact")
	if err != nil {
		return err
	}
	dep := s.current()
	if dep == nil {
		return noDeployment(http.StatusConflict)
	}
	obj, err := readJSONObject(r, wantContact)
	if err != nil {
		return err
	}
	ch, err := dep.Program.CheckContact(obj)
	if err != nil {
		return unprocessable(err)
	}
	if err := s.engine.Change(r.Context(), id, ch); err != nil {
		return contactErr(err, id)
	}
	s.Wake()
	return s.writeContact(w, r.Context(), http.StatusOK, id)
}

// deleteContact removes a contact and every trace of it.
func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "contact")
	if err != nil {
		return err
	}
	if err := s.engine.DeleteContact(r.Context(), id); err != nil {
		return contactErr(err, id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// contactErr names the contact in a not-found error.
func contactErr(err error, id int64) error {
	if errors.Is(err, runtime.ErrNoContact) {
		return notFound("no contact %d", id)
	}
	return err
}

func (s *Server) writeContact(w http.ResponseWriter, ctx context.Context, status int, id int64) error {
	c, err := s.contactView(ctx, id)
	if err != nil {
		return contactErr(err, id)
	}
	writeJSON(w, status, c)
	return nil
}

// contactView loads a contact as the API shows it.
func (s *Server) contactView(ctx context.Context, id int64) (*api.Contact, error) {
	tx, err := s.store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := tx.Contact(id)
	if err != nil {
		return nil, err
	}
	return contactOut(c), nil
}

// contactOut is a contact as the API shows it: the email has its own
// member, so it is not among the fields again.
func contactOut(c *runtime.Contact) *api.Contact {
	fields := make(map[string]any, len(c.Fields))
	for k, v := range c.Fields {
		if k != "email" {
			fields[k] = v
		}
	}
	return &api.Contact{
		ID:           c.ID,
		ExternalID:   c.ExternalID,
		Email:        c.StringField("email"),
		Fields:       fields,
		Tags:         nonNil(c.Tags),
		Points:       c.Points,
		Stage:        c.Stage,
		Owner:        c.Owner,
		DoNotContact: nonNil(c.DNC),
		CreatedAt:    c.CreatedAt.UTC(),
	}
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
