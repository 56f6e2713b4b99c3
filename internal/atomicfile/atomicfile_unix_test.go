//go:build unix

package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pipeWait is how long a test waits for the reader of a named pipe. A
// reader that gets nothing in that time was never written to: the test
// fails (it does not skip).
const pipeWait = time.Minute

func TestWriteFileKeepsThePermissionsOfAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o755, 0o604} {
		p := filepath.Join(dir, "f"+mode.String())
		writeTestFile(t, p, "old", mode)
		if err := WriteFile(p, []byte("new"), 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != mode {
			t.Errorf("a %v file became %v", mode, info.Mode().Perm())
		}
	}
}

func TestWriteFileGivesANewFileItsPermissions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token")
	if err := WriteFile(p, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("a new 0600 file is %v", info.Mode().Perm())
	}
}

func TestWriteFileRefusesAReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not block writes")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "plan.json")
	writeTestFile(t, p, "old", 0o444)
	err := WriteFile(p, []byte("new"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "it is not writable: permission denied") {
		t.Fatalf("err = %v", err)
	}
	if got := readTestFile(t, p); got != "old" {
		t.Errorf("a read-only file was replaced: %q", got)
	}
	if got := namesIn(t, dir); !reflect.DeepEqual(got, []string{"plan.json"}) {
		t.Errorf("files in the directory: %q", got)
	}
}

// readPipe starts reading the named pipe p and returns what it read, once
// a writer has opened, written and closed it.
func readPipe(t *testing.T, p string) <-chan string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p) // waits for a writer
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			got <- "read: " + err.Error()
			return
		}
		got <- string(data)
	}()
	return got
}

func TestWriteFileWritesThroughANamedPipe(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "plan.fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	got := readPipe(t, p)
	if err := WriteFile(p, []byte("the plan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(p)
	if err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the named pipe was replaced: %v %v", info.Mode(), err)
	}
	select {
	case s := <-got:
		if s != "the plan\n" {
			t.Errorf("the pipe's reader got %q", s)
		}
	case <-time.After(pipeWait):
		t.Fatalf("nothing was written to the pipe in %v", pipeWait)
	}
	if got := namesIn(t, dir); !reflect.DeepEqual(got, []string{"plan.fifo"}) {
		t.Errorf("files in the directory: %q", got)
	}
}

func TestWriteFileWritesThroughASymlinkToANamedPipe(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "plan.fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	link := filepath.Join(dir, "plan.json")
	if err := os.Symlink("plan.fifo", link); err != nil {
		t.Fatal(err)
	}
	got := readPipe(t, p)
	if err := WriteFile(link, []byte("via the link"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "via the link" {
			t.Errorf("the pipe's reader got %q", s)
		}
	case <-time.After(pipeWait):
		t.Fatalf("nothing was written to the pipe in %v", pipeWait)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
}

func TestWriteFileWritesThroughDevNull(t *testing.T) {
	const devNull = "/dev/null"
	before, err := os.Lstat(devNull)
	if err != nil || before.Mode()&fs.ModeCharDevice == 0 {
		t.Skipf("no /dev/null character device here (%v)", err)
	}
	// Checked before writing: were the writer ever to replace devices again,
	// this test must not be the one that replaces the machine's /dev/null.
	target, info, err := resolve(devNull)
	if err != nil || target != devNull || info == nil || !writesThrough(info.Mode()) {
		t.Fatalf("/dev/null would not be written through: %q %v %v", target, info, err)
	}
	if err := WriteFile(devNull, []byte("discarded"), 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := os.Lstat(devNull)
	if err != nil || after.Mode()&fs.ModeCharDevice == 0 || !os.SameFile(before, after) {
		t.Fatalf("/dev/null is no longer the device: %v %v", after.Mode(), err)
	}
}
