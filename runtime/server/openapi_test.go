package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// docs/openapi.yaml is held to the router: it describes every route the
// router has and no other, and every request and answer below, made
// against a real server, matches it.

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join("..", "..", "docs", "openapi.yaml"))
	if err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("docs/openapi.yaml is not valid OpenAPI: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("docs/openapi.yaml is OpenAPI %s; want 3.1", doc.OpenAPI)
	}
	return doc
}

func TestOpenAPIDescribesTheRoutesOfTheRouter(t *testing.T) {
	doc := loadOpenAPI(t)
	var inFile []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inFile = append(inFile, method+" "+path)
		}
	}
	var inRouter []string
	for _, rt := range Routes() {
		inRouter = append(inRouter, rt.Pattern())
		if item := doc.Paths.Find(rt.Path); item != nil && item.GetOperation(rt.Method) != nil {
			if public := item.GetOperation(rt.Method).Security != nil; public != rt.Public {
				t.Errorf("%s: the router and docs/openapi.yaml disagree on whether it needs the token", rt.Pattern())
			}
		}
	}
	for _, p := range inRouter {
		if !slices.Contains(inFile, p) {
			t.Errorf("the router has %s; docs/openapi.yaml does not describe it", p)
		}
	}
	for _, p := range inFile {
		if !slices.Contains(inRouter, p) {
			t.Errorf("docs/openapi.yaml describes %s; the router has no such route", p)
		}
	}
}

// exchange is one request of the tour and the status it must get.
type exchange struct {
	method, path, contentType, body string
	header                          []string
	status                          int
	// invalid requests are wrong on purpose (no token, bad JSON): only
	// their answer is held to the file.
	invalid bool
	// before runs just before the request (to put the store in a state
	// only the workers reach).
	before func(ts *testServer)
}

func TestEveryRouteMatchesOpenAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	doc.Servers = openapi3.Servers{{URL: ts.http.URL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	longer := linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "3d"`, 1)).Plan
	longerWait := planFile(t, longer, 1, ts.srv.current().Hash, plan.ApplyOptions{})
	noWait := planFile(t, linkWorkspace(t, withoutTwoDays(webinarWorkspace)).Plan, 2, longer.Hash, plan.ApplyOptions{})
	tour := []exchange{
		{method: "GET", path: "/healthz", status: 200},
		{method: "GET", path: "/readyz", status: 200},
		{method: "GET", path: "/metrics", status: 200},
		{method: "GET", path: "/v1/deployment", status: 200},
		{method: "GET", path: "/v1/status", status: 200},
		{method: "GET", path: "/v1/status?verbose=1", status: 400, invalid: true},
		{method: "GET", path: "/v1/status", status: 200, before: registerSchedulerMetrics},
		{method: "POST", path: "/v1/contacts", body: `{"email": "ada@example.com", "first_name": "Ada", "external_id": "crm-1", "tags": ["lead"], "score": 3}`, status: 201},
		{method: "POST", path: "/v1/contacts", body: `{"email": "ada@example.com"}`, status: 409},
		{method: "POST", path: "/v1/contacts", body: `{"score": "high"}`, status: 422},
		{method: "POST", path: "/v1/contacts", body: `{"email": `, status: 400, invalid: true},
		{method: "POST", path: "/v1/contacts", body: `{"company": "` + strings.Repeat("x", maxBody) + `"}`, status: 413},
		{method: "POST", path: "/v1/contacts", contentType: "text/plain", body: `email=a`, status: 415, invalid: true},
		{method: "POST", path: "/v1/events", body: `{"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "attended", "properties": {"webinar": "june"}}`, header: []string{"Idempotency-Key", "evt-1"}, status: 202},
		{method: "POST", path: "/v1/events", body: `{"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "attended"}`, header: []string{"Idempotency-Key", "evt-1"}, status: 202},
		{method: "POST", path: "/v1/events", body: `{"contact": {"external_id": "crm-2"}, "type": "field_changed", "field": "plan", "value": "pro"}`, status: 202},
		{method: "POST", path: "/v1/events", body: `{"contact": {"id": 99}, "type": "api", "name": "renewed"}`, status: 404},
		{method: "POST", path: "/v1/events", body: `{"contact": {"id": 1}, "type": "tag_added", "tag": "vipp"}`, status: 422},
		{method: "POST", path: "/v1/events", body: `{"contact": {"id": 1}, "type": "tag_added", "tag": "vip", "colour": "red"}`, status: 400},
		{method: "GET", path: "/v1/contacts?email=ada@example.com", status: 200},
		{method: "GET", path: "/v1/contacts?external_id=nobody", status: 404},
		{method: "GET", path: "/v1/contacts?mail=ada@example.com", status: 400, invalid: true},
		{method: "GET", path: "/v1/contacts/1", status: 200},
		{method: "GET", path: "/v1/contacts/99", status: 404},
		{method: "PATCH", path: "/v1/contacts/1", body: `{"plan": "pro", "company": null, "tags": ["lead", "vip"]}`, status: 200},
		{method: "PATCH", path: "/v1/contacts/1", body: `{"external_id": "crm-9"}`, status: 422},
		{method: "POST", path: "/v1/contacts/import", contentType: "text/csv", body: "email,first_name,score,tags\ngrace@example.com,Grace,2,lead;vip\nbad@example.com,Bad,lots,\n", status: 200},
		{method: "POST", path: "/v1/contacts/import?mode=create", contentType: "application/x-ndjson", body: `{"email": "hedy@example.com", "tags": ["lead"]}` + "\n" + `{"email": "ada@example.com"}` + "\n", status: 200},
		{method: "POST", path: "/v1/contacts/import", contentType: "text/csv", body: "email,scroe\n", status: 400},
		{method: "GET", path: "/v1/contacts/1/timeline?limit=2", status: 200},
		{method: "GET", path: "/v1/contacts/1/timeline?after=2", status: 200},
		{method: "GET", path: "/v1/campaigns", status: 200},
		{method: "GET", path: "/v1/campaigns/webinar/stats", status: 200},
		{method: "GET", path: "/v1/campaigns/webinr/stats", status: 404},
		{method: "GET", path: "/v1/segments", status: 200},
		{method: "GET", path: "/v1/segments/leads", status: 200},
		{method: "GET", path: "/v1/segments/lead", status: 404},
		{method: "GET", path: "/v1/outbox?status=pending&channel=email&limit=1", status: 200},
		{method: "GET", path: "/v1/outbox?contact=1", status: 200},
		{method: "GET", path: "/v1/outbox/1", status: 200},
		{method: "GET", path: "/v1/outbox/99", status: 404},
		{method: "POST", path: "/v1/outbox/1/retry", status: 409},
		{method: "POST", path: "/v1/outbox/1/retry", status: 202, before: func(ts *testServer) { setStatus(t, ts, 1, runtime.DeliveryFailed) }},
		{method: "POST", path: "/v1/outbox/1/retry", status: 409, before: func(ts *testServer) { setStatus(t, ts, 1, runtime.DeliverySent) }},
		{method: "GET", path: "/v1/outbox/1", status: 401, header: []string{"Authorization", "Bearer nope"}, invalid: true},
		{method: "GET", path: "/v1/fulfillment/welcome_kits", status: 200},
		{method: "POST", path: "/v1/fulfillment/welcome_kits/batches", status: 409},
		{method: "POST", path: "/v1/fulfillment/welcome_kits/batches", status: 201, before: func(ts *testServer) {
			addPendingRow(t, ts, 1, "welcome_kits", map[string]any{"first_name": "Ada", "company": "Analytical, Ltd"})
		}},
		{method: "GET", path: "/v1/fulfillment/welcome_kits", status: 200},
		{method: "GET", path: "/v1/fulfillment/welcome_kits/batches/1.csv", status: 200},
		{method: "GET", path: "/v1/fulfillment/welcome_kits/batches/9.csv", status: 404},
		{method: "GET", path: "/v1/fulfillment/welcome_kit", status: 404},
		{method: "GET", path: "/v1/deployments/preview", status: 200},
		{method: "POST", path: "/v1/deployments/preview", body: longerWait, status: 200},
		{method: "POST", path: "/v1/deployments/preview", body: `{"format_version": "1"}`, status: 400, invalid: true},
		{method: "POST", path: "/v1/deployments", body: longerWait, status: 201},
		{method: "POST", path: "/v1/deployments", body: longerWait, status: 409},
		{method: "POST", path: "/v1/deployments", body: noWait, status: 422},
		{method: "GET", path: "/v1/deployments?limit=5", status: 200},
		{method: "GET", path: "/v1/deployments/1", status: 200},
		{method: "GET", path: "/v1/deployments/9", status: 404},
		{method: "DELETE", path: "/v1/contacts/1", status: 204},
		{method: "DELETE", path: "/v1/contacts/1", status: 404},
		{method: "GET", path: "/v1/contacts/abc", status: 400, invalid: true},
	}
	covered := map[string]bool{}
	for i, ex := range tour {
		if ex.before != nil {
			ex.before(ts)
		}
		route := checkExchange(t, ts, router, i+1, ex)
		if route != nil && ex.status/100 == 2 {
			covered[route.Method+" "+route.Path] = true
		}
	}
	for _, rt := range Routes() {
		if !covered[rt.Pattern()] {
			t.Errorf("no request of the tour got a 2xx from %s: add one", rt.Pattern())
		}
	}
}

// checkExchange makes one request of the tour, holding the request (unless
// invalid on purpose) and the answer to the file.
func checkExchange(t *testing.T, ts *testServer, router routers.Router, n int, ex exchange) *routers.Route {
	t.Helper()
	ctx := context.Background()
	name := ex.method + " " + ex.path
	if len(name) > 80 {
		name = name[:80] + "..."
	}
	ct := ex.contentType
	if ct == "" && ex.body != "" {
		ct = api.ContentTypeJSON
	}
	req, err := http.NewRequest(ex.method, ts.http.URL+ex.path, strings.NewReader(ex.body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	for i := 0; i+1 < len(ex.header); i += 2 {
		req.Header.Set(ex.header[i], ex.header[i+1])
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%d. %s: docs/openapi.yaml has no route for it: %v", n, name, err)
		return nil
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    bearerOnly,
		IncludeResponseStatus: true,
		ExcludeRequestBody:    ct == api.ContentTypeNDJSON,
		ExcludeResponseBody:   true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if !ex.invalid && len(ex.body) <= maxBody {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("%d. %s: the request does not match docs/openapi.yaml: %v", n, name, err)
		}
		if ct == api.ContentTypeNDJSON {
			checkLines(t, n, name+" (request)", route.Operation.RequestBody.Value.Content.Get(ct).Schema.Value, ex.body)
		}
		req.Body = io.NopCloser(strings.NewReader(ex.body))
	}
	resp, err := ts.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != ex.status {
		t.Errorf("%d. %s: status %d, want %d: %s", n, name, resp.StatusCode, ex.status, body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%d. %s: the answer's status or headers do not match docs/openapi.yaml: %v", n, name, err)
		return route
	}
	if len(body) == 0 {
		return route
	}
	respCT := resp.Header.Get("Content-Type")
	media := route.Operation.Responses.Status(resp.StatusCode).Value.Content.Get(respCT)
	if media == nil {
		t.Errorf("%d. %s: docs/openapi.yaml does not describe a %d answer of %s", n, name, resp.StatusCode, respCT)
		return route
	}
	switch {
	case strings.HasPrefix(respCT, api.ContentTypeNDJSON):
		checkLines(t, n, name, media.Schema.Value, string(body))
	case strings.HasPrefix(respCT, api.ContentTypeJSON):
		checkValue(t, n, name, media.Schema.Value, body)
	}
	return route
}

// checkValue holds a JSON value to a schema, as JSON Schema 2020-12 (the
// dialect of OpenAPI 3.1).
func checkValue(t *testing.T, n int, name string, schema *openapi3.Schema, data []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Errorf("%d. %s: not JSON: %v: %s", n, name, err, data)
		return
	}
	if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("%d. %s: %s does not match docs/openapi.yaml: %v", n, name, bytes.TrimSpace(data), err)
	}
}

// checkLines holds each line of an NDJSON body to the schema.
func checkLines(t *testing.T, n int, name string, schema *openapi3.Schema, body string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			checkValue(t, n, name, schema, sc.Bytes())
		}
	}
}

// bearerOnly is the file's security scheme, checked as the server checks
// it: a bearer token is there.
func bearerOnly(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
	if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
		return in.NewError(nil)
	}
	return nil
}

// registerSchedulerMetrics registers, with a few samples, the metrics
// the scheduler and the queue keep, which GET /v1/status reads back.
func registerSchedulerMetrics(ts *testServer) {
	lateness := prometheus.NewHistogram(prometheus.HistogramOpts{Name: latenessMetric, Buckets: []float64{0.1, 1, 10}})
	lateness.Observe(0.05)
	lateness.Observe(2)
	ts.srv.registry.MustRegister(lateness, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: queueDepthMetric}, func() float64 { return 3 }))
}
