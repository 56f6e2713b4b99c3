package server

import (
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
)

// A crash on a job's last attempt leaves its delivery sending with no job:
// River gives such a job up without calling the worker. The server
// resolves those deliveries when it starts.

func TestMarketingEmailCutOnItsLastAttemptIsUnknownAtStartup(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		dir := newServerDir(t, db)
		ada, id := heldDelivery(t, dir, hooks, "news")
		crashLeftSending(t, dir, id, false)

		s := start(t, dir.config(channels(mail)))
		d := s.waitDelivery(ada, runtime.DeliveryUnknown)
		s.waitIdle()
		if n := len(mail.Messages()); n != 0 {
			t.Errorf("the SMTP server got %d messages: a marketing email cut off by a crash was sent again", n)
		}
		if !strings.Contains(d.LastError, "crash") || !strings.Contains(d.LastError, "at most once") {
			t.Errorf("last_error %q; want it to say a crash cut the attempt and the email goes at most once", d.LastError)
		}
		if !strings.Contains(s.logs.String(), "marked unknown") {
			t.Errorf("the log does not say a marketing email was marked unknown:\n%s", s.logs)
		}
	})
}

func TestTransactionalEmailCutOnItsLastAttemptIsSentAgainAtStartup(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		mail, hooks := smtpSink(t), httpSink(t)
		dir := newServerDir(t, db)
		ada, id := heldDelivery(t, dir, hooks, "bought")
		crashLeftSending(t, dir, id, false)

		s := start(t, dir.config(channels(mail)))
		d := s.waitDelivery(ada, runtime.DeliverySent)
		got := mail.Messages()
		if len(got) != 1 || got[0].IdempotencyKey != d.Key {
			t.Fatalf("the SMTP server got %d messages, want the delivery once more with its key %q", len(got), d.Key)
		}
		if !strings.Contains(s.logs.String(), "queued again with the same idempotency key") {
			t.Errorf("the log does not say the delivery was queued again:\n%s", s.logs)
		}
	})
}

func TestHeldDeliveriesStayHeldWhileTheirChannelIsNotConfigured(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		hooks := httpSink(t)
		dir := newServerDir(t, db)
		ada, _ := heldDelivery(t, dir, hooks, "bought")

		s := start(t, dir.config(channels(nil)))
		s.waitIdle()
		if d := s.outbox(ada); len(d) != 1 || d[0].Status != runtime.DeliveryHeld {
			t.Fatalf("the outbox after a restart without SMTP: %+v; want the delivery still held", d)
		}
		if !strings.Contains(s.logs.String(), `msg="deliveries held: their channel is not configured" channel=smtp deliveries=1`) {
			t.Errorf("the log does not count the held deliveries by channel:\n%s", s.logs)
		}
	})
}
