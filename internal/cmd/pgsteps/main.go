// Command pgsteps measures the engine's steps per second on PostgreSQL
// (internal/pgsteps): one node and several against the raw SQL baseline.
// bench/pgsteps.sh runs it inside .ci/postgres:
//
//	go run ./internal/cmd/pgsteps -contacts 20000 -rounds 2
//
// It runs its nodes as processes of itself ("pgsteps node ..."). Exit
// status: 0 when the goals are met, 1 when one is missed, 2 when the
// benchmark could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/journeyhq/journey/internal/pgsteps"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "node" {
		os.Exit(node(os.Args[2:]))
	}
	// River's migrator tells of every migration it applies to the
	// template database: only its warnings matter here.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	cfg := pgsteps.Config{Progress: os.Stderr}
	flag.StringVar(&cfg.Server, "postgres", os.Getenv("JOURNEY_POSTGRES_URL"), "a PostgreSQL server whose user may create databases (default $JOURNEY_POSTGRES_URL)")
	flag.IntVar(&cfg.Contacts, "contacts", 20000, "contacts whose waits fall due; every run steps them all")
	flag.IntVar(&cfg.Batch, "batch", 200, "steps per transaction (journey server's scheduler: 200)")
	flag.IntVar(&cfg.Nodes, "nodes", 3, "nodes of the larger runs")
	flag.IntVar(&cfg.Rounds, "rounds", 2, "rounds of the four runs, in turns")
	flag.StringVar(&cfg.Dir, "dir", "", "where the plan, the nodes' logs and profiles go (default: a new temporary directory)")
	flag.StringVar(&cfg.Before, "before", "", "a pgsteps binary built from an earlier journey: its engine runs beside this one's, for a before and after")
	flag.BoolVar(&cfg.Profile, "profile", false, "write each engine and baseline node's CPU profile into -dir")
	flag.Parse()
	if cfg.Server == "" {
		fmt.Fprintln(os.Stderr, "pgsteps: no PostgreSQL server: give -postgres URL or set JOURNEY_POSTGRES_URL (bash .ci/postgres CMD runs CMD with a throwaway one)")
		return2()
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgsteps:", err)
		return2()
	}
	cfg.Self = self
	if cfg.Dir == "" {
		if cfg.Dir, err = os.MkdirTemp("", "journey-pgsteps-"); err != nil {
			fmt.Fprintln(os.Stderr, "pgsteps:", err)
			return2()
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	report, err := pgsteps.Run(ctx, cfg)
	if report != nil {
		report.Write(os.Stdout)
	}
	fmt.Fprintf(os.Stderr, "plan, logs and profiles: %s\n", cfg.Dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgsteps: the benchmark could not run:", err)
		return2()
	}
	for _, g := range report.Goals() {
		if !g.Met {
			os.Exit(1)
		}
	}
}

func return2() { os.Exit(2) }

// node runs one node process of a run.
func node(args []string) int {
	fs := flag.NewFlagSet("pgsteps node", flag.ExitOnError)
	var cfg pgsteps.NodeConfig
	var due int64
	fs.StringVar(&cfg.Mode, "mode", pgsteps.ModeEngine, "engine or baseline")
	fs.StringVar(&cfg.DB, "db", "", "the run's database URL")
	fs.StringVar(&cfg.Plan, "plan", "", "the plan file (engine)")
	fs.Int64Var(&due, "due", 0, "the due minute, Unix seconds")
	fs.IntVar(&cfg.Batch, "batch", 200, "steps per transaction")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write the run's CPU profile here")
	fs.Parse(args)
	cfg.Due = time.Unix(due, 0).UTC()
	if err := pgsteps.RunNode(context.Background(), cfg, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pgsteps node:", err)
		return 2
	}
	return 0
}
