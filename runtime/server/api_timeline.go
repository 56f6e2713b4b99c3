package server

import (
	"net/http"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// Timeline pages: entries after the after-th, at most limit of them.
const (
	defaultPage = 100
	maxPage     = 1000
)

// timeline shows a page of a contact's timeline, oldest first, each entry
// with the sentence journey simulate prints for it (times in the
// account's time zone).
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "contact")
	if err != nil {
		return err
	}
	q, err := query(r, "after", "limit")
	if err != nil {
		return err
	}
	after, err := intParam(q, "after", 0, 0, 1<<40)
	if err != nil {
		return err
	}
	limit, err := intParam(q, "limit", defaultPage, 1, maxPage)
	if err != nil {
		return err
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Contact(id); err != nil {
		return contactErr(err, id)
	}
	entries, err := tx.Timeline(id)
	if err != nil {
		return err
	}
	loc := time.UTC
	if d := s.current(); d != nil && d.Program != nil && d.Program.AccountLocation() != nil {
		loc = d.Program.AccountLocation()
	}
	out := api.Timeline{ContactID: id, Entries: []api.TimelineEntry{}}
	start := int(min(after, int64(len(entries))))
	end := min(start+int(limit), len(entries))
	for i, e := range entries[start:end] {
		out.Entries = append(out.Entries, api.TimelineEntry{
			Index: start + i + 1, At: e.At.UTC(), Campaign: e.Campaign, Sequence: e.Sequence, Element: e.Element,
			Kind: e.Kind, Outcome: e.Outcome, Detail: e.Detail, PlanHash: e.PlanHash, Text: e.Sentence(loc),
		})
	}
	if end < len(entries) {
		out.NextAfter = end
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
