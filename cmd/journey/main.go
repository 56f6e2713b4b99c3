// Command journey treats marketing-automation campaigns as code: validate,
// format, compile, plan and run them.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// batchGCPercent is the garbage collector's target for journey's batch
// commands: a run is short and its memory is freed at exit, so collecting
// four times less often trades a little peak memory for a faster validate
// (bench/validate.sh measures with the same setting). GOGC overrides it.
const batchGCPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(batchGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := NewCLI(os.Stdin, os.Stdout, os.Stderr).Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
