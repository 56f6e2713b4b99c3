package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/runtime/delivery"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/validate"
)

// These helpers run journey server as Start runs it, over a SQLite file,
// with the real queue, and with internal/sinks standing for the SMTP
// server and the webhook receiver.

// patience bounds every wait of these tests: reaching it fails the test.
// It is generous (a loaded machine is slow); nothing here comes near it.
const patience = 60 * time.Second

// lifecycleToken is the token of the servers these tests start.
const lifecycleToken = "lifecycle-test-token-5b1f0e2a"

// deliveriesWorkspace sends one delivery per tag: a marketing email, a
// transactional email, and a webhook to hookURL.
func deliveriesWorkspace(hookURL string) string {
	return `
account {
  time_zone         = "UTC"
  default_send_time = "09:00"
  senders           = ["Acme <news@acme.example>"]
}

tag "news" {}
tag "bought" {}
tag "crm" {}
tag "later" {}

email "newsletter" {
  subject = "Acme news"
  body    = "What is new at Acme."
}

email "receipt" {
  subject = "Your receipt"
  body    = "Thank you for your order."
  kind    = "transactional"
}

webhook "crm" {
  url = "` + hookURL + `"
}

campaign "news" {
  trigger "tagged" {
    on   = tag_added(tag.news)
    next = send_email.newsletter
  }
  send_email "newsletter" {
    email = email.newsletter
    next  = end.done
  }
  end "done" {}
}

campaign "receipt" {
  trigger "tagged" {
    on   = tag_added(tag.bought)
    next = send_email.receipt
  }
  send_email "receipt" {
    email = email.receipt
    next  = end.done
  }
  end "done" {}
}

campaign "crm" {
  trigger "tagged" {
    on   = tag_added(tag.crm)
    next = webhook.crm
  }
  webhook "crm" {
    webhook = webhook.crm
    next    = end.done
  }
  end "done" {}
}

campaign "later" {
  trigger "tagged" {
    on   = tag_added(tag.later)
    next = wait.hour
  }
  wait "hour" {
    for  = "1h"
    next = webhook.crm
  }
  webhook "crm" {
    webhook = webhook.crm
    next    = end.done
  }
  end "done" {}
}
`
}

// compilePlan compiles a workspace as journey compile does.
func compilePlan(t *testing.T, src string) *plan.Plan {
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
	return p
}

// writePlan writes a plan file as journey compile -o does, and returns
// its path.
func writePlan(t *testing.T, dir string, p *plan.Plan) string {
	t.Helper()
	data, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plan-"+strings.TrimPrefix(p.Hash, "sha256:")[:12]+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// lockedLog is a server's log, written from its goroutines.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// serverDir is a directory for a test's plan and token, and its database:
// a file there, or a PostgreSQL database (internal/pgtest).
type serverDir struct {
	t   *testing.T
	dir string
	// database is --db.
	database string
}

func newServerDir(t *testing.T, db pgtest.Database) serverDir {
	dir := t.TempDir()
	database := filepath.Join(dir, "journey.db")
	if db.Postgres() {
		database = db.New(t)
	}
	return serverDir{t: t, dir: dir, database: database}
}

func (d serverDir) db() string { return d.database }

// config is a configuration on the directory's database, on a free port.
func (d serverDir) config(channels delivery.Config) Config {
	cfg := DefaultConfig()
	cfg.DB, cfg.Listen, cfg.Workers, cfg.MaxAttempts, cfg.Channels = d.db(), "127.0.0.1:0", 4, 3, channels
	return cfg
}

// running is a started server as a test drives it.
type running struct {
	t      *testing.T
	proc   *Process
	client *api.Client
	logs   *lockedLog
	// announced is what the server printed for a person (a new token).
	announced *lockedLog
	stopped   bool
}

// start starts journey server as Run does, with retries a few
// milliseconds apart, and stops it when the test ends.
func start(t *testing.T, cfg Config, tweak ...func(*RunOptions)) *running {
	t.Helper()
	r := &running{t: t, logs: &lockedLog{}, announced: &lockedLog{}}
	opts := RunOptions{
		Config: cfg, EnvToken: lifecycleToken, Announce: r.announced,
		Logger: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Queue:  queue.Options{RetryBase: 10 * time.Millisecond, RetryMax: 20 * time.Millisecond},
	}
	for _, f := range tweak {
		f(&opts)
	}
	proc, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("journey server did not start: %v\nits log:\n%s", err, r.logs)
	}
	r.proc = proc
	r.client = &api.Client{BaseURL: "http://" + proc.Addr, Token: lifecycleToken, HTTP: &http.Client{Timeout: patience}}
	t.Cleanup(func() {
		r.stop()
		if t.Failed() {
			t.Logf("the server's log:\n%s", r.logs)
		}
	})
	return r
}

