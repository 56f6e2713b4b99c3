package loadgen

import (
	"context"
	"fmt"
	"time"
)

// Timers enrolls waits contacts in campaign timers, each waiting until
// its own due time, the due times spread evenly over over (a minute), then
// lets them fall due with nothing else going on, and reads how late the
// scheduler ran them (journey_timer_lateness_seconds). The store keeps
// due times to the second, so the due times are whole seconds, as many
// in each.
func (b *Bench) Timers(ctx context.Context, waits int, over time.Duration) error {
	server, client, err := b.start(ctx, "timers")
	if err != nil {
		return err
	}
	defer server.Stop()
	// The contacts first, to learn how fast the import goes; then their
	// due times and the tag that enrolls them, an import as fast, which
	// must end before the first due time.
	b.logf("timers: importing %d contacts", waits)
	took, err := importRows(ctx, client, "email", waits, loadEmail)
	if err != nil {
		return err
	}
	first := time.Now().Add(took*3/2 + 15*time.Second).Truncate(time.Second)
	seconds := int(over / time.Second)
	due := func(i int) time.Time { return first.Add(time.Duration(i*seconds/waits) * time.Second) }
	b.logf("timers: %d contacts in %s; enrolling them, due from %s to %s", waits, took.Round(time.Millisecond),
		first.Format("15:04:05"), due(waits-1).Format("15:04:05"))
	if _, err := importRows(ctx, client, "email,due,tags", waits, func(i int) string {
		return fmt.Sprintf("%s,%s,timer", loadEmail(i), due(i).UTC().Format(time.RFC3339))
	}); err != nil {
		return err
	}
	if late := time.Since(first); late > 0 {
		return fmt.Errorf("enrolling ended %s after the first due time: the waits did not all fall due after it", late.Round(time.Millisecond))
	}
	cpuBefore, _ := server.CPU()
	b.logf("timers: enrolled; the waits fall due from %s", first.Format("15:04:05"))
	time.Sleep(time.Until(due(waits - 1).Add(time.Second)))
	deadline := time.Now().Add(10 * time.Minute)
	for {
		h, err := metricsHistogram(ctx, client, "journey_timer_lateness_seconds")
		if err != nil {
			return err
		}
		if int(h.total()) >= waits {
			cpuAfter, _ := server.CPU()
			b.report("timers_waits", float64(waits), "waits")
			b.report("timers_spread_s", over.Seconds(), "s")
			b.report("timers_steps_run", h.total(), "steps")
			b.report("timers_p50_s", h.quantile(0.5), "s")
			b.report("timers_p99_s", h.quantile(0.99), "s")
			b.report("timers_within_0.1s", h.within(0.1), "share")
			b.report("timers_within_0.5s", h.within(0.5), "share")
			b.report("timers_within_1s", h.within(1), "share")
			b.report("timers_server_cpu_us_per_step", float64((cpuAfter-cpuBefore).Microseconds())/float64(waits), "us")
			b.logf("timers: %d due steps run; %.1f%% within 1 s of their due time", int(h.total()), 100*h.within(1))
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d due steps run 10 minutes after the last was due", int(h.total()), waits)
		}
		time.Sleep(time.Second)
	}
}
