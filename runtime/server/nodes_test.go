package server

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// Several journey servers on one PostgreSQL database: any node may run
// any due step, and each runs exactly once.

// startNodes starts n servers on one new PostgreSQL database with the
// plan, on one virtual clock.
func startNodes(t *testing.T, n int, src string, clock *runtime.VirtualClock) []*running {
	t.Helper()
	dir := newServerDir(t, pgtest.Postgres)
	cfg := dir.config(channels(nil))
	cfg.Plan = writePlan(t, dir.dir, compilePlan(t, src))
	nodes := make([]*running, n)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { nodes[i] = start(t, cfg, func(o *RunOptions) { o.Clock = clock }) })
	}
	wg.Wait()
	return nodes
}

func TestSeveralNodesRunEachDueStepOnce(t *testing.T) {
	t.Parallel()
	hooks := httpSink(t)
	clock := runtime.NewVirtualClock(time.Now().UTC().Truncate(time.Minute))
	// Three nodes start at once with --plan on an empty database: one
	// records deployment 1, the others find it.
	nodes := startNodes(t, 3, deliveriesWorkspace(hooks.URL()+"/hook"), clock)
	for i, node := range nodes {
		if d, err := node.client.Deployment(context.Background()); err != nil || d.Serial != 1 {
			t.Fatalf("node %d runs deployment %+v (%v); want serial 1", i, d, err)
		}
	}
	// 300 contacts wait an hour on the "later" campaign, then get a webhook.
	const contacts = 300
	ids := make([]int64, contacts)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() { ids[i] = nodes[i%len(nodes)].tag(fmt.Sprintf("c%03d@example.com", i), "later") })
	}
	wg.Wait()
	clock.Set(clock.Now().Add(2 * time.Hour))
	for _, node := range nodes {
		node.proc.server.wakeScheduler()
	}

	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if _, err := hooks.WaitRequests(ctx, contacts); err != nil {
		t.Fatalf("%d webhooks after the wait, want %d: %v", len(hooks.Requests()), contacts, err)
	}
	for _, node := range nodes {
		node.waitIdle()
	}
	keys := map[string]int{}
	for _, req := range hooks.Requests() {
		keys[req.Header.Get("Idempotency-Key")]++
	}
	if len(hooks.Requests()) != contacts || len(keys) != contacts {
		t.Errorf("%d webhooks with %d distinct keys for %d contacts: want one each", len(hooks.Requests()), len(keys), contacts)
	}
	for _, id := range ids {
		tl, err := nodes[0].client.Timeline(context.Background(), id, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		waited := 0
		for _, e := range tl.Entries {
			if e.Element == "hour" && e.Outcome == "waited" {
				waited++
			}
		}
		if waited != 1 {
			t.Errorf("contact %d's wait ran %d times, want once:\n%s", id, waited, timelineText(tl))
		}
		if ds := nodes[1].outbox(id); len(ds) != 1 || ds[0].Status != runtime.DeliverySent {
			t.Errorf("contact %d has %d deliveries, want one sent: %+v", id, len(ds), ds)
		}
	}
}

func timelineText(tl *api.Timeline) string {
	var s string
	for _, e := range tl.Entries {
		s += fmt.Sprintf("  %s %s/%s %s %s\n", e.At.Format(time.RFC3339), e.Campaign, e.Element, e.Kind, e.Outcome)
	}
	return s
}
