package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// startWith starts a server running deliveriesWorkspace, with SMTP on
// mail (nil: not configured) and webhooks signed for hooks.
func startWith(t *testing.T, d serverDir, mail *sinks.SMTPSink, hooks *sinks.HTTPSink) *running {
	t.Helper()
	cfg := d.config(channels(mail))
	cfg.Plan = writePlan(t, d.dir, compilePlan(t, deliveriesWorkspace(hooks.URL()+"/hook")))
	return start(t, cfg)
}

func TestMarketingEmailIsSentOnce(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		s := startWith(t, newServerDir(t, db), mail, hooks)

		ada := s.tag("ada@example.com", "news")
		d := s.waitDelivery(ada, runtime.DeliverySent)
		s.waitIdle()
		got := mail.Messages()
		if len(got) != 1 {
			t.Fatalf("the SMTP server got %d messages, want 1", len(got))
		}
		if got[0].MessageID != d.MessageID || got[0].IdempotencyKey != d.Key || got[0].Subject != "Acme news" {
			t.Errorf("the mail has Message-ID %s, key %q, subject %q; the outbox says %s, %q", got[0].MessageID, got[0].IdempotencyKey, got[0].Subject, d.MessageID, d.Key)
		}
		if d.Attempts != 1 || d.SentAt == nil || d.ResponseStatus != 250 || !d.Marketing {
			t.Errorf("the sent delivery: %+v; want one attempt, sent_at, response 250, marketing", d)
		}
		// The contact is tagged again: a marketing email goes once.
		s.tag("ada@example.com", "news")
		s.waitIdle()
		if n := len(mail.Messages()); n != 1 {
			t.Errorf("after the second tag the SMTP server has %d messages, want 1", n)
		}
		s.wantMetric(`journey_deliveries_total{channel="smtp",outcome="sent"} 1`)
	})
}

func TestMarketingEmailCutAfterItsDataIsNeverSentAgain(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		// The server takes the message and hangs up without answering.
		mail.Fail(sinks.Fault{Stage: sinks.AfterData})
		s := startWith(t, newServerDir(t, db), mail, hooks)

		ada := s.tag("ada@example.com", "news")
		d := s.waitDelivery(ada, runtime.DeliveryUnknown)
		s.waitIdle()
		if n := len(mail.Messages()); n != 1 {
			t.Errorf("the SMTP server got %d messages, want the 1 whose answer was lost", n)
		}
		if d.Attempts != 1 || d.LastError == "" {
			t.Errorf("the unknown delivery: %+v; want one attempt and an error saying what happened", d)
		}
		s.wantMetric(`journey_deliveries_total{channel="smtp",outcome="unknown"} 1`)
	})
}

func TestTransactionalEmailIsRetriedWithTheSameMessageID(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		mail.Fail(sinks.Fault{Stage: sinks.AfterData, Code: 451, Message: "4.3.0 try again later"})
		s := startWith(t, newServerDir(t, db), mail, hooks)

		ada := s.tag("ada@example.com", "bought")
		d := s.waitDelivery(ada, runtime.DeliverySent)
		got := mail.Messages()
		if len(got) != 2 {
			t.Fatalf("the SMTP server got %d messages, want 2 (refused with 451, then taken)", len(got))
		}
		if got[0].Reply != 451 || got[1].Reply != 250 {
			t.Errorf("the server answered %d then %d, want 451 then 250", got[0].Reply, got[1].Reply)
		}
		if got[0].MessageID == "" || got[0].MessageID != got[1].MessageID || got[1].MessageID != d.MessageID {
			t.Errorf("Message-IDs %q and %q (outbox %q): a retry must carry the first attempt's", got[0].MessageID, got[1].MessageID, d.MessageID)
		}
		if d.Attempts != 2 || d.Marketing || d.LastError != "" {
			t.Errorf("the delivery: %+v; want 2 attempts, transactional, no error left", d)
		}
		s.wantMetric(`journey_deliveries_total{channel="smtp",outcome="retry"} 1`)
		s.wantMetric(`journey_deliveries_total{channel="smtp",outcome="sent"} 1`)
	})
}

