package pgsteps

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// What a node process runs.
const (
	// ModeEngine runs the engine as journey server's scheduler runs it.
	ModeEngine = "engine"
	// ModeBaseline runs the raw SQL baseline (baseline.go).
	ModeBaseline = "baseline"
)

// idlePause is the scheduler's pause after a pass that ran nothing while
// steps were due (runtime/server's idlePause): other nodes held them.
const idlePause = time.Second

// NodeConfig is what one node process of a run is told.
type NodeConfig struct {
	Mode string
	// DB is the run's database; Plan the plan file (engine).
	DB, Plan string
	// Due is the minute every wait falls due; the node's clock reads a
	// minute later.
	Due   time.Time
	Batch int
	// CPUProfile, when set, is written with the node's CPU profile of
	// the run.
	CPUProfile string
}

// RunNode is a node process: it opens the database, says "ready", runs
// once the parent writes a line, says "done STEPS LAST_STEP_UNIX_NANO
// CPU_NANO", and returns when the parent closes its input (the parent
// reads the database sessions' CPU meanwhile).
func RunNode(ctx context.Context, cfg NodeConfig, in io.Reader, out io.Writer) error {
	var run func(context.Context) (int, time.Time, error)
	switch cfg.Mode {
	case ModeEngine:
		e, err := openEngineNode(ctx, cfg)
		if err != nil {
			return err
		}
		defer e.close()
		run = e.run
	case ModeBaseline:
		b, err := openBaseline(ctx, cfg)
		if err != nil {
			return err
		}
		defer b.close()
		run = b.run
	default:
		return fmt.Errorf("pgsteps node: mode %q: give %s or %s", cfg.Mode, ModeEngine, ModeBaseline)
	}
	lines := bufio.NewReader(in)
	fmt.Fprintln(out, "ready")
	if _, err := lines.ReadString('\n'); err != nil {
		return fmt.Errorf("pgsteps node: waiting for the start: %w", err)
	}
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	cpu0 := processCPU()
	steps, last, err := run(ctx)
	cpu := processCPU() - cpu0
	if cfg.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "done %d %d %d\n", steps, last.UnixNano(), cpu.Nanoseconds())
	if _, err := io.Copy(io.Discard, lines); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// engineNode is what journey server's scheduler does on a node: RunDue in
// batches on the store, each delivery's job enqueued in the step's
// transaction (runtime/server's queueSink, for a configured channel). Its
// API and its delivery workers are left out: the run measures the steps.
type engineNode struct {
	store  *sqlstore.Store
	engine *runtime.Engine
	clock  runtime.Clock
	batch  int
}

func openEngineNode(ctx context.Context, cfg NodeConfig) (*engineNode, error) {
	data, err := os.ReadFile(cfg.Plan)
	if err != nil {
		return nil, err
	}
	p, err := plan.Decode(data)
	if err != nil {
		return nil, err
	}
	prog, err := runtime.Link(p)
	if err != nil {
		return nil, err
	}
	store, err := sqlstore.OpenPostgres(ctx, cfg.DB, sqlstore.Options{Version: "pgsteps"})
	if err != nil {
		return nil, err
	}
	q, err := queue.Open(ctx, store, func(context.Context, *queue.Job) error { return nil },
		queue.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		store.Close()
		return nil, err
	}
	clock := runtime.NewVirtualClock(cfg.Due.Add(time.Minute))
	engine := runtime.NewEngine(prog, store, clock, enqueueSink{q})
	engine.SetDeployment(prog, 1)
	return &engineNode{store: store, engine: engine, clock: clock, batch: cfg.Batch}, nil
}

func (n *engineNode) close() { n.store.Close() }

// run is the scheduler's loop (runtime/server's scheduler.pass): batch
// after batch while they come full; after a short one, on at once while
// steps are due, after idlePause when the pass ran nothing (another node
// held them); done when nothing is due.
func (n *engineNode) run(ctx context.Context) (int, time.Time, error) {
	steps, last := 0, time.Time{}
	for {
		ran, err := n.engine.RunDue(ctx, n.batch)
		if err != nil {
			return steps, last, err
		}
		if ran > 0 {
			steps, last = steps+ran, time.Now()
		}
		if ran == n.batch {
			continue
		}
		next, err := n.engine.NextDue(ctx)
		if err != nil {
			return steps, last, err
		}
		if next == nil || next.After(n.clock.Now()) {
			return steps, last, nil
		}
		if ran == 0 {
			time.Sleep(idlePause)
		}
	}
}

// enqueueSink enqueues the deliveries' jobs in the step's transaction, a
// batch's at once (runtime/server's queueSink, every channel configured).
type enqueueSink struct{ q queue.Queue }

func (s enqueueSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	return s.q.EnqueueTx(context.Background(), tx, d.ID)
}

func (s enqueueSink) DeliverBatch(tx runtime.Tx, ds []*runtime.Delivery) error {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return s.q.EnqueueManyTx(context.Background(), tx, ids)
}
