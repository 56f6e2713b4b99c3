package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// maxBody is the most a request body may hold, the import's excepted.
const maxBody = 1 << 20

// endpoint is a route behind its middleware: the token, the body limit,
// and its error written as JSON.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rt.public {
			if err := s.authorize(r); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="journey"`)
				writeError(w, err)
				return
			}
		}
		if !rt.streamed {
			limit := rt.maxBody
			if limit == 0 {
				limit = maxBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		defer s.recoverAsJSON(w, r)
		if err := rt.handle(s, w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// recoverAsJSON turns a handler's panic into the API's 500 (when nothing
// of the answer was written yet) and logs it with its stack: one bad
// request never takes the connection's next ones with it.
func (s *Server) recoverAsJSON(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.fail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
}

// authorize checks the bearer token. The comparison takes the same time
// whatever the token sent: both are hashed first, so that neither a
// prefix nor the length can be found by timing.
func (s *Server) authorize(r *http.Request) *httpError {
	h := r.Header.Get("Authorization")
	if h == "" {
		return &httpError{status: http.StatusUnauthorized, code: "unauthorized",
			msg: "this route needs the server's token: send the header Authorization: Bearer TOKEN (journey server printed the token when it first started; JOURNEY_TOKEN sets it)"}
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return &httpError{status: http.StatusUnauthorized, code: "unauthorized",
			msg: "the Authorization header must be Bearer TOKEN"}
	}
	got, want := sha256.Sum256([]byte(strings.TrimSpace(token))), sha256.Sum256([]byte(s.token))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return &httpError{status: http.StatusUnauthorized, code: "unauthorized",
			msg: "the token is not this server's: send the one journey server printed when it first started (or JOURNEY_TOKEN's)"}
	}
	return nil
}

// observe logs every request (method, route, status, duration: never
// the token or a body) and counts it in the metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		// The mux sets r.Pattern to the route it chose.
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		s.metrics.requests.WithLabelValues(pattern, strconv.Itoa(status)).Inc()
		s.metrics.duration.WithLabelValues(pattern).Observe(took.Seconds())
		s.log.LogAttrs(r.Context(), levelOf(status), "request",
			slog.String("method", r.Method), slog.String("route", pattern), slog.Int("status", status), slog.Duration("duration", took))
	})
}

// statusWriter keeps the status a handler wrote. Unwrap lets
// http.ResponseController reach the connection (flushes, full duplex).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