// stop shuts the server down as a signal does, failing the test if that
// fails.
func (r *running) stop() {
	r.t.Helper()
	if r.stopped {
		return
	}
	r.stopped = true
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := r.proc.Stop(ctx); err != nil {
		r.t.Errorf("stopping the server: %v", err)
	}
}

// tag sends tag_added for the contact with this email (created if new)
// and returns the contact's id.
func (r *running) tag(email, tag string) int64 {
	r.t.Helper()
	got, err := r.client.SendEvent(context.Background(),
		api.Event{Contact: runtime.ContactRef{Email: email}, Type: "tag_added", Args: map[string]string{"tag": tag}}, "")
	if err != nil {
		r.t.Fatalf("sending tag_added(%s) for %s: %v", tag, email, err)
	}
	return got.ContactID
}

// outbox is the contact's deliveries, as the API lists them.
func (r *running) outbox(contactID int64) []api.Delivery {
	r.t.Helper()
	page, err := r.client.Outbox(context.Background(), api.OutboxQuery{Contact: contactID, Limit: 100})
	if err != nil {
		r.t.Fatal(err)
	}
	return page.Deliveries
}

// waitDelivery waits until the contact's only delivery has the status,
// and returns it.
func (r *running) waitDelivery(contactID int64, status string) api.Delivery {
	r.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		ds := r.outbox(contactID)
		if len(ds) > 1 {
			r.t.Fatalf("contact %d has %d deliveries, want one: %+v", contactID, len(ds), ds)
		}
		if len(ds) == 1 && ds[0].Status == status {
			return ds[0]
		}
		if len(ds) == 1 && ds[0].Status != status && finalStatus(ds[0].Status) {
			r.t.Fatalf("contact %d: the delivery is %s for good, want %s: %+v", contactID, ds[0].Status, status, ds[0])
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("contact %d: no %s delivery after %s; the outbox: %+v", contactID, status, patience, ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// finalStatus is a delivery status nothing changes.
func finalStatus(status string) bool {
	return status == runtime.DeliverySent || status == runtime.DeliveryFailed || status == runtime.DeliveryUnknown
}

// waitIdle waits until the queue has no job waiting or running.
func (r *running) waitIdle() {
	r.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		var busy int
		err := r.proc.store.DB().QueryRow(`SELECT COUNT(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')`).Scan(&busy)
		if err != nil {
			r.t.Fatal(err)
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d jobs still waiting or running after %s", busy, patience)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// metrics is the server's /metrics text.
func (r *running) metrics() string {
	r.t.Helper()
	req, err := http.NewRequest("GET", r.client.BaseURL+"/metrics", nil)
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+lifecycleToken)
	resp, err := r.client.HTTP.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		r.t.Fatalf("GET /metrics: %d %v: %s", resp.StatusCode, err, body)
	}
	return string(body)
}

// wantMetric checks that /metrics has a sample line, e.g.
// `journey_deliveries_total{channel="smtp",outcome="sent"} 1`.
func (r *running) wantMetric(line string) {
	r.t.Helper()
	text := r.metrics()
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			return
		}
	}
	name, _, _ := strings.Cut(line, "{")
	name, _, _ = strings.Cut(name, " ")
	var have []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, name) {
			have = append(have, l)
		}
	}
	r.t.Errorf("/metrics has no line %q; its %s lines:\n%s", line, name, strings.Join(have, "\n"))
}

// smtpSink starts an SMTP sink, closed when the test ends.
func smtpSink(t *testing.T) *sinks.SMTPSink {
	t.Helper()
	sink, err := sinks.StartSMTP(sinks.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

// httpSink starts an HTTP sink that checks journey's signature, closed
// when the test ends.
func httpSink(t *testing.T) *sinks.HTTPSink {
	t.Helper()
	sink, err := sinks.StartHTTP(sinks.HTTPOptions{Secret: signingSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

// channels configures SMTP on smtp (nil: not configured) and webhooks.
func channels(smtp *sinks.SMTPSink) delivery.Config {
	c := delivery.Config{Webhook: &delivery.WebhookConfig{Secret: signingSecret}}
	if smtp != nil {
		c.SMTP = &delivery.SMTPConfig{Host: smtp.Host(), Port: smtp.Port(), TLS: delivery.TLSNone, HELO: "journey.test", From: "journey@acme.example"}
	}
	return c
}
