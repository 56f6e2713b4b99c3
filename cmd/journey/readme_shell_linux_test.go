package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runShell runs script with bash in dir, in a session of its own, and
// returns what it printed (stdout and stderr together, as a terminal shows
// them). Whatever the script leaves running in its session when it ends,
// or when it has run for timeout (an error), is stopped before runShell
// returns: a walk that fails halfway leaves no server behind.
func runShell(dir, script string, env []string, timeout time.Duration) (string, error) {
	var out bytes.Buffer
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	session := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case <-done:
	case <-time.After(timeout):
		err = fmt.Errorf("the commands did not end within %s", timeout)
		stopSession(session)
		<-done
	}
	stopSession(session)
	return out.String(), err
}

// stopSession stops every process of the session: SIGTERM, then SIGKILL
// for what still runs half a minute later.
func stopSession(session int) {
	signal := func(sig syscall.Signal) []int {
		pids := sessionProcesses(session)
		for _, pid := range pids {
			syscall.Kill(pid, sig)
		}
		return pids
	}
	if len(signal(syscall.SIGTERM)) == 0 {
		return
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if len(sessionProcesses(session)) == 0 {
			return
		}
	}
	signal(syscall.SIGKILL)
}

// sessionProcesses are the live processes (not zombies) of a session.
func sessionProcesses(session int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp session ...: comm may hold spaces
		// and parentheses, so the fields are read after its last ')'.
		rest := stat[bytes.LastIndexByte(stat, ')')+1:]
		fields := strings.Fields(string(rest))
		if len(fields) < 4 || fields[0] == "Z" {
			continue
		}
		if sid, err := strconv.Atoi(fields[3]); err == nil && sid == session {
			pids = append(pids, pid)
		}
	}
	return pids
}
