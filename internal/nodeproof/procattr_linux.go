package nodeproof

import "syscall"

// dieWithParent has the kernel kill a started process when the proof's
// own process dies, however it dies.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
