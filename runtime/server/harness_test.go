package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
)

// testToken is the token of every test server: long and unlike anything
// else in an answer, so that a test can see it is never echoed.
const testToken = "tok-3f9a1c77e2b54d0c8a61"

// webinarWorkspace is a small workspace whose campaigns react to what the
// API does: a tag enrolls a contact (and emails it), a field change
// enrolls it in another campaign.
const webinarWorkspace = `
account {
  time_zone         = "America/New_York"
  default_send_time = "10:00"
  senders           = ["team@example.com"]
}

field "plan" {
  type = string
}
field "score" {
  type = number
}
field "company" {
  type = string
}

tag "attended" {}
tag "vip" {}
tag "lead" {}

# Counted by GET /v1/segments.
segment "leads" {
  where = has_tag(tag.lead) && !has_tag(tag.vip)
}

fulfillment_list "welcome_kits" {
  fields     = [field.first_name, field.company]
  deliver_to = "ops@example.com"
}

email "replay" {
  subject = "The replay"
  from    = "team@example.com"
  body    = "Here it is."
  kind    = "transactional"
}

campaign "webinar" {
  trigger "attended" {
    on   = tag_added(tag.attended)
    next = send_email.replay
  }
  send_email "replay" {
    email = email.replay
    next  = wait.two_days
  }
  wait "two_days" {
    for  = "2d"
    next = end.done
  }
  end "done" {}
}

campaign "upgrade" {
  trigger "plan" {
    on   = field_changed(field.plan)
    next = end.done
  }
  end "done" {}
}
`

// linkWorkspace compiles HCL sources through validate and the compiler,
// as journey plan does.
func linkWorkspace(t *testing.T, src string) *runtime.Program {
	t.Helper()
	fsys := fstest.MapFS{"main.journey.hcl": &fstest.MapFile{Data: []byte(src)}}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Severity == validate.Error {
			t.Fatalf("the workspace does not validate: %s: [%s] %s", f.Range, f.Rule, f.Message)
		}
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// onboardingProgram is examples/onboarding's committed plan.
func onboardingProgram(t *testing.T) *runtime.Program {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "onboarding", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := plan.DecodeAny(data)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// testServer is a journey server on 127.0.0.1 over a fresh database, on a
// virtual clock.
type testServer struct {
	t      *testing.T
	srv    *Server
	http   *httptest.Server
	store  *sqlstore.Store
	clock  *runtime.VirtualClock
	client *api.Client
	logs   *syncBuffer
}

// syncBuffer is the server's log, written from its goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var testStart = time.Date(2026, 6, 10, 17, 37, 0, 0, time.UTC)

func newTestServer(t *testing.T, prog *runtime.Program) *testServer {
	t.Helper()
	return newTestServerWith(t, prog, nil)
}

// newTestServerWith is newTestServer whose steps hand their deliveries to
// sink.
func newTestServerWith(t *testing.T, prog *runtime.Program, sink runtime.Sink) *testServer {
	t.Helper()
	return newTestServerAt(t, prog, sink, testStart)
}

// newTestServerAt is newTestServerWith whose clock starts at start.
func newTestServerAt(t *testing.T, prog *runtime.Program, sink runtime.Sink, start time.Time) *testServer {
	t.Helper()
	store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ts := &testServer{t: t, store: store, clock: runtime.NewVirtualClock(start), logs: &syncBuffer{}}
	var dep *Deployment
	if prog != nil {
		if dep, err = RecordDeployment(context.Background(), store, prog, "test", start); err != nil {
			t.Fatal(err)
		}
	}
	ts.srv, err = New(Options{
		Store: store, Deployment: dep, Token: testToken, Clock: ts.clock, Sink: sink,
		Logger: slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.http = httptest.NewServer(ts.srv.Handler())
	t.Cleanup(ts.http.Close)
	ts.client = &api.Client{BaseURL: ts.http.URL, Token: testToken, HTTP: ts.http.Client()}
	return ts
}

// response is an answer as a test reads it.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request with the token (unless header sets Authorization)
// and reads the whole answer.
func (ts *testServer) do(method, path, contentType, body string, header ...string) response {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.http.URL+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.http.Client().Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (ts *testServer) json(method, path, body string, header ...string) response {
	ts.t.Helper()
	return ts.do(method, path, api.ContentTypeJSON, body, header...)
}

// errorOf checks that an answer is the API's JSON error with the status
// and code, and returns its message.
func errorOf(t *testing.T, r response, status int, code string) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != api.ContentTypeJSON {
		t.Errorf("an error answered with Content-Type %q, want %s", ct, api.ContentTypeJSON)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("the error is not the API's JSON: %v: %s", err, r.body)
	}
	if body.Error.Code != code || body.Error.Message == "" {
		t.Errorf("error %+v, want code %s and a message", body.Error, code)
	}
	return body.Error.Message
}

// timelineTexts is a contact's timeline as its sentences.
func (ts *testServer) timelineTexts(id int64) []string {
	ts.t.Helper()
	tl, err := ts.client.Timeline(context.Background(), id, 0, 1000)
	if err != nil {
		ts.t.Fatal(err)
	}
	var out []string
	for _, e := range tl.Entries {
		out = append(out, e.Text)
	}
	return out
}

func containsText(lines []string, sub string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, sub) })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