func TestWebhookIsRetriedAfter503ThenSent(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		hooks.Respond(sinks.Response{Status: 503, Body: "down for maintenance"})
		s := startWith(t, newServerDir(t, db), mail, hooks)

		ada := s.tag("ada@example.com", "crm")
		d := s.waitDelivery(ada, runtime.DeliverySent)
		got := hooks.Requests()
		if len(got) != 2 {
			t.Fatalf("the receiver got %d calls, want 2 (503, then 200)", len(got))
		}
		for i, req := range got {
			if req.SignatureErr != nil {
				t.Errorf("call %d: the signature does not verify: %v", i+1, req.SignatureErr)
			}
			if key := req.Header.Get("Idempotency-Key"); key != d.Key {
				t.Errorf("call %d carries Idempotency-Key %q, want the delivery's %q", i+1, key, d.Key)
			}
			if n := req.Header.Get("Journey-Attempt"); n != string(rune('1'+i)) {
				t.Errorf("call %d carries Journey-Attempt %q", i+1, n)
			}
		}
		if d.Attempts != 2 || d.ResponseStatus != 200 || d.SentAt == nil {
			t.Errorf("the delivery: %+v; want 2 attempts, response 200, sent_at", d)
		}
		s.wantMetric(`journey_deliveries_total{channel="webhook",outcome="retry"} 1`)
	})
}

func TestWebhookFailsOnA4xxWithoutRetrying(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		hooks.Respond(sinks.Response{Status: 422, Body: `{"error":"unknown list"}`})
		s := startWith(t, newServerDir(t, db), mail, hooks)

		ada := s.tag("ada@example.com", "crm")
		d := s.waitDelivery(ada, runtime.DeliveryFailed)
		s.waitIdle()
		if n := len(hooks.Requests()); n != 1 {
			t.Errorf("the receiver got %d calls, want 1: a 422 is not retried", n)
		}
		if d.Attempts != 1 || d.ResponseStatus != 422 || !strings.Contains(d.LastError, "422") {
			t.Errorf("the failed delivery: %+v; want one attempt, response 422, and an error naming it", d)
		}
		s.wantMetric(`journey_deliveries_total{channel="webhook",outcome="failed"} 1`)
	})
}

func TestWebhookFailsWhenItsAttemptsRunOut(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		hooks.RespondAll(sinks.Response{Status: 503})
		s := startWith(t, newServerDir(t, db), mail, hooks) // 3 attempts

		ada := s.tag("ada@example.com", "crm")
		d := s.waitDelivery(ada, runtime.DeliveryFailed)
		s.waitIdle()
		if n := len(hooks.Requests()); n != 3 {
			t.Errorf("the receiver got %d calls, want the 3 attempts", n)
		}
		if d.Attempts != 3 || !strings.Contains(d.LastError, "gave up after 3 attempts") || !strings.Contains(d.LastError, "503") {
			t.Errorf("the failed delivery: %+v; want 3 attempts and an error saying the last one got 503", d)
		}
	})
}

func TestHeldDeliveryIsSentAfterARestartWithItsChannel(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		dir := newServerDir(t, db)
		s := startWith(t, dir, nil, hooks) // no SMTP

		ada := s.tag("ada@example.com", "bought")
		held := s.waitDelivery(ada, runtime.DeliveryHeld)
		if !strings.Contains(held.LastError, "smtp channel is not configured") {
			t.Errorf("the held delivery says %q; want it to say the smtp channel is not configured", held.LastError)
		}
		s.waitIdle()
		s.stop()
		if n := len(mail.Messages()); n != 0 {
			t.Fatalf("%d messages sent with SMTP not configured", n)
		}

		// Restarted on the same database, with SMTP and without --plan: the
		// database's deployment runs, and the held delivery goes out.
		again := start(t, dir.config(channels(mail)))
		sent := again.waitDelivery(ada, runtime.DeliverySent)
		if sent.ID != held.ID || sent.Attempts != 1 || sent.LastError != "" {
			t.Errorf("after the restart: %+v; want delivery %d sent at its first attempt", sent, held.ID)
		}
		if n := len(mail.Messages()); n != 1 {
			t.Errorf("the SMTP server got %d messages, want 1", n)
		}
		if !strings.Contains(again.logs.String(), "held deliveries queued") {
			t.Errorf("the log does not say held deliveries were queued:\n%s", again.logs)
		}
	})
}

