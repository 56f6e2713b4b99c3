package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// An import commits importBatch rows a transaction, and says how far it
// got about every importProgress rows.
const (
	importBatch    = 500
	importProgress = 1000
)

// importContacts creates or updates contacts from a CSV or NDJSON body,
// streamed: rows are read, committed in batches and answered as they
// come, so that neither the body nor the answer is held whole.
func (s *Server) importContacts(w http.ResponseWriter, r *http.Request) error {
	dep := s.current()
	if dep == nil {
		return noDeployment(http.StatusConflict)
	}
	q, err := query(r, "mode")
	if err != nil {
		return err
	}
	mode := runtime.CreateOrUpdate
	switch api.ImportMode(q.Get("mode")) {
	case "", api.ImportUpsert:
	case api.ImportCreate:
		mode = runtime.CreateOnly
	default:
		return badRequest("mode=%s: the mode is upsert (the default: a row naming a contact updates it) or create (such a row fails)", q.Get("mode"))
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var rows rowSource
	switch mt {
	case api.ContentTypeCSV:
		if rows, err = newCSVRows(r.Body, dep.Program); err != nil {
			return err
		}
	case api.ContentTypeNDJSON:
		rows = newNDJSONRows(r.Body, dep.Program)
	default:
		return &httpError{status: http.StatusUnsupportedMediaType, code: api.CodeUnsupportedMediaType,
			msg: "an import is CSV (Content-Type: text/csv, a header line of field names) or NDJSON (Content-Type: application/x-ndjson, one contact object a line)"}
	}
	rc := http.NewResponseController(w)
	// Rows are answered while the body is still read (HTTP/1.1 servers
	// otherwise read the whole body before the first byte of the answer).
	if err := rc.EnableFullDuplex(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	// Closed by the handler, not after it: net/http's HTTP/1 server in
	// full duplex can otherwise start a read of the connection that races
	// the next request's and panics (golang/go#68560).
	defer r.Body.Close()
	w.Header().Set("Content-Type", api.ContentTypeNDJSON)
	w.WriteHeader(http.StatusOK)
	imp := &importer{s: s, r: r, mode: mode, out: json.NewEncoder(w), flush: rc.Flush}
	if err := imp.run(rows); err != nil {
		imp.stopped(err)
	}
	return nil
}

// importer runs one import.
type importer struct {
	s      *Server
	r      *http.Request
	mode   runtime.UpsertMode
	out    *json.Encoder
	flush  func() error
	counts api.ImportCounts
	// the batch being read: rows to upsert and the lines they start on,
	// and the rows that failed before the upsert.
	batch    []runtime.ContactChanges
	lines    []int
	failures []api.ImportLine
	reported int // rows counted in the last progress line
}

func (imp *importer) run(rows rowSource) error {
	for {
		line, ch, rowErr, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, errRowTooLong) {
				return commitFirst(imp, err)
			}
			return err
		}
		imp.counts.Rows++
		if rowErr != nil {
			imp.failures = append(imp.failures, api.ImportLine{Row: line, Error: rowErr.Error()})
		} else {
			imp.batch, imp.lines = append(imp.batch, ch), append(imp.lines, line)
		}
		if len(imp.batch)+len(imp.failures) >= importBatch {
			if err := imp.commit(); err != nil {
				return err
			}
		}
	}
	if err := imp.commit(); err != nil {
		return err
	}
	done := imp.counts
	return imp.write(api.ImportLine{Done: &done})
}

// commitFirst commits the rows read before an error that stops the
// import, then reports the error.
func commitFirst(imp *importer, stop error) error {
	if err := imp.commit(); err != nil {
		return err
	}
	return stop
}

// commit upserts the batch and answers its failed rows, in row order.
func (imp *importer) commit() error {
	if len(imp.batch) > 0 {
		results, err := imp.s.engine.UpsertBatch(imp.r.Context(), imp.batch, imp.mode)
		if err != nil {
			return err
		}
		for i, res := range results {
			switch {
			case res.Err != nil:
				imp.failures = append(imp.failures, api.ImportLine{Row: imp.lines[i], Error: res.Err.Error()})
			case res.Created:
				imp.counts.Created++
			default:
				imp.counts.Updated++
			}
		}
		imp.s.Wake()
	}
	slices.SortFunc(imp.failures, func(a, b api.ImportLine) int { return a.Row - b.Row })
	for _, f := range imp.failures {
		imp.counts.Failed++
		if err := imp.write(f); err != nil {
			return err
		}
	}
	imp.batch, imp.lines, imp.failures = imp.batch[:0], imp.lines[:0], imp.failures[:0]
	if imp.counts.Rows/importProgress > imp.reported/importProgress {
		imp.reported = imp.counts.Rows
		progress := imp.counts
		if err := imp.write(api.ImportLine{Progress: &progress}); err != nil {
			return err
		}
	}
	return imp.flush()
}

func (imp *importer) write(line api.ImportLine) error { return imp.out.Encode(line) }

// stopped ends an answer whose import could not go on: its last line is
// the error, with no "done" line, and the rows reported before it stay
// imported.
func (imp *importer) stopped(err error) {
	if imp.r.Context().Err() != nil {
		return // the client went away
	}
	why := err.Error()
	if !errors.Is(err, errRowTooLong) {
		imp.s.log.LogAttrs(imp.r.Context(), slog.LevelError, "import stopped", slog.Any("error", err))
		why = "the server's log says why"
	}
	kept := imp.counts.Created + imp.counts.Updated
	imp.write(api.ImportLine{Error: fmt.Sprintf("the import stopped after %d rows (%s): %d were imported, and the lines above name the ones that failed",
		kept+imp.counts.Failed, why, kept)})
	imp.flush()
}
