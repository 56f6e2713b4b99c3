// Package nodeproof shows that several journey servers on one PostgreSQL
// database run each due wait once and send each email once, and that a
// node killed with SIGKILL mid-run loses nothing: it runs the real
// binaries (journey migrate, server, contacts import, mailsink) as
// processes, then checks the database and what the sink received.
// bench/nodes.sh runs it at full size; a test runs it small in CI.
package nodeproof

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
)

// Config says what to run.
type Config struct {
	// Journey is the journey binary.
	Journey string
	// Server is a PostgreSQL server's URL whose user may create
	// databases (JOURNEY_POSTGRES_URL): the proof makes a database of its
	// own there, and drops it at the end.
	Server string
	// Database, instead of Server, is an empty database to run on, left
	// as the proof leaves it.
	Database string
	// Contacts is how many contacts wait for the same minute.
	Contacts int
	// Nodes is how many journey servers share the database (3).
	Nodes int
	// Lead is the least time between choosing the due minute and that
	// minute (the contacts are imported meanwhile); 0 is estimated from
	// Contacts. The minute is the first whole one after it.
	Lead time.Duration
	// Kill kills River's leader node with SIGKILL once a third of the
	// due steps have run.
	Kill bool
	// Dir keeps the plan, the CSV files and every process's log.
	Dir string
	// KeepDatabase leaves the database on the server (its URL is a
	// figure of the report) instead of dropping it.
	KeepDatabase bool
	// Progress takes a line per stage; nil discards them.
	Progress io.Writer
}

// Time bounds: reaching one fails the run, with what was seen.
const (
	startPatience = 2 * time.Minute
	// takeoverBound is the promise: a killed node's work is taken over
	// within a minute (docs/operations.md).
	takeoverBound = time.Minute
	stopPatience  = time.Minute
)

// Run runs the proof and reports its checks. An error means it could not
// run (a process did not start, the database did not answer); a check
// that fails is in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Nodes < 1 {
		cfg.Nodes = 3
	}
	if cfg.Contacts < cfg.Nodes {
		return nil, fmt.Errorf("nodeproof: %d contacts for %d nodes: give each node some", cfg.Contacts, cfg.Nodes)
	}
	if cfg.Lead <= 0 {
		cfg.Lead = estimatedLead(cfg.Contacts)
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	r := &run{cfg: cfg, report: &Report{}}
	defer r.cleanup()
	if err := r.run(ctx); err != nil {
		return r.report, err
	}
	return r.report, nil
}

// estimatedLead leaves the import time: 400 contacts a second, a third of
// what three nodes import on two busy cores, and 20 s to start the nodes.
func estimatedLead(contacts int) time.Duration {
	return 20*time.Second + time.Duration(contacts)*time.Second/400
}

// run is one run of the proof.
type run struct {
	cfg    Config
	report *Report
	db     *database
	mon    *monitor
	sink   *mailSink
	nodes  []*node
	token  string
	due    time.Time
	mu     sync.Mutex // progress lines
}

// node is one journey server.
type node struct {
	name string
	proc *process
	addr string
	// started and ready bound the start: River's client ID of the node
	// carries a time between them (leader.go).
	started, ready time.Time
	killed         bool
}

