package server

import (
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
)

// The scheduler's batch hands its deliveries to the queue at once, as it
// commits: one whose channel is configured gets its job and is sent, one
// whose channel is not is held in the outbox, as when a step hands them
// over one by one.
func TestADueBatchQueuesItsDeliveriesAndHoldsTheUnconfigured(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		hooks := httpSink(t)
		src := deliveriesWorkspace(hooks.URL()+"/hook") + `
tag "news_later" {}

campaign "news_later" {
  trigger "tagged" {
    on   = tag_added(tag.news_later)
    next = wait.hour
  }
  wait "hour" {
    for  = "1h"
    next = send_email.newsletter
  }
  send_email "newsletter" {
    email = email.newsletter
    next  = end.done
  }
  end "done" {}
}
`
		clock := runtime.NewVirtualClock(time.Now().UTC().Truncate(time.Minute))
		dir := newServerDir(t, db)
		cfg := dir.config(channels(nil)) // webhooks, no SMTP
		cfg.Plan = writePlan(t, dir.dir, compilePlan(t, src))
		s := start(t, cfg, func(o *RunOptions) { o.Clock = clock })
		ada := s.tag("ada@example.com", "later")
		bob := s.tag("bob@example.com", "news_later")
		clock.Set(clock.Now().Add(2 * time.Hour))
		s.proc.server.wakeScheduler()

		s.waitDelivery(ada, runtime.DeliverySent)
		held := s.waitDelivery(bob, runtime.DeliveryHeld)
		if !strings.Contains(held.LastError, "smtp channel is not configured") {
			t.Errorf("the held email's last_error is %q; want it to say the smtp channel is not configured", held.LastError)
		}
		s.waitIdle()
		if n := len(hooks.Requests()); n != 1 {
			t.Errorf("the webhook endpoint got %d calls, want ada's one", n)
		}
	})
}
