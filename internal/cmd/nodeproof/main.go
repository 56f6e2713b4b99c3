// Command nodeproof runs the three-node proof (internal/nodeproof) and
// prints its checks, PASS or FAIL each with its numbers. bench/nodes.sh
// runs it inside .ci/postgres:
//
//	go run ./internal/cmd/nodeproof -journey ./journey -contacts 100000
//
// Exit status: 0 when every check passed, 1 when one failed, 2 when the
// proof could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/journeyhq/journey/internal/nodeproof"
)

func main() {
	cfg := nodeproof.Config{Progress: os.Stderr, Kill: true}
	flag.StringVar(&cfg.Journey, "journey", "journey", "the journey binary")
	flag.StringVar(&cfg.Server, "postgres", os.Getenv("JOURNEY_POSTGRES_URL"), "a PostgreSQL server whose user may create databases (default $JOURNEY_POSTGRES_URL)")
	flag.IntVar(&cfg.Contacts, "contacts", 100000, "contacts waiting for the same minute")
	flag.IntVar(&cfg.Nodes, "nodes", 3, "journey servers on the database")
	flag.DurationVar(&cfg.Lead, "lead", 0, "least time from the start to the due minute, for the import (default: from -contacts)")
	flag.BoolVar(&cfg.Kill, "kill", true, "kill River's leader node with SIGKILL once a third of the due steps have run")
	flag.StringVar(&cfg.Dir, "dir", "", "where the plan, the CSV files and the logs go (default: a new temporary directory, kept)")
	flag.BoolVar(&cfg.KeepDatabase, "keep-database", false, "leave the proof's database on the server")
	flag.Parse()
	if cfg.Server == "" {
		fmt.Fprintln(os.Stderr, "nodeproof: no PostgreSQL server: give -postgres URL or set JOURNEY_POSTGRES_URL (bash .ci/postgres CMD runs CMD with a throwaway one)")
		os.Exit(2)
	}
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "journey-nodeproof-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "nodeproof:", err)
			os.Exit(2)
		}
		cfg.Dir = dir
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	began := time.Now()
	report, err := nodeproof.Run(ctx, cfg)
	fmt.Fprintf(os.Stderr, "logs: %s\n", cfg.Dir)
	if report != nil {
		report.Write(os.Stdout)
		fmt.Printf("\ntook %s\n", time.Since(began).Round(time.Second))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nodeproof: the proof could not run:", err)
		os.Exit(2)
	}
	if !report.Passed() {
		os.Exit(1)
	}
}
