// The apply benchmark (bench/apply.sh runs it): a journey server of its
// own with a million contacts, and a rename applied to them.
package seed_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/seed"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/server"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
)

const webinar = `
account {
  time_zone = "America/New_York"
}
tag "attended" {}
campaign "webinar" {
  trigger "attended" {
    on   = tag_added(tag.attended)
    next = wait.two_days
  }
  wait "two_days" {
    for  = "2d"
    next = end.done
  }
  end "done" {}
}
`

// renamed is the webinar with its wait renamed, and the moved block that
// carries the contacts on it.
const renamed = `
account {
  time_zone = "America/New_York"
}
tag "attended" {}
campaign "webinar" {
  trigger "attended" {
    on   = tag_added(tag.attended)
    next = wait.pause
  }
  wait "pause" {
    for  = "2d"
    next = end.done
  }
  end "done" {}
}
moved {
  from = campaign.webinar.wait.two_days
  to   = campaign.webinar.wait.pause
}
`

const benchToken = "bench-token-0123456789abcdef0123456789"

func compile(tb testing.TB, src string) *plan.Plan {
	tb.Helper()
	res, err := validate.Dir(fstest.MapFS{"main.journey.hcl": {Data: []byte(src)}}, ".", validate.Options{Now: time.Now()})
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Severity == validate.Error {
			tb.Fatalf("%s: %s", f.Range, f.Message)
		}
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkApplyMovedMillion applies a rename carried by a moved block to
// a server on SQLite whose million contacts all stand on the renamed
// element, while a client asks /healthz every 10 ms and another sends an
// event every 50 ms; it reports the apply's time and those requests' p99
// during it. JOURNEY_BENCH_APPLY=1 runs it (seeding a million contacts
// takes a while); JOURNEY_BENCH_CONTACTS changes the count.
//
//	bash bench/apply.sh
func BenchmarkApplyMovedMillion(b *testing.B) {
	if os.Getenv("JOURNEY_BENCH_APPLY") == "" {
		b.Skip("seeds a million contacts: JOURNEY_BENCH_APPLY=1 runs it")
	}
	contacts := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("JOURNEY_BENCH_CONTACTS")); err == nil && n > 0 {
		contacts = n
	}
	v1, v2 := compile(b, webinar), compile(b, renamed)
	for range b.N {
		b.StopTimer()
		p, url := startSeeded(b, v1, contacts)
		file, err := plan.EncodeFile(&plan.File{FormatVersion: plan.FormatVersion, ToolVersion: "bench", Plan: v2,
			Against: plan.Against{Hash: v1.Hash, Serial: ptr(int64(1)), Source: url}})
		if err != nil {
			b.Fatal(err)
		}
		probes := startProbes(url)
		b.StartTimer()
		start := time.Now()
		status, body := post(url+"/v1/deployments", file)
		took := time.Since(start)
		b.StopTimer()
		health, events := probes.stop(start, start.Add(took))
		if status != http.StatusCreated {
			b.Fatalf("the apply answered %d: %s", status, body)
		}
		b.ReportMetric(took.Seconds(), "apply_s")
		b.ReportMetric(float64(contacts), "contacts")
		b.ReportMetric(p99(health).Seconds()*1000, "healthz_p99_ms")
		b.ReportMetric(p99(events).Seconds()*1000, "events_p99_ms")
		b.Logf("%d contacts moved in %s; during it %d /healthz (p99 %s, max %s) and %d events (p99 %s, max %s)",
			contacts, took.Round(time.Millisecond), len(health), p99(health), slices.Max(append(health, 0)),
			len(events), p99(events), slices.Max(append(events, 0)))
		p.Stop(context.Background())
	}
}

func ptr[T any](v T) *T { return &v }

// startSeeded starts journey server (the real startup: queue, scheduler)
// on a database whose deployment 1 is v1, with n contacts waiting on
// webinar/two_days.
func startSeeded(b *testing.B, v1 *plan.Plan, n int) (*server.Process, string) {
	b.Helper()
	ctx := context.Background()
	db := filepath.Join(b.TempDir(), "journey.db")
	store, err := sqlstore.OpenSQLite(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := runtime.Link(v1)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	if _, err := server.RecordDeployment(ctx, store, prog, "bench", now); err != nil {
		b.Fatal(err)
	}
	seeding := time.Now()
	if err := seed.Waiting(ctx, store.DB(), "webinar", "two_days", n, now, now.Add(48*time.Hour)); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d contacts in %s", n, time.Since(seeding).Round(time.Millisecond))
	store.Close()
	cfg := server.DefaultConfig()
	cfg.DB, cfg.Listen = db, "127.0.0.1:0"
	p, err := server.Start(ctx, server.RunOptions{Config: cfg, EnvToken: benchToken,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return p, "http://" + p.Addr
}

func post(url string, body []byte) (int, string) {
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// probes ask /healthz and send events while the apply runs, each request
// at its tick whatever the others wait for, keeping when each was sent
// and how long it took.
type probes struct {
	stopped chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	health  []sample
	events  []sample
}

type sample struct {
	sent time.Time
	took time.Duration
}

func startProbes(url string) *probes {
	p := &probes{stopped: make(chan struct{})}
	run := func(every time.Duration, into *[]sample, do func(i int) int) {
		p.wg.Go(func() {
			tick := time.NewTicker(every)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-p.stopped:
					return
				case <-tick.C:
				}
				// Each request on its own: one held up does not hold up
				// the next, so every tick is a sample.
				p.wg.Go(func() {
					sent := time.Now()
					if status := do(i); status/100 == 2 {
						p.mu.Lock()
						*into = append(*into, sample{sent, time.Since(sent)})
						p.mu.Unlock()
					}
				})
			}
		})
	}
	client := &http.Client{Timeout: 5 * time.Minute}
	run(10*time.Millisecond, &p.health, func(int) int {
		resp, err := client.Get(url + "/healthz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	})
	run(50*time.Millisecond, &p.events, func(i int) int {
		status, _ := post(url+"/v1/events", fmt.Appendf(nil, `{"contact": {"email": "probe%d@example.com"}, "type": "tag_added", "tag": "attended"}`, i))
		return status
	})
	return p
}

// stop ends the probes and returns the latencies of those sent between
// from and to.
func (p *probes) stop(from, to time.Time) (health, events []time.Duration) {
	close(p.stopped)
	p.wg.Wait()
	during := func(s []sample) []time.Duration {
		var out []time.Duration
		for _, x := range s {
			if !x.sent.Before(from) && x.sent.Before(to) {
				out = append(out, x.took)
			}
		}
		return out
	}
	return during(p.health), during(p.events)
}

func p99(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)*99)/100]
}
