package pgsteps

import (
	"fmt"
	"io"
	"time"
)

// Result is one run: one kind of node, Nodes of them, stepping every
// contact once.
type Result struct {
	Round int
	Mode  string
	Nodes int
	// Before: the engine of the earlier build (Config.Before).
	Before bool
	Steps  int
	// Wall is from the start signal to the last step's commit.
	Wall time.Duration
	// NodeCPU is the node processes' CPU time; DatabaseCPU their
	// database sessions' (when PostgreSQL runs on this machine).
	NodeCPU, DatabaseCPU time.Duration
	DatabaseCPUKnown     bool
	// MachineBusy is the share of the machine's CPU time in use during
	// the run, by anything (the machine is shared).
	MachineBusy float64
	// RowsWritten are the rows inserted, updated and deleted in the
	// run's database, as PostgreSQL counts them.
	RowsWritten int64
}

// StepsPerSecond is the run's throughput.
func (r Result) StepsPerSecond() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Steps) / r.Wall.Seconds()
}

func (r Result) perStep(d time.Duration) float64 {
	return float64(d.Microseconds()) / float64(max(r.Steps, 1))
}

// Report is every run, and the goals judged on them.
type Report struct {
	Contacts, Batch, Nodes int
	Runs                   []Result
}

// best is the fastest run of a kind.
func (rep *Report) best(mode string, nodes int) (Result, bool) {
	var best Result
	found := false
	for _, r := range rep.Runs {
		if r.Mode == mode && r.Nodes == nodes && !r.Before && (!found || r.StepsPerSecond() > best.StepsPerSecond()) {
			best, found = r, true
		}
	}
	return best, found
}

// Goal is one of the benchmark's goals, judged.
type Goal struct {
	Name     string
	Measured float64
	Target   float64
	Met      bool
}

// Goals judges the fastest run of each kind: one node >= 50% of the
// baseline on one connection, and Nodes nodes >= one node.
func (rep *Report) Goals() []Goal {
	base1, ok1 := rep.best(ModeBaseline, 1)
	eng1, ok2 := rep.best(ModeEngine, 1)
	engN, ok3 := rep.best(ModeEngine, rep.Nodes)
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	r1 := eng1.StepsPerSecond() / base1.StepsPerSecond()
	rN := engN.StepsPerSecond() / eng1.StepsPerSecond()
	return []Goal{
		{Name: "1. engine on one node / baseline on one connection", Measured: r1, Target: 0.5, Met: r1 >= 0.5},
		{Name: fmt.Sprintf("2. engine on %d nodes / engine on one node", rep.Nodes), Measured: rN, Target: 1, Met: rN >= 1},
	}
}

// Write prints every run, then the goals.
func (rep *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "\nsteps on PostgreSQL: %d contacts due in one minute (wait, marketing email, end), %d steps per transaction\n\n", rep.Contacts, rep.Batch)
	fmt.Fprintf(w, "%-5s %-22s %9s %8s %13s %13s %9s %10s\n", "round", "run", "steps/s", "wall s", "node CPU/step", "db CPU/step", "machine", "rows/step")
	for _, r := range rep.Runs {
		db := "n/a"
		if r.DatabaseCPUKnown {
			db = fmt.Sprintf("%.0f us", r.perStep(r.DatabaseCPU))
		}
		fmt.Fprintf(w, "%-5d %-22s %9.0f %8.1f %13s %13s %8.0f%% %10.2f\n", r.Round, label(r), r.StepsPerSecond(), r.Wall.Seconds(),
			fmt.Sprintf("%.0f us", r.perStep(r.NodeCPU)), db, 100*r.MachineBusy, float64(r.RowsWritten)/float64(max(r.Steps, 1)))
	}
	goals := rep.Goals()
	if len(goals) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%-52s %9s   %7s   %s\n", "goal (fastest run of each kind)", "measured", "target", "result")
	for _, g := range goals {
		result := "PASS"
		if !g.Met {
			result = "FAIL"
		}
		fmt.Fprintf(w, "%-52s %8.2f x   >= %.2f   %s\n", g.Name, g.Measured, g.Target, result)
	}
	rep.writeBeforeAfter(w)
}

func label(r Result) string {
	if r.Before {
		return label(Result{Mode: r.Mode, Nodes: r.Nodes}) + " (before)"
	}
	switch {
	case r.Mode == ModeBaseline && r.Nodes == 1:
		return "baseline, 1 connection"
	case r.Mode == ModeBaseline:
		return fmt.Sprintf("baseline, %d connections", r.Nodes)
	case r.Nodes == 1:
		return "engine, 1 node"
	}
	return fmt.Sprintf("engine, %d nodes", r.Nodes)
}

// writeBeforeAfter sets each engine run against the earlier build's run
// of the same round and nodes, when there is one.
func (rep *Report) writeBeforeAfter(w io.Writer) {
	header := false
	for _, after := range rep.Runs {
		if after.Mode != ModeEngine || after.Before {
			continue
		}
		for _, before := range rep.Runs {
			if !before.Before || before.Round != after.Round || before.Nodes != after.Nodes {
				continue
			}
			if !header {
				fmt.Fprintf(w, "\n%-5s %-22s %14s %14s %9s\n", "round", "run", "before steps/s", "after steps/s", "after/before")
				header = true
			}
			fmt.Fprintf(w, "%-5d %-22s %14.0f %14.0f %8.2f x\n", after.Round, label(after), before.StepsPerSecond(), after.StepsPerSecond(),
				after.StepsPerSecond()/before.StepsPerSecond())
		}
	}
}
