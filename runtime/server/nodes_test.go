package server

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
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

// An event that comes to one node while another applies a new plan waits
// for the apply, then runs on the new plan: no transaction straddles two
// plan versions (the engine reads the deployment head shared, the apply
// holds it exclusively).
func TestAnEventDuringAnApplyOnAnotherNodeRunsOnTheNewPlan(t *testing.T) {
	t.Parallel()
	hooks := httpSink(t)
	v1src := deliveriesWorkspace(hooks.URL() + "/hook")
	v2src := strings.NewReplacer(`wait "hour"`, `wait "hours"`, "wait.hour\n", "wait.hours\n").Replace(v1src) + `
moved {
  from = campaign.later.wait.hour
  to   = campaign.later.wait.hours
}
`
	clock := runtime.NewVirtualClock(time.Now().UTC().Truncate(time.Minute))
	nodes := startNodes(t, 2, v1src, clock)
	a, b := nodes[0], nodes[1]
	for _, node := range nodes {
		// What journey apply's server wires: a node reloads the plan the
		// head names when an apply on another node moved it.
		node.proc.server.engine.Reload = func(tx runtime.Tx, serial int64) (*runtime.Program, error) {
			d, err := tx.Deployment(serial)
			if err != nil {
				return nil, err
			}
			p, err := plan.Decode(d.Plan)
			if err != nil {
				return nil, err
			}
			return runtime.Link(p)
		}
	}
	ada := a.tag("ada@example.com", "later")
	// The schedulers read the head too: stopped, only the event waits.
	for _, node := range nodes {
		node.proc.stopScheduler()
		<-node.proc.schedulerDone
	}

	// Node b applies v2 and holds its transaction open.
	v1, v2 := b.proc.server.engine.Program(), linkWorkspace(t, v2src)
	ctx := context.Background()
	tx, err := b.proc.store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if head, err := tx.LockDeploymentHead(); err != nil || head != 1 {
		t.Fatalf("LockDeploymentHead = %d, %v; want 1", head, err)
	}
	if _, err := b.proc.server.engine.Migrate(tx, v1, v2, runtime.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	canonical, err := plan.Encode(v2.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AddDeployment(&runtime.Deployment{Serial: 2, Hash: v2.Plan.Hash, Plan: canonical, AppliedAt: clock.Now(), AppliedBy: "test"}); err != nil {
		t.Fatal(err)
	}

	// Meanwhile bob's event comes to node a: it must wait for the apply.
	bobDone := make(chan int64, 1)
	go func() { bobDone <- a.tag("bob@example.com", "later") }()
	deadline := time.Now().Add(patience)
	for waitingSessions(t, b) == 0 {
		select {
		case id := <-bobDone:
			t.Fatalf("an event for contact %d ran on node a while node b's apply held the deployment head; want it to wait for the apply", id)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("bob's event neither waited for the apply nor ran within %s", patience)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var bob int64
	select {
	case bob = <-bobDone:
	case <-time.After(patience):
		t.Fatalf("bob's event did not run within %s of the apply's commit", patience)
	}
	for name, id := range map[string]int64{"ada": ada, "bob": bob} {
		tx, err := a.proc.store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		enrs, err := tx.Enrollments(id)
		tx.Rollback()
		if err != nil {
			t.Fatal(err)
		}
		if len(enrs) != 1 || len(enrs[0].Tokens) != 1 || enrs[0].Tokens[0].Element != "hours" {
			t.Errorf("%s stands on %+v after the apply; want the renamed wait \"hours\" of the new plan", name, enrs)
		}
	}
	if _, serial := a.proc.server.engine.Deployment(); serial != 2 {
		t.Errorf("node a runs deployment %d after the apply on node b; want 2", serial)
	}
}

// waitingSessions counts the sessions of the node's database waiting for
// a lock.
func waitingSessions(t *testing.T, r *running) int {
	t.Helper()
	var n int
	if err := r.proc.store.DB().QueryRow(`SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE NOT l.granted AND a.datname = current_database()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