// crashLeftSending puts a contact's delivery in the state a crash leaves
// it in: an attempt marked it sending and never recorded its outcome. With
// jobLive, its job is still in the queue (to be retried); without, River
// gave it up (the cut attempt was its last).
func crashLeftSending(t *testing.T, dir serverDir, deliveryID int64, jobLive bool) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, dir.db(), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	q, err := queue.Open(ctx, store, func(context.Context, *queue.Job) error { return nil }, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	d, err := tx.Delivery(deliveryID)
	if err != nil {
		t.Fatal(err)
	}
	d.Status, d.Attempts, d.LastError, d.UpdatedAt = runtime.DeliverySending, d.Attempts+1, "", time.Now()
	if err := tx.UpdateDelivery(d); err != nil {
		t.Fatal(err)
	}
	if jobLive {
		if err := q.EnqueueTx(ctx, tx, deliveryID); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// heldDelivery runs a server without SMTP until the contact tagged has a
// held delivery, stops it, and returns the contact and the delivery.
func heldDelivery(t *testing.T, dir serverDir, hooks *sinks.HTTPSink, tag string) (contactID, deliveryID int64) {
	t.Helper()
	s := startWith(t, dir, nil, hooks)
	contactID = s.tag("ada@example.com", tag)
	d := s.waitDelivery(contactID, runtime.DeliveryHeld)
	s.waitIdle()
	s.stop()
	return contactID, d.ID
}

func TestInterruptedMarketingAttemptBecomesUnknown(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		dir := newServerDir(t, db)
		ada, id := heldDelivery(t, dir, hooks, "news")
		crashLeftSending(t, dir, id, true)

		// The job's next attempt finds the delivery sending: the email may
		// have left, so it is never sent again.
		s := start(t, dir.config(channels(mail)))
		d := s.waitDelivery(ada, runtime.DeliveryUnknown)
		s.waitIdle()
		if n := len(mail.Messages()); n != 0 {
			t.Errorf("the SMTP server got %d messages: an interrupted marketing email was sent again", n)
		}
		if !strings.Contains(d.LastError, "at most once") || d.Attempts != 1 {
			t.Errorf("the unknown delivery: %+v; want the interrupted attempt counted and an error saying it is not tried again", d)
		}
	})
}

func TestInterruptedTransactionalAttemptIsSentAgain(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		dir := newServerDir(t, db)
		ada, id := heldDelivery(t, dir, hooks, "bought")
		crashLeftSending(t, dir, id, true)

		s := start(t, dir.config(channels(mail)))
		d := s.waitDelivery(ada, runtime.DeliverySent)
		got := mail.Messages()
		if len(got) != 1 || got[0].IdempotencyKey != d.Key {
			t.Fatalf("the SMTP server got %d messages (%+v), want the delivery once more with its key", len(got), got)
		}
		if d.Attempts != 2 {
			t.Errorf("attempts %d, want 2 (the interrupted one counts)", d.Attempts)
		}
	})
}

