package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func writeTestFile(t *testing.T, name, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, perm); err != nil {
		t.Fatal(err)
	}
}

func readTestFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// namesIn lists dir, so that a test sees any temporary file left behind.
func namesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileCreatesANewFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "plan.json")
	if err := WriteFile(p, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readTestFile(t, p); got != "{}\n" {
		t.Errorf("content %q", got)
	}
	if got := namesIn(t, dir); !reflect.DeepEqual(got, []string{"plan.json"}) {
		t.Errorf("files in the directory: %q", got)
	}
}

func TestWriteFileReplacesARegularFileInsteadOfRewritingIt(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "plan.json")
	writeTestFile(t, p, "old plan\n", 0o644)
	// A reader that opened the file before the write goes on reading the
	// old content whole: the new content is a new file renamed over it,
	// never the old one truncated and rewritten.
	reader, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	if err := WriteFile(p, []byte("new plan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readTestFile(t, p); got != "new plan\n" {
		t.Errorf("content %q, want the new plan", got)
	}
	old := make([]byte, 64)
	n, _ := reader.Read(old)
	if got := string(old[:n]); got != "old plan\n" {
		t.Errorf("a reader of the old file read %q: the file was rewritten in place", got)
	}
	if got := namesIn(t, dir); !reflect.DeepEqual(got, []string{"plan.json"}) {
		t.Errorf("files in the directory: %q", got)
	}
}

func TestWriteFileIfUnchanged(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "main.journey.hcl")
	writeTestFile(t, p, "as read", 0o644)
	read, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("unchanged", func(t *testing.T) {
		if err := WriteFile(p, []byte("formatted"), 0o644, IfUnchanged(read)); err != nil {
			t.Fatal(err)
		}
		if got := readTestFile(t, p); got != "formatted" {
			t.Errorf("content %q", got)
		}
	})
	t.Run("saved meanwhile", func(t *testing.T) {
		// read is now stale: the file was replaced by the write above, and
		// an editor saves it again.
		writeTestFile(t, p, "saved by an editor meanwhile", 0o644)
		err := WriteFile(p, []byte("formatted from the old content"), 0o644, IfUnchanged(read))
		if !errors.Is(err, ErrChanged) {
			t.Fatalf("err = %v, want ErrChanged", err)
		}
		if got := readTestFile(t, p); got != "saved by an editor meanwhile" {
			t.Errorf("the newer content was overwritten: %q", got)
		}
		if got := namesIn(t, dir); !reflect.DeepEqual(got, []string{"main.journey.hcl"}) {
			t.Errorf("temporary file left behind after a refused write: %q", got)
		}
	})
	t.Run("removed meanwhile", func(t *testing.T) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(p, []byte("formatted"), 0o644, IfUnchanged(read)); !errors.Is(err, ErrChanged) {
			t.Fatalf("err = %v, want ErrChanged", err)
		}
		if got := namesIn(t, dir); len(got) != 0 {
			t.Errorf("files in the directory: %q", got)
		}
	})
}

func TestWriteFileFailuresLeaveNothingBehind(t *testing.T) {
	t.Run("missing directory", func(t *testing.T) {
		dir := t.TempDir()
		err := WriteFile(filepath.Join(dir, "missing", "plan.json"), []byte("{}"), 0o644)
		if err == nil || !strings.Contains(err.Error(), "cannot create a temporary file in") {
			t.Fatalf("err = %v", err)
		}
		if got := namesIn(t, dir); len(got) != 0 {
			t.Errorf("files in the directory: %q", got)
		}
	})
	t.Run("a directory in the way", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "plan.json")
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		err := WriteFile(p, []byte("{}"), 0o644)
		if err == nil || err.Error() != "it is a directory" {
			t.Fatalf("err = %v", err)
		}
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			t.Errorf("the directory is gone: %v", err)
		}
		if got := namesIn(t, dir); !reflect.DeepEqual(got, []string{"plan.json"}) {
			t.Errorf("files in the directory: %q", got)
		}
	})
}

func TestWriteFileThroughASymlinkKeepsTheLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "real", "plan.json")
	writeTestFile(t, target, "old", 0o640)
	cases := map[string]string{
		"absolute": target,
		"relative": filepath.Join("..", "real", "plan.json"),
	}
	for name, dest := range cases {
		t.Run(name, func(t *testing.T) {
			link := filepath.Join(dir, "out", name+".json")
			if err := os.Symlink(dest, link); err != nil {
				t.Fatal(err)
			}
			if err := WriteFile(link, []byte("written via "+name), 0o644); err != nil {
				t.Fatal(err)
			}
			if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("the symlink was replaced by a file: %v", err)
			}
			if got := readTestFile(t, target); got != "written via "+name {
				t.Errorf("target holds %q", got)
			}
			if got := namesIn(t, filepath.Join(dir, "real")); !reflect.DeepEqual(got, []string{"plan.json"}) {
				t.Errorf("files beside the target: %q", got)
			}
		})
	}
	t.Run("chain", func(t *testing.T) {
		first, second := filepath.Join(dir, "out", "first"), filepath.Join(dir, "out", "second")
		if err := os.Symlink("second", first); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, second); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(first, []byte("via two links"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := readTestFile(t, target); got != "via two links" {
			t.Errorf("target holds %q", got)
		}
	})
	t.Run("dangling", func(t *testing.T) {
		link := filepath.Join(dir, "out", "dangling")
		if err := os.Symlink("new.json", link); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(link, []byte("created"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := readTestFile(t, filepath.Join(dir, "out", "new.json")); got != "created" {
			t.Errorf("the link's target holds %q", got)
		}
		if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the symlink was replaced by a file: %v", err)
		}
	})
	t.Run("loop", func(t *testing.T) {
		loop := filepath.Join(dir, "loop")
		if err := os.MkdirAll(loop, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("b", filepath.Join(loop, "a")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("a", filepath.Join(loop, "b")); err != nil {
			t.Fatal(err)
		}
		err := WriteFile(filepath.Join(loop, "a"), []byte("x"), 0o644)
		if err == nil || !strings.Contains(err.Error(), "too many levels of symbolic links") {
			t.Fatalf("err = %v", err)
		}
		if got := namesIn(t, loop); !reflect.DeepEqual(got, []string{"a", "b"}) {
			t.Errorf("files in the directory: %q", got)
		}
	})
}
