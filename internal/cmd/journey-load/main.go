// Command journey-load is the load benchmark's generator: it starts a
// journey server (the binary given) on a fresh database for each
// measurement and drives it over loopback, from this separate process.
// bench/server.sh runs it and judges the goals; bench/README.md says what
// each measurement is.
//
//	journey-load -journey ./journey -dir /tmp/load events -rate 5000 -for 60s
//	journey-load -journey ./journey -dir /tmp/load timers -waits 100000
//	journey-load -journey ./journey -dir /tmp/load deliveries -n 20000
//	journey-load -journey ./journey -dir /tmp/load deliveries -n 20000 -workers 200
//	journey-load -journey ./journey -dir /tmp/load deliveries -n 20000 -marketing
//	journey-load -journey ./journey -dir /tmp/load memory -contacts 1000000
//
// Results are lines "BENCH name value unit" on standard output; progress
// goes to standard error.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/journeyhq/journey/internal/loadgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "journey-load: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	global := flag.NewFlagSet("journey-load", flag.ContinueOnError)
	binary := global.String("journey", "journey", "the journey binary to start")
	dir := global.String("dir", "", "a directory for the databases (required; its subdirectories are replaced)")
	if err := global.Parse(args); err != nil {
		return err
	}
	if *dir == "" || global.NArg() == 0 {
		return fmt.Errorf("usage: journey-load -journey BIN -dir DIR events|timers|deliveries|memory [flags]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &loadgen.Bench{Binary: *binary, Dir: *dir, Out: os.Stdout, Log: os.Stderr}
	name, rest := global.Arg(0), global.Args()[1:]
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	switch name {
	case "events":
		rate := flags.Int("rate", 5000, "events a second (0: as fast as the connections go)")
		duration := flags.Duration("for", time.Minute, "how long to send")
		conns := flags.Int("conns", 64, "connections (requests in flight at most)")
		if err := flags.Parse(rest); err != nil {
			return err
		}
		return b.Events(ctx, *rate, *duration, *conns)
	case "timers":
		waits := flags.Int("waits", 100_000, "waits that fall due")
		over := flags.Duration("over", time.Minute, "the due times are spread evenly over this")
		if err := flags.Parse(rest); err != nil {
			return err
		}
		return b.Timers(ctx, *waits, *over)
	case "deliveries":
		n := flags.Int("n", 20_000, "emails to send")
		workers := flags.Int("workers", 0, "the server's deliveries.workers (0: its default)")
		marketing := flags.Bool("marketing", false, "marketing emails (sent one at a time through their exposed window) rather than transactional ones")
		if err := flags.Parse(rest); err != nil {
			return err
		}
		return b.Deliveries(ctx, *n, *workers, *marketing)
	case "memory":
		contacts := flags.Int("contacts", 100_000, "contacts to enroll")
		if err := flags.Parse(rest); err != nil {
			return err
		}
		return b.Memory(ctx, *contacts)
	}
	return fmt.Errorf("unknown measurement %q: events, timers, deliveries or memory", name)
}
