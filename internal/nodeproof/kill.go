package nodeproof

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/jackc/pgx/v5"
)

// killResult is what the kill left for the other nodes.
type killResult struct {
	node *node
	at   time.Time
	// leader: the node was River's leader, whose duties (rescuing the
	// jobs a dead node left) pass to another node once its lease ends.
	leader   bool
	clientID string
	// backlog and open are the due steps and the deliveries left at the
	// kill; sent is what the sink had received.
	backlog, open, sent int
	// jobs are the delivery jobs the node was running, by River job id:
	// their delivery ids.
	jobs map[int64]int64
	// sessionsGone is how long its database sessions outlived it: until
	// then its open transaction (a batch of claimed due waits) held its
	// locks.
	sessionsGone time.Duration
}

// killMidRun waits until a third of the due steps have run, then kills
// River's leader node with SIGKILL: the worst node to lose, as the
// rescue of its jobs waits for another leader.
func (r *run) killMidRun(ctx context.Context) (*killResult, error) {
	third := r.cfg.Contacts - r.cfg.Contacts/3
	var backlog int
	for {
		p, err := r.mon.progress(ctx, r.due.Unix())
		if err != nil {
			return nil, err
		}
		backlog = p.backlog
		if backlog <= third {
			break
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return nil, err
		}
	}
	ids, err := r.clientIDs(ctx)
	if err != nil {
		return nil, err
	}
	k := &killResult{node: r.nodes[len(r.nodes)-1]}
	var leaderID string
	err = r.mon.conn.QueryRow(ctx, `SELECT leader_id FROM river_leader LIMIT 1`).Scan(&leaderID)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	if n := ids[leaderID]; n != nil {
		k.node, k.leader = n, true
	}
	for id, n := range ids {
		if n == k.node {
			k.clientID = id
		}
	}
	p, err := r.mon.progress(ctx, r.due.Unix())
	if err != nil {
		return nil, err
	}
	k.backlog, k.open, k.sent = p.backlog, p.open, r.sink.received()
	k.at = time.Now()
	if err := k.node.proc.kill(); err != nil {
		return nil, err
	}
	k.node.killed = true
	role := "not River's leader"
	if k.leader {
		role = "River's leader"
	}
	r.progress("killed %s (%s) with SIGKILL: %s due steps and %s deliveries were left", k.node.name, role,
		humanize.Comma(int64(k.backlog)), humanize.Comma(int64(k.open)))

	if k.jobs, err = r.runningJobs(ctx, k.clientID); err != nil {
		return nil, err
	}
	for {
		n, err := r.mon.sessions(ctx, "journey-"+k.node.name)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			k.sessionsGone = time.Since(k.at)
			break
		}
		if time.Since(k.at) > takeoverBound {
			k.sessionsGone = -1
			break
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// clientIDs maps the River client IDs seen in the database (the leader's,
// and those of the clients that ran jobs) to the nodes: River names a
// client after its host and the time it was made, and each node made its
// client while it started, in a window of its own.
func (r *run) clientIDs(ctx context.Context) (map[string]*node, error) {
	rows, err := r.mon.conn.Query(ctx, `SELECT leader_id FROM river_leader
		UNION SELECT DISTINCT attempted_by[array_upper(attempted_by, 1)] FROM river_job WHERE attempted_by IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := map[string]*node{}
	for _, id := range ids {
		made, ok := clientMadeAt(id)
		if !ok {
			continue
		}
		for _, n := range r.nodes {
			// The client ID's time has microseconds; the window is
			// widened by one to absorb rounding.
			if !made.Before(n.started.Add(-time.Microsecond)) && !made.After(n.ready.Add(time.Microsecond)) {
				out[id] = n
			}
		}
	}
	return out, nil
}

// clientMadeAt reads the time in River's default client ID,
// HOST_2006_01_02T15_04_05_000000 (UTC).
func clientMadeAt(id string) (time.Time, bool) {
	const layout = "2006_01_02T15_04_05.000000"
	if len(id) < len(layout) {
		return time.Time{}, false
	}
	stamp := []byte(id[len(id)-len(layout):])
	stamp[strings.Index(layout, ".")] = '.'
	t, err := time.ParseInLocation(layout, string(stamp), time.UTC)
	return t, err == nil
}

// runningJobs are the jobs River shows running on a client.
func (r *run) runningJobs(ctx context.Context, clientID string) (map[int64]int64, error) {
	jobs := map[int64]int64{}
	if clientID == "" {
		return jobs, nil
	}
	rows, err := r.mon.conn.Query(ctx, `SELECT id, (args->>'delivery_id')::bigint FROM river_job
		WHERE state = 'running' AND attempted_by[array_upper(attempted_by, 1)] = $1`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var job, delivery int64
		if err := rows.Scan(&job, &delivery); err != nil {
			return nil, err
		}
		jobs[job] = delivery
	}
	return jobs, rows.Err()
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkTakeover checks that the other nodes finished what the killed one
// held, within a minute: its due steps (released when its sessions ended)
// and its delivery jobs (rescued by River's leader).
func (r *run) checkTakeover(ctx context.Context, k *killResult) {
	gone := "they did not end within a minute"
	if k.sessionsGone >= 0 {
		gone = fmt.Sprintf("they ended %.2f s after it", k.sessionsGone.Seconds())
	}
	r.report.check(k.sessionsGone >= 0 && k.sessionsGone <= takeoverBound, "the killed node's claimed due waits are released",
		"%s's database sessions (its open batch of claimed due waits, rolled back) outlived it: %s", k.node.name, gone)

	if k.clientID == "" {
		r.report.check(false, "the killed node's delivery jobs are taken over within a minute",
			"the River client of %s was not found in river_leader or river_job, so its jobs could not be told apart", k.node.name)
		return
	}
	ids := make([]int64, 0, len(k.jobs))
	for id := range k.jobs {
		ids = append(ids, id)
	}
	var unfinished int
	var last *time.Time
	err := r.mon.conn.QueryRow(ctx, `SELECT COUNT(*) FILTER (WHERE finalized_at IS NULL), MAX(finalized_at)
		FROM river_job WHERE id = ANY($1)`, ids).Scan(&unfinished, &last)
	if err != nil {
		r.report.check(false, "the killed node's delivery jobs are taken over within a minute", "reading them: %v", err)
		return
	}
	within := time.Duration(0)
	if last != nil {
		within = last.Sub(k.at)
	}
	r.report.check(unfinished == 0 && within <= takeoverBound, "the killed node's delivery jobs are taken over within a minute",
		"%d jobs were running on %s at the kill; %d are unfinished, the last finished %.1f s after the kill (River's rescue: 20 s stuck, then the next rescuer pass; a new leader first when the leader died)",
		len(k.jobs), k.node.name, unfinished, within.Seconds())
}
