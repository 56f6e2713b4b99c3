package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// httpError is an error with the status and code the API answers it
// with; its message says what is wrong and what to do.
type httpError struct {
	status int
	code   string
	msg    string
	// stranded are an apply_refused error's stranded elements.
	stranded []runtime.Stranded
	// serial is a stale_plan error's current deployment serial.
	serial *int64
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: fmt.Sprintf(format, args...)}
}

func unprocessable(err error) *httpError {
	return &httpError{status: http.StatusUnprocessableEntity, code: api.CodeUnprocessable, msg: err.Error()}
}

func notFound(format string, args ...any) *httpError {
	return &httpError{status: http.StatusNotFound, code: api.CodeNotFound, msg: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *httpError {
	return &httpError{status: http.StatusConflict, code: api.CodeConflict, msg: fmt.Sprintf(format, args...)}
}

// noDeployment answers a route that needs a plan before the first one.
func noDeployment(status int) *httpError {
	return &httpError{status: status, code: api.CodeNoDeployment,
		msg: "no plan is deployed yet: apply one (journey apply) and try again"}
}

// fail writes err as the API's JSON error. An error the API does not
// know is a 500 whose message points to the log, which has the error: a
// client is not told the server's insides.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	var tooLarge *http.MaxBytesError
	var exists *runtime.ContactExistsError
	switch {
	case errors.As(err, &he):
	case errors.As(err, &tooLarge):
		he = &httpError{status: http.StatusRequestEntityTooLarge, code: api.CodePayloadTooLarge,
			msg: fmt.Sprintf("the request body is larger than %d bytes (%d MiB); send many contacts through POST /v1/contacts/import", tooLarge.Limit, tooLarge.Limit>>20)}
	case errors.As(err, &exists):
		he = conflict("%s: update it with PATCH /v1/contacts/%d", exists.Error(), exists.ID)
	case errors.Is(err, runtime.ErrExternalIDChange):
		he = unprocessable(err)
	case errors.Is(err, runtime.ErrNoContact):
		he = notFound("no such contact")
	case errors.Is(err, runtime.ErrNoDelivery):
		he = notFound("no such delivery in the outbox")
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away: nobody reads an answer.
		return
	default:
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("error", err))
		he = &httpError{status: http.StatusInternalServerError, code: api.CodeInternal,
			msg: "the server could not answer; its log says why (" + time.Now().UTC().Format(time.RFC3339) + ")"}
	}
	writeError(w, he)
}

func writeError(w http.ResponseWriter, e *httpError) {
	writeJSON(w, e.status, api.ErrorBody{Error: &api.Error{Code: e.code, Message: e.msg, Stranded: e.stranded, Serial: e.serial}})
}

// writeJSON writes v as the answer: deterministic (encoding/json sorts
// maps), no HTML escaping (no page shows it).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", api.ContentTypeJSON)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func levelOf(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
