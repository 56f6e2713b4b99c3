package server

import (
	"net/http"
	"strings"
)

// route is one route of the API: its method and path (a Go 1.22
// ServeMux pattern), whether it needs the token, how its body is read,
// and its handler.
type route struct {
	method, path string
	// public routes need no token (GET /healthz only).
	public bool
	// streamed routes read their body as it comes, without the 1 MiB
	// limit (the import, whose rows are limited one by one).
	streamed bool
	// maxBody is the most the body may hold; 0 is maxBody.
	maxBody int64
	handle  func(s *Server, w http.ResponseWriter, r *http.Request) error
}

// Route is a route of the API as its table lists it.
type Route struct {
	Method, Path string
	// Public routes need no token.
	Public bool
}

// Pattern is the route as a ServeMux pattern: "POST /v1/events".
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// routeTable is every route of the API, in the order docs/api.md
// describes them.
func routeTable() []route {
	return []route{
		{method: "GET", path: "/healthz", public: true, handle: (*Server).health},
		{method: "GET", path: "/readyz", handle: (*Server).ready},
		{method: "GET", path: "/metrics", handle: (*Server).serveMetrics},
		{method: "POST", path: "/v1/events", handle: (*Server).postEvent},
		{method: "POST", path: "/v1/contacts", handle: (*Server).createContact},
		{method: "GET", path: "/v1/contacts", handle: (*Server).findContact},
		{method: "POST", path: "/v1/contacts/import", streamed: true, handle: (*Server).importContacts},
		{method: "GET", path: "/v1/contacts/{id}", handle: (*Server).getContact},
		{method: "PATCH", path: "/v1/contacts/{id}", handle: (*Server).patchContact},
		{method: "DELETE", path: "/v1/contacts/{id}", handle: (*Server).deleteContact},
		{method: "GET", path: "/v1/contacts/{id}/timeline", handle: (*Server).timeline},
		{method: "GET", path: "/v1/campaigns", handle: (*Server).campaigns},
		{method: "GET", path: "/v1/campaigns/{name}/stats", handle: (*Server).campaignStats},
		{method: "GET", path: "/v1/segments", handle: (*Server).segments},
		{method: "GET", path: "/v1/segments/{name}", handle: (*Server).segment},
		{method: "GET", path: "/v1/outbox", handle: (*Server).outbox},
		{method: "GET", path: "/v1/outbox/{id}", handle: (*Server).delivery},
		{method: "POST", path: "/v1/outbox/{id}/retry", handle: (*Server).retryDelivery},
		{method: "GET", path: "/v1/fulfillment/{list}", handle: (*Server).fulfillmentList},
		{method: "POST", path: "/v1/fulfillment/{list}/batches", handle: (*Server).cutFulfillmentBatch},
		{method: "GET", path: "/v1/fulfillment/{list}/batches/{file}", handle: (*Server).fulfillmentCSV},
		{method: "GET", path: "/v1/deployment", handle: (*Server).getDeployment},
		{method: "GET", path: "/v1/deployments", handle: (*Server).history},
		{method: "POST", path: "/v1/deployments", maxBody: maxPlanBody, handle: (*Server).applyPlan},
		{method: "GET", path: "/v1/deployments/preview", handle: (*Server).positions},
		{method: "POST", path: "/v1/deployments/preview", maxBody: maxPlanBody, handle: (*Server).previewPlan},
		{method: "GET", path: "/v1/deployments/{id}", handle: (*Server).deploymentRecord},
		{method: "GET", path: "/v1/status", handle: (*Server).serverStatus},
	}
}

// Routes lists the API's routes.
func Routes() []Route {
	var out []Route
	for _, rt := range routeTable() {
		out = append(out, Route{Method: rt.method, Path: rt.path, Public: rt.public})
	}
	return out
}

// Handler is the HTTP API: every route of the table behind its
// middleware, JSON errors for what no route matches, and the request log
// and metrics around it all.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routeTable() {
		mux.Handle(rt.method+" "+rt.path, s.endpoint(rt))
	}
	return s.observe(unmatchedAsJSON(mux))
}

// unmatchedAsJSON answers the requests no route takes with the API's JSON
// errors instead of the mux's plain text: 404 for an unknown path, 405
// (with Allow) for a method the path does not take.
func unmatchedAsJSON(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		mux.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusNotFound:
			writeError(w, &httpError{status: http.StatusNotFound, code: "not_found",
				msg: "no route " + r.Method + " " + r.URL.Path + ": docs/api.md lists the routes"})
		case http.StatusMethodNotAllowed:
			allow := rec.header.Get("Allow")
			w.Header().Set("Allow", allow)
			writeError(w, &httpError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
				msg: r.URL.Path + " does not take " + r.Method + "; it takes " + strings.ReplaceAll(allow, ", ", " or ")})
		default:
			// A redirect to the cleaned path: as the mux answered it.
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
			w.Write(rec.body)
		}
	})
}

// headerRecorder keeps what the mux answers for an unmatched request.
type headerRecorder struct {
	header http.Header
	status int
	body   []byte
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(status int) {
	if h.status == 0 {
		h.status = status
	}
}
func (h *headerRecorder) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	h.body = append(h.body, b...)
	return len(b), nil
}
