//go:build !linux

package nodeproof

import "syscall"

// dieWithParent asks nothing of the kernel where it cannot help: the proof
// stops its processes itself when it ends normally.
func dieWithParent() *syscall.SysProcAttr { return nil }
