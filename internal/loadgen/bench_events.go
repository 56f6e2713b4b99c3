package loadgen

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// Events sends events at rate a second for duration, from conns
// connections, each event enrolling a contact in campaign events (a
// signup) or advancing one enrolled earlier to its end (an upgrade), each
// with an Idempotency-Key, as a client that retries safely sends them.
// The sending is open-loop: event k is due at start + k/rate whatever the
// server's answers, and its latency counts from then, so that a server
// that falls behind shows it in the latencies, not in a lower rate the
// generator chose. rate 0 sends as fast as conns connections go.
func (b *Bench) Events(ctx context.Context, rate int, duration time.Duration, conns int) error {
	server, client, err := b.start(ctx, "events")
	if err != nil {
		return err
	}
	defer server.Stop()
	b.logf("events: %d a second for %s over %d connections to %s", rate, duration, conns, server.URL())

	type event struct {
		due  time.Time
		body api.Event
		key  string
	}
	events := make(chan event, conns)
	start := time.Now().Add(100 * time.Millisecond)
	deadline := start.Add(duration)
	var enrolled, advanced int
	go func() {
		defer close(events)
		// A contact is advanced a second's worth of events after its
		// signup, by when the signup has been answered.
		lag := max(rate, 1000)
		for k := 0; ; k++ {
			due := time.Now()
			if rate > 0 {
				due = start.Add(time.Duration(float64(k) * float64(time.Second) / float64(rate)))
				if wait := time.Until(due); wait > time.Millisecond {
					time.Sleep(wait)
				}
			}
			if due.After(deadline) || ctx.Err() != nil {
				return
			}
			var e event
			if k%2 == 1 && enrolled-advanced > lag {
				e = event{due: due, key: fmt.Sprintf("advance-%d", advanced), body: api.Event{
					Contact: api.ContactRef{Email: loadEmail(advanced)}, Type: "tag_added", Args: map[string]string{"tag": "upgraded"}}}
				advanced++
			} else {
				e = event{due: due, key: fmt.Sprintf("signup-%d", enrolled), body: api.Event{
					Contact: api.ContactRef{Email: loadEmail(enrolled)}, Type: "form_submitted", Args: map[string]string{"form": "signup"}}}
				enrolled++
			}
			events <- e
		}
	}()

	cpuBefore, _ := server.CPU()
	ownBefore := ownCPU()
	var mu sync.Mutex
	var latencies []time.Duration
	var failures int
	var firstErr error
	var last time.Time
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			for e := range events {
				_, err := client.SendEvent(ctx, e.body, e.key)
				done := time.Now()
				mu.Lock()
				if err != nil {
					failures++
					if firstErr == nil {
						firstErr = err
					}
				}
				if done.After(last) {
					last = done
				}
				mu.Unlock()
				mine = append(mine, done.Sub(e.due))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	cpuAfter, _ := server.CPU()
	ownAfter := ownCPU()
	if firstErr != nil {
		b.logf("events: %d failed; the first: %v", failures, firstErr)
	}
	slices.Sort(latencies)
	took := last.Sub(start)
	n := len(latencies)
	b.report("events_target_per_s", float64(rate), "events/s")
	b.report("events_sent", float64(n), "events")
	b.report("events_failed", float64(failures), "events")
	b.report("events_seconds", took.Seconds(), "s")
	b.report("events_per_s", float64(n-failures)/took.Seconds(), "events/s")
	b.report("events_p50_ms", milliseconds(percentile(latencies, 50)), "ms")
	b.report("events_p90_ms", milliseconds(percentile(latencies, 90)), "ms")
	b.report("events_p99_ms", milliseconds(percentile(latencies, 99)), "ms")
	b.report("events_max_ms", milliseconds(percentile(latencies, 100)), "ms")
	b.report("events_server_cpu_us_per_event", float64((cpuAfter-cpuBefore).Microseconds())/float64(max(n, 1)), "us")
	b.report("events_loadgen_cpu_us_per_event", float64((ownAfter-ownBefore).Microseconds())/float64(max(n, 1)), "us")

	stats, err := client.CampaignStats(ctx, "events")
	if err != nil {
		return err
	}
	in, ended := stats.Enrolled.Active+stats.Enrolled.Ended+stats.Enrolled.Exited, stats.Enrolled.Ended+stats.Enrolled.Exited
	b.logf("events: %d sent in %s; %d contacts enrolled (%d signups sent), %d advanced to their end (%d upgrades sent)",
		n, took.Round(time.Millisecond), in, enrolled, ended, advanced)
	if failures > 0 {
		return fmt.Errorf("%d events failed; the first: %w", failures, firstErr)
	}
	if in != enrolled || ended != advanced {
		return fmt.Errorf("the server enrolled %d contacts and advanced %d, for %d signups and %d upgrades sent", in, ended, enrolled, advanced)
	}
	return nil
}

func loadEmail(i int) string { return fmt.Sprintf("c%d@load.example", i) }

// ownCPU is the processor time this process has used.
func ownCPU() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
