//go:build unix

package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// pipeWait is how long a test waits for what a command writes to a named
// pipe; a reader that gets nothing in that time fails the test.
const pipeWait = time.Minute

// namedPipe makes a named pipe in a new directory and starts reading it:
// the returned channel gets what a writer wrote, once it closed the pipe.
func namedPipe(t *testing.T, name string) (string, <-chan string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p) // waits for a writer
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		got <- string(data)
	}()
	return p, got
}

// receivedFrom waits for what the pipe p's reader got and checks that p
// is still a named pipe, not a file that replaced it.
func receivedFrom(t *testing.T, p string, got <-chan string) string {
	t.Helper()
	if info, err := os.Lstat(p); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("%s is no longer a named pipe (%v, %v): it was replaced instead of written", p, info.Mode(), err)
	}
	select {
	case s := <-got:
		return s
	case <-time.After(pipeWait):
		t.Fatalf("nothing was written to the named pipe %s in %v", p, pipeWait)
		return ""
	}
}

func TestCompileWritesThroughANamedPipe(t *testing.T) {
	_, want, _ := journeyRun(t, "compile", onboardingExample, "-o", "-")
	p, got := namedPipe(t, "plan.json")
	code, stdout, stderr := journeyRun(t, "compile", onboardingExample, "-o", p)
	if code != 0 {
		t.Fatalf("journey compile -o PIPE exited %d:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("journey compile -o PIPE wrote to stdout:\n%s", stdout)
	}
	if s := receivedFrom(t, p, got); s != want {
		t.Errorf("the pipe's reader got %d bytes, not the %d of the plan", len(s), len(want))
	}
}

func TestPlanOutWritesThroughANamedPipe(t *testing.T) {
	_, old := deployed(t)
	dir := changed(t)
	p, got := namedPipe(t, "change.plan")
	code, _, stderr := journeyRun(t, "plan", dir, "--against", old, "--out", p)
	if code != 0 {
		t.Fatalf("journey plan --out PIPE exited %d:\n%s", code, stderr)
	}
	s := receivedFrom(t, p, got)
	if _, file, err := plan.DecodeAny([]byte(s)); err != nil || file == nil {
		t.Errorf("the pipe's reader did not get a plan file (%v):\n%.200s", err, s)
	}
}