// A crash leaves unknown the marketing emails between their sending mark
// and their recorded outcome: the server keeps that to one at a time.
// Whenever the SMTP server holds a message in full (the moment a crash
// hurts most), the outbox has at most one marketing email sending; the
// sink holds each message a little so that overlaps would show.
func TestAtMostOneMarketingEmailIsExposedAtATime(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		var (
			store      atomic.Pointer[sqlstore.Store]
			mu         sync.Mutex
			maxSending int
			checked    int
			queryErr   error
		)
		mail, err := sinks.StartSMTP(sinks.SMTPOptions{OnMessage: func(m sinks.Mail) {
			s := store.Load()
			if s == nil || m.Subject != "Acme news" {
				return
			}
			time.Sleep(5 * time.Millisecond) // widen the window a concurrent send would fall in
			var sending int
			err := s.DB().QueryRow(`SELECT COUNT(*) FROM deliveries WHERE status = 'sending' AND marketing = 1`).Scan(&sending)
			mu.Lock()
			defer mu.Unlock()
			checked++
			maxSending = max(maxSending, sending)
			queryErr = errors.Join(queryErr, err)
		}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { mail.Close() })
		hooks := httpSink(t)
		s := startWith(t, newServerDir(t, db), mail, hooks)
		store.Store(s.proc.store)

		const contacts = 24
		var ids []int64
		for i := range contacts {
			ids = append(ids, s.tag(fmt.Sprintf("reader%d@example.com", i), "news"))
			s.tag(fmt.Sprintf("buyer%d@example.com", i), "bought")
		}
		for _, id := range ids {
			s.waitDelivery(id, runtime.DeliverySent)
		}
		s.waitIdle()

		mu.Lock()
		defer mu.Unlock()
		if queryErr != nil {
			t.Fatal(queryErr)
		}
		if checked != contacts {
			t.Fatalf("checked %d marketing emails, want %d", checked, contacts)
		}
		if maxSending > 1 {
			t.Errorf("%d marketing emails were sending at once: a crash then leaves that many unknown, want at most 1", maxSending)
		}
		if n := len(mail.Messages()); n != 2*contacts {
			t.Errorf("the SMTP server got %d messages, want %d", n, 2*contacts)
		}
	})
}

// A transactional email is marked sending only on its job's last attempt:
// earlier, a crash leaves it pending with its job, which runs again; on the
// last, the queue would give the job up, and the mark is what has the
// server's start send it again. Whenever the SMTP server holds a copy, the
// outbox says which.
func TestTransactionalEmailIsMarkedSendingOnlyOnItsLastAttempt(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		var (
			store    atomic.Pointer[sqlstore.Store]
			mu       sync.Mutex
			statuses []string
			queryErr error
		)
		mail, err := sinks.StartSMTP(sinks.SMTPOptions{OnMessage: func(m sinks.Mail) {
			s := store.Load()
			if s == nil {
				return
			}
			var status string
			err := s.DB().QueryRow(`SELECT status FROM deliveries WHERE key = $1`, m.IdempotencyKey).Scan(&status)
			mu.Lock()
			defer mu.Unlock()
			statuses = append(statuses, status)
			queryErr = errors.Join(queryErr, err)
		}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { mail.Close() })
		// Refused for now twice; the third and last attempt (the tests'
		// MaxAttempts) is taken.
		refusal := sinks.Fault{Stage: sinks.AfterData, Code: 451, Message: "4.3.0 try again later"}
		mail.Fail(refusal, refusal)
		s := startWith(t, newServerDir(t, db), mail, httpSink(t))
		store.Store(s.proc.store)

		d := s.waitDelivery(s.tag("ada@example.com", "bought"), runtime.DeliverySent)
		s.waitIdle()

		mu.Lock()
		defer mu.Unlock()
		if queryErr != nil {
			t.Fatal(queryErr)
		}
		want := []string{runtime.DeliveryPending, runtime.DeliveryPending, runtime.DeliverySending}
		if strings.Join(statuses, ",") != strings.Join(want, ",") {
			t.Errorf("while the SMTP server held each copy the outbox said %v, want %v", statuses, want)
		}
		if d.Attempts != 3 || d.ResponseStatus != 250 {
			t.Errorf("the delivery: %+v; want 3 attempts, the last taken", d)
		}
	})
}
