package server

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// fulfillmentList shows what waits on a list and its batches, newest
// first. A list the plan no longer declares is shown while the store has
// its rows or batches.
func (s *Server) fulfillmentList(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	name := r.PathValue("list")
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	pending, err := tx.FulfillmentPending(name)
	if err != nil {
		return err
	}
	batches, err := tx.FulfillmentBatches(name)
	if err != nil {
		return err
	}
	if s.declaredList(name) == nil && pending.Rows == 0 && len(batches) == 0 {
		return s.unknownList(name)
	}
	out := api.FulfillmentList{List: name, Pending: pending.Rows, Batches: make([]api.FulfillmentBatch, 0, len(batches))}
	if pending.Rows > 0 {
		oldest := pending.Oldest.UTC()
		out.OldestPendingAt = &oldest
	}
	for _, b := range batches {
		out.Batches = append(out.Batches, batchOut(b))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// cutFulfillmentBatch cuts a batch of every pending row of a list now,
// mailed as a batch cut by the rule is.
func (s *Server) cutFulfillmentBatch(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	name := r.PathValue("list")
	list := s.declaredList(name)
	if list == nil {
		return s.unknownList(name)
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	b, err := s.cutBatch(tx, list)
	if errors.Is(err, runtime.ErrNothingPending) {
		return conflict("fulfillment_list %q has no pending row to put in a batch: GET /v1/fulfillment/%s lists its batches", name, name)
	}
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.logBatch(r.Context(), list, b, "cut by hand (POST "+r.URL.Path+")")
	out := batchOut(b)
	w.Header().Set("Location", out.CSV)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// fulfillmentCSV downloads a batch as CSV. The mux matches whole path
// segments only: {file} is the batch's id followed by ".csv".
func (s *Server) fulfillmentCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	name, file := r.PathValue("list"), r.PathValue("file")
	raw, isCSV := strings.CutSuffix(file, ".csv")
	if !isCSV {
		return notFound("no such file %q: a batch downloads as its id followed by .csv (%s)", file, api.FulfillmentBatchPath(name, 1))
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return badRequest("batch id %q is not an id: ids are whole numbers above 0", raw)
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	b, err := tx.FulfillmentBatch(id)
	if errors.Is(err, runtime.ErrNoFulfillmentBatch) || (err == nil && b.List != name) {
		return notFound("fulfillment_list %q has no batch %d: GET /v1/fulfillment/%s lists its batches", name, id, name)
	}
	if err != nil {
		return err
	}
	rows, err := tx.FulfillmentRows(id)
	if err != nil {
		return err
	}
	data, err := batchCSV(b.Fields, rows)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", api.ContentTypeCSV+"; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": batchFilename(name, id)}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}

// declaredList is a list the deployed plan declares, or nil.
func (s *Server) declaredList(name string) *runtime.FulfillmentList {
	d := s.current()
	if d == nil || d.Program == nil {
		return nil
	}
	return d.Program.FulfillmentList(name)
}

// unknownList answers a list the deployed plan does not declare.
func (s *Server) unknownList(name string) error {
	d := s.current()
	if d == nil || d.Program == nil {
		return noDeployment(http.StatusNotFound)
	}
	var names []string
	for _, l := range d.Program.FulfillmentLists() {
		names = append(names, l.Name)
	}
	if near := suggest.Closest(name, names); near != "" {
		return notFound("the deployed plan declares no fulfillment_list %q; did you mean %q?", name, near)
	}
	if len(names) == 0 {
		return notFound("the deployed plan declares no fulfillment_list %q (it declares none)", name)
	}
	return notFound("the deployed plan declares no fulfillment_list %q; it declares %s", name, strings.Join(quoted(names), ", "))
}

// batchOut is a batch as the API shows it.
func batchOut(b *runtime.FulfillmentBatch) api.FulfillmentBatch {
	out := api.FulfillmentBatch{ID: b.ID, Rows: b.Rows, CreatedAt: b.CreatedAt.UTC(), CSV: api.FulfillmentBatchPath(b.List, b.ID)}
	if b.DeliveryID != 0 {
		id := b.DeliveryID
		out.DeliveryID = &id
	}
	if b.MailedAt != nil {
		at := b.MailedAt.UTC()
		out.MailedAt = &at
	}
	return out
}

// describeBatch is a batch for the log.
func describeBatch(b *runtime.FulfillmentBatch) string {
	return fmt.Sprintf("batch %d of %s (%d rows)", b.ID, b.List, b.Rows)
}
