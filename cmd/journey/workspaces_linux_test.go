package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// deepDir makes a chain of directories below parent whose full path is
// longer than Linux's PATH_MAX, so that no path-based call can read its
// bottom, root or not. It returns the first directory of the chain.
func deepDir(t *testing.T, parent string) string {
	t.Helper()
	fd, err := syscall.Open(parent, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("d", 250)
	for range 20 {
		if err := syscall.Mkdirat(fd, name, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := syscall.Openat(fd, name, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
		syscall.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	syscall.Close(fd)
	return filepath.Join(parent, name)
}

// A tree --recursive cannot read to the bottom is an error that says so,
// for journey test and journey validate alike, not a clean run of the part
// that could be read.
func TestRecursiveRefusesATreeItCannotRead(t *testing.T) {
	root := t.TempDir()
	onboardingCopy(t, filepath.Join(root, "us"), map[string]string{"good.journeytest.hcl": goodScenario})
	deepDir(t, root)
	if _, err := os.Stat(filepath.Join(root, "us")); err != nil {
		t.Fatal(err)
	}
	for _, command := range []string{"test", "validate"} {
		code, out, errOut := runCLI(t, command, "-r", root)
		if code != exitUsage || !strings.Contains(errOut, "cannot read "+root+"/ddd") || !strings.Contains(errOut, "file name too long") {
			t.Errorf("journey %s -r exited %d, stderr %q, stdout %q; want exit 2 naming the directory it cannot read", command, code, errOut, out)
		}
	}
}
