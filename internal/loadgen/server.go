// Package loadgen drives a journey server from outside, as its users and
// providers do: it runs the real journey binary, kills and restarts it,
// sends it events over HTTP, and stands in for the SMTP server and the
// webhook receiver (internal/sinks). The crash test (crash_test.go) and
// the load benchmark (internal/cmd/journey-load, bench/server.sh) use it.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a journey server process, started and restarted on the same
// database and configuration.
type Server struct {
	// Binary is the journey executable.
	Binary string
	// Dir holds the database, the configuration, the ready file and the
	// server's log (server.log, appended to by every start).
	Dir string
	// Args follow "server --config Dir/journey.server.hcl --ready-file ...".
	Args []string
	// Env is added to this process's environment.
	Env []string

	cmd    *exec.Cmd
	exited chan struct{}
	err    error // the process's exit, once exited is closed
	// Addr is the API's address while the server runs.
	Addr string
}

// ReadyTimeout bounds a start: the database and River's tables are
// opened, the outbox put right. A server that is not ready by then hangs.
const ReadyTimeout = 2 * time.Minute

func (s *Server) readyFile() string { return filepath.Join(s.Dir, "ready") }

// LogFile is where the server's log goes.
func (s *Server) LogFile() string { return filepath.Join(s.Dir, "server.log") }

// Start starts the server and waits until it serves (its ready file).
func (s *Server) Start(ctx context.Context) error {
	if s.cmd != nil {
		return errors.New("loadgen: the server runs already")
	}
	os.Remove(s.readyFile())
	log, err := os.OpenFile(s.LogFile(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	args := append([]string{"server", "--config", filepath.Join(s.Dir, "journey.server.hcl"), "--ready-file", s.readyFile()}, s.Args...)
	cmd := exec.Command(s.Binary, args...)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("loadgen: starting %s: %w", s.Binary, err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	deadline := time.NewTimer(ReadyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if addr, err := os.ReadFile(s.readyFile()); err == nil && len(addr) > 0 {
			s.Addr = strings.TrimSpace(string(addr))
			return nil
		}
		select {
		case <-s.exited:
			s.cmd = nil
			return fmt.Errorf("loadgen: journey server exited while starting (%v); its log: %s", s.err, s.LogFile())
		case <-deadline.C:
			s.Kill()
			return fmt.Errorf("loadgen: journey server was not ready within %s; its log: %s", ReadyTimeout, s.LogFile())
		case <-ctx.Done():
			s.Kill()
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// URL is the API's base URL.
func (s *Server) URL() string { return "http://" + s.Addr }

// PID is the server's process id, 0 when it does not run.
func (s *Server) PID() int {
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Kill kills the server with SIGKILL, as a crash or a power cut would,
// and waits for it to be gone.
func (s *Server) Kill() error {
	if s.cmd == nil {
		return errors.New("loadgen: no server runs")
	}
	err := s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
	if errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("loadgen: the server had exited already (%v); its log: %s", s.err, s.LogFile())
	}
	return err
}

// StopTimeout bounds a graceful stop: the server's own bound is 30 s.
const StopTimeout = time.Minute

// Stop stops the server with SIGTERM and waits for it: an error unless it
// exits 0 within StopTimeout (then it is killed).
func (s *Server) Stop() error {
	if s.cmd == nil {
		return errors.New("loadgen: no server runs")
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(StopTimeout):
		s.Kill()
		return fmt.Errorf("loadgen: journey server did not stop within %s of SIGTERM; its log: %s", StopTimeout, s.LogFile())
	}
	s.cmd = nil
	if s.err != nil {
		return fmt.Errorf("loadgen: journey server stopped with %v; its log: %s", s.err, s.LogFile())
	}
	return nil
}

// Memory is what the kernel says of the server's memory, in KiB: resident
// now, and the peak since it started.
func (s *Server) Memory() (rss, peak int64, err error) {
	pid := s.PID()
	if pid == 0 {
		return 0, 0, errors.New("loadgen: no server runs")
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		switch {
		case err != nil:
		case name == "VmRSS":
			rss = kib
		case name == "VmHWM":
			peak = kib
		}
	}
	return rss, peak, nil
}

// CPU is the processor time the server has used since it started (user
// and system), from /proc.
func (s *Server) CPU() (time.Duration, error) {
	pid := s.PID()
	if pid == 0 {
		return 0, errors.New("loadgen: no server runs")
	}
	return processCPU(pid)
}

// processCPU reads a process's user and system time from /proc/PID/stat.
func processCPU(pid int) (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// pid (comm) state ppid ...: utime and stime are the 14th and 15th
	// fields, the 12th and 13th after comm, which may hold spaces.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("loadgen: /proc/%d/stat: too few fields", pid)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("loadgen: /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	// The kernel counts in USER_HZ, 100 a second on Linux.
	return time.Duration(ticks) * (time.Second / 100), nil
}
