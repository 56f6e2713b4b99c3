// Package pgsteps measures the engine's steps per second on PostgreSQL, for
// one node and for several, against a raw SQL baseline that claims the same
// due rows with FOR UPDATE SKIP LOCKED and writes what a step must write,
// in the same run, on copies of one database (bench/pgsteps.sh,
// bench/README.md).
package pgsteps

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Config says what to measure.
type Config struct {
	// Server is a PostgreSQL server whose user may create databases.
	Server string
	// Self is this program's binary: each node is a process of it
	// (RunNode), as each journey server is a process.
	Self string
	// Before, when set, is the same program built from an earlier
	// journey: its engine runs beside this one's in every round, for a
	// before and after in one run.
	Before string
	// Contacts wait for the same minute; each run steps them all.
	Contacts int
	// Batch is the steps per transaction: the scheduler's 200.
	Batch int
	// Nodes is the larger run's node count (3); the smaller has one.
	Nodes int
	// Rounds repeats the four runs, in turns, so that a change in the
	// machine's load shows in every kind of run alike.
	Rounds int
	// Dir takes the plan and, with Profile, the nodes' CPU profiles.
	Dir     string
	Profile bool
	// Progress takes a line per stage; nil discards them.
	Progress io.Writer
}

// bench is one benchmark: its template database and its runs.
type bench struct {
	cfg      Config
	admin    admin
	template string
	due      time.Time
	mu       sync.Mutex
}

func (b *bench) progress(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.cfg.Progress, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// Run makes the template database, then runs, Rounds times: the baseline
// with one connection, the engine on one node, the baseline with Nodes
// connections, the engine on Nodes nodes, each on a fresh copy.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Batch <= 0 {
		cfg.Batch = 200
	}
	if cfg.Nodes <= 0 {
		cfg.Nodes = 3
	}
	if cfg.Rounds <= 0 {
		cfg.Rounds = 1
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	b := &bench{cfg: cfg, admin: admin{server: cfg.Server},
		due: time.Now().UTC().Truncate(time.Minute).Add(24 * time.Hour)}
	defer func() {
		if b.template != "" {
			b.admin.drop(b.template)
		}
	}()
	b.progress("enrolling %d contacts in the template database", cfg.Contacts)
	if err := b.makeTemplate(ctx); err != nil {
		return nil, err
	}
	rep := &Report{Contacts: cfg.Contacts, Batch: cfg.Batch, Nodes: cfg.Nodes}
	for round := 1; round <= cfg.Rounds; round++ {
		for _, k := range b.kinds() {
			res, err := b.runOnce(ctx, round, k)
			if err != nil {
				return rep, err
			}
			b.progress("round %d, %s: %.0f steps/s", round, label(res), res.StepsPerSecond())
			rep.Runs = append(rep.Runs, res)
		}
	}
	return rep, nil
}

// kind is one kind of run: a mode on some nodes, of this build or the
// earlier one.
type kind struct {
	mode   string
	nodes  int
	before bool
}

// kinds are a round's runs, in order: each engine run follows the
// baseline it is set against.
func (b *bench) kinds() []kind {
	var out []kind
	for _, nodes := range []int{1, b.cfg.Nodes} {
		out = append(out, kind{mode: ModeBaseline, nodes: nodes})
		if b.cfg.Before != "" {
			out = append(out, kind{mode: ModeEngine, nodes: nodes, before: true})
		}
		out = append(out, kind{mode: ModeEngine, nodes: nodes})
	}
	return out
}

// child is a node process of a run.
type child struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines *bufio.Scanner
	log   *os.File
}

