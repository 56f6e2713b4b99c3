package nodeproof

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// process is a journey process the proof started: a node or the mail sink.
type process struct {
	name string
	cmd  *exec.Cmd
	// logPath holds what it wrote on stderr (and stdout, for a node).
	logPath string
	exited  chan struct{}
	// waitErr is cmd.Wait's error, once exited is closed.
	waitErr error
}

// start runs the command; its output goes to log (stdout to stdout, when
// given). The process dies with the proof (dieWithParent), so that a
// proof that is itself killed leaves no node running.
func start(name, logPath string, stdout io.Writer, env []string, bin string, args ...string) (*process, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = log
	cmd.Stdout = log
	if stdout != nil {
		cmd.Stdout = stdout
	}
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		log.Close()
		close(p.exited)
	}()
	return p, nil
}

// running reports whether the process has not exited.
func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *process) kill() error {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-p.exited
	return nil
}

// stop sends SIGTERM and waits up to patience for the exit, then kills
// it. It returns the exit code (-1 when it had to be killed, or died of
// a signal).
func (p *process) stop(patience time.Duration) int {
	if p.running() {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-p.exited:
	case <-time.After(patience):
		p.kill()
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// tail is the last lines of the process's log, for an error message.
func (p *process) tail(lines int) string {
	data, err := os.ReadFile(p.logPath)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// waitForFile waits until the file holds a whole line and returns it,
// failing when the process exits first or ctx ends.
func waitForFile(ctx context.Context, p *process, file string) (string, error) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if data, err := os.ReadFile(file); err == nil && strings.HasSuffix(string(data), "\n") {
			return strings.TrimSpace(string(data)), nil
		}
		select {
		case <-p.exited:
			return "", fmt.Errorf("%s exited (%v) before it was ready; the end of %s:\n%s", p.name, p.waitErr, filepath.Base(p.logPath), p.tail(20))
		case <-ctx.Done():
			return "", fmt.Errorf("%s was not ready: %w; the end of %s:\n%s", p.name, ctx.Err(), filepath.Base(p.logPath), p.tail(20))
		case <-tick.C:
		}
	}
}

// runJourney runs a journey command to its end; its output goes to
// logPath, and an error quotes its end.
func runJourney(ctx context.Context, bin, logPath string, env []string, args ...string) error {
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Run(); err != nil {
		data, _ := os.ReadFile(logPath)
		return fmt.Errorf("journey %s: %w\n%s", strings.Join(args, " "), err, data)
	}
	return nil
}
