package loadgen

import (
	"context"
	"fmt"
	"time"

	"github.com/journeyhq/journey/internal/sinks"
)

// Deliveries measures how fast the server sends emails to an SMTP sink
// (in this process): n contacts each get one transactional email while
// SMTP is not configured, so that the outbox holds them; the server then
// starts again with SMTP pointing at the sink, queues them all at its
// start, and sends them. The rate runs from the server's ready to the
// last email in the sink, as runtime/queue's BenchmarkTrivialJobs times
// River's own jobs from the queue's start to the last completion.
// workers is the server's deliveries.workers (0: its default). With
// marketing the emails are marketing ones, which the server sends one at a
// time through their exposed window (docs/deliveries.md, "Crashes"); the
// figures are then named deliveries_marketing_*.
func (b *Bench) Deliveries(ctx context.Context, n, workers int, marketing bool) error {
	tag, name := "mail", "deliveries"
	if marketing {
		tag, name = "news", "deliveries_marketing"
	}
	server, client, err := b.start(ctx, "deliveries")
	if err != nil {
		return err
	}
	b.logf("%s: %d contacts, an email each, held while SMTP is not configured", name, n)
	if _, err := importRows(ctx, client, "email,first_name,tags", n, func(i int) string {
		return fmt.Sprintf("%s,Contact%d,%s", loadEmail(i), i, tag)
	}); err != nil {
		server.Stop()
		return err
	}
	if err := server.Stop(); err != nil {
		return err
	}
	mail, err := sinks.StartSMTP(sinks.SMTPOptions{})
	if err != nil {
		return err
	}
	defer mail.Close()
	config := []string{`db = "journey.db"`, `listen = "127.0.0.1:0"`,
		"smtp {", fmt.Sprintf("  host = %q", mail.Host()), fmt.Sprintf("  port = %d", mail.Port()), `  tls  = "none"`, "}"}
	if workers > 0 {
		config = append(config, "deliveries {", fmt.Sprintf("  workers = %d", workers), "}")
	}
	if err := WriteConfig(server.Dir, config...); err != nil {
		return err
	}
	server.Args = nil // the plan is the database's
	if err := server.Start(ctx); err != nil {
		return err
	}
	defer server.Stop()
	start := time.Now()
	cpuBefore, _ := server.CPU()
	wait, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	got, err := mail.WaitMessages(wait, n)
	if err != nil {
		return err
	}
	took := got[n-1].ReceivedAt.Sub(start)
	cpuAfter, _ := server.CPU()
	b.report(name+"_sent", float64(n), "emails")
	b.report(name+"_seconds", took.Seconds(), "s")
	b.report(name+"_per_s", float64(n)/took.Seconds(), "emails/s")
	b.report(name+"_server_cpu_us_per_email", float64((cpuAfter-cpuBefore).Microseconds())/float64(n), "us")
	b.logf("%s: %d emails in the sink %s after the server's start", name, n, took.Round(time.Millisecond))
	return nil
}
