//go:build !linux

package main

import (
	"errors"
	"time"
)

// runShell needs Linux's /proc to stop what a block leaves running.
func runShell(dir, script string, env []string, timeout time.Duration) (string, error) {
	return "", errors.New("the README's tour runs on Linux only: it stops what a block leaves running by its session, read from /proc")
}