func (r *run) progress(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.cfg.Progress, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func (r *run) cleanup() {
	for _, n := range r.nodes {
		if n.proc.running() {
			n.proc.stop(stopPatience)
		}
	}
	if r.sink != nil && r.sink.proc.running() {
		r.sink.close()
	}
	if r.mon != nil {
		r.mon.close()
	}
	if r.db != nil && r.db.server != "" && !r.cfg.KeepDatabase {
		if err := r.db.drop(); err != nil {
			r.progress("could not drop the database %s: %v", r.db.name, err)
		}
	}
}

func (r *run) run(ctx context.Context) error {
	var err error
	tok := make([]byte, 24)
	rand.Read(tok)
	r.token = base64.RawURLEncoding.EncodeToString(tok)
	if r.cfg.Database != "" {
		r.db = &database{url: r.cfg.Database, name: databaseName(r.cfg.Database)}
	} else if r.db, err = createDatabase(ctx, r.cfg.Server, "journey_nodes_"); err != nil {
		return err
	}
	if r.cfg.KeepDatabase {
		r.report.figure("database", "%s", r.db.url)
	}
	r.progress("journey migrate --db %s (before any node starts, as a rollout does)", r.db.name)
	if err := runJourney(ctx, r.cfg.Journey, r.path("migrate.log"), nil, "migrate", "--db", r.db.url); err != nil {
		return err
	}
	if r.mon, err = openMonitor(ctx, r.db.nodeURL("journey-nodeproof")); err != nil {
		return err
	}
	if r.sink, err = startSink(ctx, r.cfg.Journey, r.cfg.Dir); err != nil {
		return err
	}
	r.progress("journey mailsink listens on %s", r.sink.addr)
	parts, err := writeContacts(r.cfg.Dir, r.cfg.Contacts, r.cfg.Nodes)
	if err != nil {
		return err
	}

	// The due minute: the first whole one at least Lead away.
	r.due = time.Now().UTC().Add(r.cfg.Lead).Truncate(time.Minute).Add(time.Minute)
	ws, err := writeWorkspace(r.cfg.Dir, r.due)
	if err != nil {
		return err
	}
	plan := r.path("plan.json")
	if err := runJourney(ctx, r.cfg.Journey, r.path("compile.log"), nil, "compile", ws, "-o", plan); err != nil {
		return err
	}
	if err := r.startNodes(ctx, plan); err != nil {
		return err
	}
	imported, err := r.importContacts(ctx, parts)
	if err != nil {
		return err
	}
	if err := r.checkWaiting(ctx, imported); err != nil {
		return err
	}

	r.progress("waiting for the due minute, %s", r.due.Format("15:04:05"))
	if err := sleepUntil(ctx, r.due); err != nil {
		return err
	}
	var kill *killResult
	if r.cfg.Kill {
		if kill, err = r.killMidRun(ctx); err != nil {
			return err
		}
	}
	settled, err := r.waitSettled(ctx)
	if err != nil {
		return err
	}
	if kill != nil {
		r.checkTakeover(ctx, kill)
	}
	r.stopNodes()
	keys, mails := r.sink.close()
	return r.checkOutcome(ctx, settled, kill, keys, mails)
}

func (r *run) path(name string) string { return filepath.Join(r.cfg.Dir, name) }

// startNodes starts the servers one after the other, each once the one
// before is ready: the first records the deployment, and each one's River
// client starts in a window of its own.
func (r *run) startNodes(ctx context.Context, plan string) error {
	config := r.path("journey.server.hcl")
	host, port, _ := strings.Cut(r.sink.addr, ":")
	if err := os.WriteFile(config, []byte(fmt.Sprintf("smtp {\n  host = %q\n  port = %s\n  tls  = \"none\"\n}\n", host, port)), 0o644); err != nil {
		return err
	}
	env := []string{"JOURNEY_TOKEN=" + r.token}
	for i := range r.cfg.Nodes {
		n := &node{name: fmt.Sprintf("node-%d", i+1)}
		ready := r.path(n.name + ".ready")
		n.started = time.Now()
		var err error
		n.proc, err = start("journey server "+n.name, r.path(n.name+".log"), nil, env, r.cfg.Journey,
			"server", "--db", r.db.nodeURL("journey-"+n.name), "--plan", plan, "--config", config,
			"--listen", "127.0.0.1:0", "--ready-file", ready)
		if err != nil {
			return err
		}
		r.nodes = append(r.nodes, n)
		sctx, cancel := context.WithTimeout(ctx, startPatience)
		n.addr, err = waitForFile(sctx, n.proc, ready)
		cancel()
		if err != nil {
			return err
		}
		n.ready = time.Now()
		r.progress("%s serves on %s", n.name, n.addr)
	}
	return nil
}

// importContacts imports each node's share of the contacts through that
// node's API, all at once, with journey contacts import.
func (r *run) importContacts(ctx context.Context, parts []string) (time.Duration, error) {
	r.progress("importing %s contacts through %d nodes", humanize.Comma(int64(r.cfg.Contacts)), len(r.nodes))
	began := time.Now()
	errs := make([]error, len(r.nodes))
	var wg sync.WaitGroup
	for i, n := range r.nodes {
		wg.Go(func() {
			errs[i] = runJourney(ctx, r.cfg.Journey, r.path(n.name+".import.log"), []string{"JOURNEY_TOKEN=" + r.token},
				"contacts", "import", parts[i], "--server", n.addr)
		})
	}
	wg.Wait()
	took := time.Since(began)
	if err := errors.Join(errs...); err != nil {
		return took, err
	}
	r.report.figure("import", "%s contacts in %.1f s through %d nodes (%.0f/s)",
		humanize.Comma(int64(r.cfg.Contacts)), took.Seconds(), len(r.nodes), float64(r.cfg.Contacts)/took.Seconds())
	return took, nil
}

// checkWaiting checks, before the due minute, that every contact waits for
// it.
func (r *run) checkWaiting(ctx context.Context, took time.Duration) error {
	waiting, err := r.mon.count(ctx, `SELECT COUNT(*) FROM tokens WHERE due_at = $1`, r.due.Unix())
	if err != nil {
		return err
	}
	left := time.Until(r.due)
	r.report.check(waiting == r.cfg.Contacts && left > 0, "every contact waits for the same minute",
		"%s of %s contacts wait until %s; the import took %.1f s and ended %.1f s before that minute (raise the lead if it did not)",
		humanize.Comma(int64(waiting)), humanize.Comma(int64(r.cfg.Contacts)), r.due.Format("15:04 MST"), took.Seconds(), left.Seconds())
	return nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	select {
	case <-time.After(time.Until(t)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stopNodes stops the nodes still running with SIGTERM, as an operator
// would, and checks that each exits 0.
func (r *run) stopNodes() {
	var bad []string
	stopped := 0
	for _, n := range r.nodes {
		if n.killed {
			continue
		}
		if code := n.proc.stop(stopPatience); code != 0 {
			bad = append(bad, fmt.Sprintf("%s exited %d; the end of its log:\n%s", n.name, code, n.proc.tail(10)))
		}
		stopped++
	}
	r.report.check(len(bad) == 0, "the other nodes stop cleanly",
		"%d of %d exited 0 on SIGTERM%s", stopped-len(bad), stopped, strings.Join(append([]string{""}, bad...), "\n  "))
}
