package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime/api"
)

// concretePath fills a route's path parameters.
func concretePath(path string) string {
	return strings.NewReplacer("{id}", "1", "{name}", "webinar", "{list}", "welcome_kits", "{file}", "1.csv").Replace(path)
}

func TestEveryRouteButHealthzNeedsTheToken(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	for _, rt := range Routes() {
		path := concretePath(rt.Path)
		if rt.Public {
			if r := ts.do(rt.Method, path, "", "", "Authorization", ""); r.status != http.StatusOK {
				t.Errorf("%s without a token: %d; a public route answers anyone", rt.Pattern(), r.status)
			}
			continue
		}
		for _, auth := range []string{"", "Bearer wrong-" + testToken, "Bearer " + testToken[:len(testToken)-1], "Basic " + testToken, testToken} {
			r := ts.do(rt.Method, path, api.ContentTypeJSON, `{}`, "Authorization", auth)
			msg := errorOf(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s with Authorization %q: WWW-Authenticate %q", rt.Pattern(), auth, r.header.Get("WWW-Authenticate"))
			}
			if strings.Contains(msg, testToken) || strings.Contains(msg, "wrong-") {
				t.Errorf("%s: the 401 echoes the token sent: %q", rt.Pattern(), msg)
			}
		}
	}
	if r := ts.do("GET", "/healthz", "", "", "Authorization", ""); r.body != "{\"status\":\"ok\"}\n" {
		t.Errorf("/healthz: %q", r.body)
	}
}

func TestBodiesAreLimitedAndStrict(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	big := `{"email": "a@example.com", "company": "` + strings.Repeat("x", maxBody) + `"}`
	for _, path := range []string{"/v1/contacts", "/v1/events"} {
		msg := errorOf(t, ts.json("POST", path, big), http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge)
		if !strings.Contains(msg, "1 MiB") {
			t.Errorf("%s: 413 says %q", path, msg)
		}
	}
	for _, c := range []struct {
		name, method, path, body string
		want                     string
	}{
		{"not JSON", "POST", "/v1/contacts", `email=a@example.com`, "1:1: not JSON"},
		{"cut short", "POST", "/v1/events", `{"contact": {"id": 1}, "type": `, "the JSON ends before its last value is closed"},
		{"a syntax error", "PATCH", "/v1/contacts/1", "{\n  \"plan\": pro\n}", "2:11: not valid JSON"},
		{"trailing data", "POST", "/v1/contacts", `{"email": "a@example.com"} {"email": "b@example.com"}`, "1:28: more JSON after the end of the first value: a request body holds one value"},
		{"empty", "POST", "/v1/contacts", ``, "the request body is empty"},
		{"an array", "POST", "/v1/contacts", `[{"email": "a@example.com"}]`, "the request body holds an array"},
		{"null", "POST", "/v1/contacts", `null`, "the request body holds null"},
		{"an unknown field of an event", "POST", "/v1/events", `{"contact": {"id": 1}, "type": "tag_added", "tag": "vip", "colour": "red"}`, `unknown field "colour"`},
		{"an unknown field of a reference", "POST", "/v1/events", `{"contact": {"id": 1, "phone": "+1"}, "type": "tag_added", "tag": "vip"}`, `unknown field "phone"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := errorOf(t, ts.json(c.method, c.path, c.body), http.StatusBadRequest, api.CodeBadRequest)
			if !strings.Contains(msg, c.want) {
				t.Errorf("message %q; want it to say %q", msg, c.want)
			}
			if strings.Contains(msg, "file") {
				t.Errorf("message %q speaks of a file: the client sent a request body", msg)
			}
		})
	}
	msg := errorOf(t, ts.do("POST", "/v1/contacts", "application/x-www-form-urlencoded", `email=a@example.com`), http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType)
	if !strings.Contains(msg, "Content-Type: application/json") {
		t.Errorf("415 says %q", msg)
	}
}

func TestUnmatchedRequestsGetJSONErrors(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	msg := errorOf(t, ts.json("GET", "/v1/contact/1", ""), http.StatusNotFound, api.CodeNotFound)
	if !strings.Contains(msg, "no route GET /v1/contact/1") {
		t.Errorf("404 says %q", msg)
	}
	r := ts.json("PUT", "/v1/events", `{}`)
	msg = errorOf(t, r, http.StatusMethodNotAllowed, api.CodeMethodNotAllowed)
	if r.header.Get("Allow") != "POST" || !strings.Contains(msg, "it takes POST") {
		t.Errorf("405: Allow %q, message %q", r.header.Get("Allow"), msg)
	}
}

// TestTheTokenIsNeverEchoed drives every route, right and wrong, and looks
// for the token in every answer and in the server's log.
func TestTheTokenIsNeverEchoed(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	var seen []response
	for _, rt := range Routes() {
		path := concretePath(rt.Path)
		seen = append(seen,
			ts.json(rt.Method, path, `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "attended"}`),
			ts.json(rt.Method, path+"?token="+testToken, `{"email": 1}`),
			ts.json(rt.Method, path, `{}`, "Authorization", "Bearer "+testToken+"x"),
		)
	}
	for _, r := range seen {
		if strings.Contains(r.body, testToken) {
			t.Errorf("an answer holds the token: %s", r.body)
		}
		for k, v := range r.header {
			if strings.Contains(strings.Join(v, " "), testToken) {
				t.Errorf("header %s holds the token", k)
			}
		}
	}
	if logs := ts.logs.String(); strings.Contains(logs, testToken) || !strings.Contains(logs, "route=\"POST /v1/events\"") {
		t.Errorf("the log holds the token, or does not log the routes:\n%s", logs)
	}
}
