package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/runtime/server"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
)

// The operator commands (contacts, events, status) run in-process against
// a real journey server API on 127.0.0.1 over a SQLite file.

const opToken = "tok-operator-5d1e0a9b3c"

// opStart is the test server's clock: 13:37 in New York.
var opStart = time.Date(2026, 6, 10, 17, 37, 0, 0, time.UTC)

// webinarCampaigns: a tag enrolls a contact, who is emailed and waits two
// days.
const webinarCampaigns = `
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

tag "attended" {}
tag "lead" {}

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
`

// opServer is a journey server's API over a fresh database.
type opServer struct {
	t      *testing.T
	url    string
	clock  *runtime.VirtualClock
	client *api.Client
}

func newOpServer(t *testing.T) *opServer {
	t.Helper()
	fsys := fstest.MapFS{"main.journey.hcl": &fstest.MapFile{Data: []byte(webinarCampaigns)}}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: opStart})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Severity == validate.Error {
			t.Fatalf("%s: %s", f.Range, f.Message)
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
	store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := runtime.NewVirtualClock(opStart)
	dep, err := server.RecordDeployment(context.Background(), store, prog, "test", opStart)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{
		Store: store, Token: opToken, Clock: clock, Deployment: dep,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &opServer{t: t, url: hs.URL, clock: clock, client: &api.Client{BaseURL: hs.URL, Token: opToken, HTTP: hs.Client()}}
}

// run runs journey with the server's address and token in the
// environment (env adds to it, or overrides), stdin as standard input.
func (s *opServer) run(stdin string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	s.t.Helper()
	vars := map[string]string{"JOURNEY_SERVER": s.url, "JOURNEY_TOKEN": opToken}
	for k, v := range env {
		vars[k] = v
	}
	var out, errOut bytes.Buffer
	cli := NewCLI(strings.NewReader(stdin), &out, &errOut)
	cli.Getenv = func(k string) string { return vars[k] }
	cli.Now = func() time.Time { return opStart }
	code = cli.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// closedAddress is a 127.0.0.1 address nothing listens on.
func closedAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// mustFind is the contact with the email, which must exist.
func (s *opServer) mustFind(email string) *api.Contact {
	s.t.Helper()
	c, err := s.client.FindContact(context.Background(), api.ContactRef{Email: email})
	if err != nil {
		s.t.Fatalf("%s: %v", email, err)
	}
	return c
}