// runOnce runs one kind of node, n of them, on a fresh copy of the
// template, and measures from the start signal to the last step.
func (b *bench) runOnce(ctx context.Context, round int, k kind) (Result, error) {
	mode, n := k.mode, k.nodes
	res := Result{Round: round, Mode: mode, Nodes: n, Before: k.before}
	self := b.cfg.Self
	if k.before {
		self, mode = b.cfg.Before, ModeEngine
	}
	name, _, err := b.admin.create(ctx, "journey_steps_run_", b.template)
	if err != nil {
		return res, err
	}
	defer b.admin.drop(name)
	children := make([]*child, n)
	defer func() {
		for _, c := range children {
			if c != nil {
				c.in.Close()
				c.cmd.Process.Kill()
				c.cmd.Wait()
				c.log.Close()
			}
		}
	}()
	for i := range children {
		label := fmt.Sprintf("%s-%d-%d-%d", mode, n, round, i+1)
		if k.before {
			label = "before-" + label
		}
		args := []string{"node", "-mode", mode, "-db", b.admin.url(name, "pgsteps-"+label),
			"-plan", filepath.Join(b.cfg.Dir, "plan.json"), "-due", strconv.FormatInt(b.due.Unix(), 10), "-batch", strconv.Itoa(b.cfg.Batch)}
		if b.cfg.Profile {
			args = append(args, "-cpuprofile", filepath.Join(b.cfg.Dir, label+".cpu"))
		}
		c, err := startChild(self, filepath.Join(b.cfg.Dir, label+".log"), args)
		if err != nil {
			return res, err
		}
		children[i] = c
		if line, err := c.next(); err != nil || line != "ready" {
			return res, fmt.Errorf("node %s did not say ready (%q, %v); see %s", label, line, err, c.log.Name())
		}
	}
	mon, err := pgx.Connect(ctx, b.admin.url(name, "pgsteps-monitor"))
	if err != nil {
		return res, err
	}
	defer mon.Close(context.WithoutCancel(ctx))

	busy0, total0 := machineCPU()
	began := time.Now()
	for _, c := range children {
		if _, err := io.WriteString(c.in, "go\n"); err != nil {
			return res, err
		}
	}
	var last time.Time
	for _, c := range children {
		line, err := c.next()
		if err != nil {
			return res, fmt.Errorf("a %s node ended without its result (%v); see %s", mode, err, c.log.Name())
		}
		var steps int
		var lastNano, cpuNano int64
		if _, err := fmt.Sscanf(line, "done %d %d %d", &steps, &lastNano, &cpuNano); err != nil {
			return res, fmt.Errorf("a %s node said %q, not its result; see %s", mode, line, c.log.Name())
		}
		res.Steps += steps
		res.NodeCPU += time.Duration(cpuNano)
		if t := time.Unix(0, lastNano); t.After(last) {
			last = t
		}
	}
	res.Wall = last.Sub(began)
	busy1, total1 := machineCPU()
	if total1 > total0 {
		res.MachineBusy = float64(busy1-busy0) / float64(total1-total0)
	}
	// The sessions of the nodes are still open: their backends' CPU is
	// the database's share of the run.
	res.DatabaseCPU, res.DatabaseCPUKnown, err = sessionsCPU(ctx, mon, "pgsteps-")
	if err != nil {
		return res, err
	}
	for i, c := range children {
		c.in.Close()
		if err := c.cmd.Wait(); err != nil {
			return res, fmt.Errorf("a %s node: %w; see %s", mode, err, c.log.Name())
		}
		c.log.Close()
		children[i] = nil
	}
	if res.Steps != b.cfg.Contacts {
		return res, fmt.Errorf("%s on %d node(s) ran %d steps, want %d: one per contact", mode, n, res.Steps, b.cfg.Contacts)
	}
	var left int
	if err := mon.QueryRow(ctx, `SELECT COUNT(*) FROM tokens WHERE due_at IS NOT NULL AND due_at <= $1`, b.due.Unix()).Scan(&left); err != nil {
		return res, err
	}
	if left != 0 {
		return res, fmt.Errorf("%s on %d node(s) left %d due tokens", mode, n, left)
	}
	// Rows written: PostgreSQL's own counts of the run's database, which
	// its backends report when they end.
	time.Sleep(500 * time.Millisecond)
	var ins, upd, del int64
	if err := mon.QueryRow(ctx, `SELECT tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()`).
		Scan(&ins, &upd, &del); err != nil {
		return res, err
	}
	res.RowsWritten = ins + upd + del
	return res, nil
}

func startChild(self, logPath string, args []string) (*child, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, args...)
	cmd.Stderr = log
	in, err := cmd.StdinPipe()
	if err != nil {
		log.Close()
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	return &child{cmd: cmd, in: in, lines: bufio.NewScanner(out), log: log}, nil
}

// next is the child's next line on stdout.
func (c *child) next() (string, error) {
	if c.lines.Scan() {
		return c.lines.Text(), nil
	}
	if err := c.lines.Err(); err != nil {
		return "", err
	}
	return "", errors.New("its output ended")
}

// sessionsCPU sums the CPU time of the database sessions whose
// application_name starts with prefix (false when /proc cannot show it:
// PostgreSQL on another machine).
func sessionsCPU(ctx context.Context, conn *pgx.Conn, prefix string) (time.Duration, bool, error) {
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1)`, prefix)
	if err != nil {
		return 0, false, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return 0, false, err
	}
	var sum time.Duration
	for _, pid := range pids {
		cpu, ok := pidCPU(int(pid))
		if !ok {
			return 0, false, nil
		}
		sum += cpu
	}
	return sum, len(pids) > 0, nil
}
