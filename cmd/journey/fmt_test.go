package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/validate"
)

const (
	fmtUglyHCL = `tag "lead" {}
email "welcome" {
subject="Welcome"
    body =    "Hi ${contact.first_name}"
}
campaign "onboarding" {
trigger "signup" {
on=tag_added(tag.lead)
next = send_email.welcome
}
send_email "welcome"{
  email=email.welcome
}
}`
	fmtPrettyHCL = `tag "lead" {}
email "welcome" {
  subject = "Welcome"
  body    = "Hi ${contact.first_name}"
}
campaign "onboarding" {
  trigger "signup" {
    on   = tag_added(tag.lead)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.welcome
  }
}
`
	fmtBadHCL = "email \"e\" {\n  subject = \"a\" body = \"b\"\n}\n"
)

type fmtCLIResult struct {
	code           int
	stdout, stderr string
}

func fmtExec(t *testing.T, args ...string) fmtCLIResult {
	t.Helper()
	return fmtExecCtx(t, context.Background(), args...)
}

func fmtExecCtx(t *testing.T, ctx context.Context, args ...string) fmtCLIResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := NewCLI(strings.NewReader(""), &stdout, &stderr)
	c.Getenv = func(string) string { return "" }
	code := c.Run(ctx, args)
	return fmtCLIResult{code, stdout.String(), stderr.String()}
}

// fmtWriteTree creates files (slash-separated paths) under dir.
func fmtWriteTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func fmtReadFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fmtListTree returns every file and directory below dir, slash-separated.
func fmtListTree(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func fmtLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestFmtRewritesWorkspaceThenCheckPasses(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{
		"main.journey.hcl":   fmtUglyHCL,
		"pretty.journey.hcl": fmtPrettyHCL,
		"data.journey.json":  `{"tag":{"lead":{}}   }`,
		"notes.hcl":          "a=1",
	})
	before := fmtListTree(t, dir)

	r := fmtExec(t, "fmt", dir)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if want := []string{filepath.Join(dir, "main.journey.hcl")}; !reflect.DeepEqual(fmtLines(r.stdout), want) {
		t.Errorf("stdout lists %q, want %q", fmtLines(r.stdout), want)
	}
	if got := fmtReadFile(t, filepath.Join(dir, "main.journey.hcl")); got != fmtPrettyHCL {
		t.Errorf("formatted file:\n%s\nwant:\n%s", got, fmtPrettyHCL)
	}
	if got := fmtReadFile(t, filepath.Join(dir, "data.journey.json")); got != `{"tag":{"lead":{}}   }` {
		t.Errorf("a JSON file was changed: %s", got)
	}
	if got := fmtReadFile(t, filepath.Join(dir, "notes.hcl")); got != "a=1" {
		t.Errorf("a file that is not a campaign file was changed: %s", got)
	}
	if after := fmtListTree(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("files left behind or lost: before %q, after %q", before, after)
	}

	r = fmtExec(t, "fmt", "--check", dir)
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Fatalf("--check after fmt: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A second fmt changes nothing.
	r = fmtExec(t, "fmt", dir)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("second fmt: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestFmtDefaultsToCurrentDirectoryAndRelativeNames(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL})
	t.Chdir(dir)
	r := fmtExec(t, "fmt")
	if r.code != 0 || r.stdout != "main.journey.hcl\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := fmtReadFile(t, "main.journey.hcl"); got != fmtPrettyHCL {
		t.Errorf("not formatted:\n%s", got)
	}
}

func TestFmtCheckWritesNothingAndExits1(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL, "pretty.journey.hcl": fmtPrettyHCL})
	p := filepath.Join(dir, "main.journey.hcl")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}

	r := fmtExec(t, "fmt", "--check", dir)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	if r.stdout != p+"\n" {
		t.Errorf("stdout %q, want the unformatted file only", r.stdout)
	}
	if !strings.Contains(r.stderr, "1 file is not formatted") {
		t.Errorf("stderr does not say a file is not formatted: %q", r.stderr)
	}
	if got := fmtReadFile(t, p); got != fmtUglyHCL {
		t.Errorf("--check changed the file:\n%s", got)
	}
	if info, err := os.Stat(p); err != nil || !info.ModTime().Equal(old) {
		t.Errorf("--check touched the file: %v %v", info.ModTime(), err)
	}
	// --write=true does not make --check write.
	if r := fmtExec(t, "fmt", "--check", "--write=true", dir); r.code != 1 || fmtReadFile(t, p) != fmtUglyHCL {
		t.Errorf("--check --write=true: exit %d, file changed: %v", r.code, fmtReadFile(t, p) != fmtUglyHCL)
	}
	// --list=false keeps the exit status, without the list.
	if r := fmtExec(t, "fmt", "--check", "--list=false", dir); r.code != 1 || r.stdout != "" {
		t.Errorf("--check --list=false: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestFmtWriteFalseListsWithoutWriting(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL})
	p := filepath.Join(dir, "main.journey.hcl")
	r := fmtExec(t, "fmt", "--write=false", dir)
	if r.code != 0 || r.stdout != p+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if fmtReadFile(t, p) != fmtUglyHCL {
		t.Error("--write=false wrote the file")
	}
}

func TestFmtListFalseIsQuiet(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL})
	r := fmtExec(t, "fmt", "--list=false", dir)
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if fmtReadFile(t, filepath.Join(dir, "main.journey.hcl")) != fmtPrettyHCL {
		t.Error("--list=false did not format")
	}
}

func TestFmtDiffIsAUnifiedDiff(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL, "pretty.journey.hcl": fmtPrettyHCL})
	t.Chdir(dir)

	r := fmtExec(t, "fmt", "--check", "--diff", "--list=false", ".")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	if fmtReadFile(t, "main.journey.hcl") != fmtUglyHCL {
		t.Fatal("--check --diff wrote the file")
	}
	d := r.stdout
	if !strings.HasPrefix(d, "--- a/main.journey.hcl\n+++ b/main.journey.hcl\n@@ ") {
		t.Fatalf("no unified diff headers:\n%s", d)
	}
	if strings.Contains(d, "pretty.journey.hcl") {
		t.Errorf("diff of a formatted file:\n%s", d)
	}
	for _, want := range []string{
		"\n-subject=\"Welcome\"\n", "\n+  subject = \"Welcome\"\n",
		"\n-on=tag_added(tag.lead)\n", "\n+    on   = tag_added(tag.lead)\n",
		"\n tag \"lead\" {}\n",                 // context, unchanged
		"\n-}\n\\ No newline at end of file\n", // the original has no final newline
	} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	// Unchanged lines are never shown as removed.
	if strings.Contains(d, "\n-tag \"lead\" {}\n") || strings.Contains(d, "\n-email \"welcome\" {\n") {
		t.Errorf("an unchanged line is in the diff as changed:\n%s", d)
	}
	// Applying the diff to the original gives the formatted file.
	got, err := fmtApplyUnified(fmtUglyHCL, d)
	if err != nil {
		t.Fatalf("diff does not apply: %v\n%s", err, d)
	}
	if got != fmtPrettyHCL {
		t.Errorf("applied diff gives:\n%s\nwant:\n%s", got, fmtPrettyHCL)
	}
	// And so does git apply, when git is there.
	if git, err := exec.LookPath("git"); err == nil {
		patch := filepath.Join(t.TempDir(), "fmt.patch")
		if err := os.WriteFile(patch, []byte(d), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(git, "apply", "--check", patch).CombinedOutput(); err != nil {
			t.Errorf("git apply --check: %v\n%s\n%s", err, out, d)
		}
	}

	// --diff without --check writes, and lists the name before the diff.
	r = fmtExec(t, "fmt", "--diff", ".")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "main.journey.hcl\n--- a/main.journey.hcl\n") {
		t.Fatalf("--diff: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if fmtReadFile(t, "main.journey.hcl") != fmtPrettyHCL {
		t.Error("--diff did not write the file")
	}
}

func TestFmtSyntaxErrorLeavesFileAndFormatsTheOthers(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{
		"a.journey.hcl":   fmtUglyHCL,
		"bad.journey.hcl": fmtBadHCL,
		"z.journey.hcl":   fmtUglyHCL,
	})
	r := fmtExec(t, "fmt", dir)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	bad := filepath.Join(dir, "bad.journey.hcl")
	if fmtReadFile(t, bad) != fmtBadHCL {
		t.Error("the file with a syntax error was changed")
	}
	if !strings.Contains(r.stderr, bad+":2:17: error [syntax] Missing newline after argument") {
		t.Errorf("stderr does not name the error with file:line:col:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "left as it is") {
		t.Errorf("stderr does not say the file was left alone:\n%s", r.stderr)
	}
	for _, name := range []string{"a.journey.hcl", "z.journey.hcl"} {
		if fmtReadFile(t, filepath.Join(dir, name)) != fmtPrettyHCL {
			t.Errorf("%s was not formatted", name)
		}
	}
	want := []string{filepath.Join(dir, "a.journey.hcl"), filepath.Join(dir, "z.journey.hcl")}
	if !reflect.DeepEqual(fmtLines(r.stdout), want) {
		t.Errorf("stdout %q, want %q", fmtLines(r.stdout), want)
	}
	// --check reports it the same way, also with exit 1.
	if r := fmtExec(t, "fmt", "--check", dir); r.code != 1 || !strings.Contains(r.stderr, ":2:17:") {
		t.Errorf("--check: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestFmtInvalidTextIsRefused(t *testing.T) {
	dir := t.TempDir()
	src := "tag \"a\" {}\ntag \"b\xff\" {}\n"
	fmtWriteTree(t, dir, map[string]string{"bin.journey.hcl": src})
	r := fmtExec(t, "fmt", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "not valid UTF-8 at line 2") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if fmtReadFile(t, filepath.Join(dir, "bin.journey.hcl")) != src {
		t.Error("file changed")
	}
}

func TestFmtPreservesPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permissions")
	}
	dir := t.TempDir()
	modes := map[string]fs.FileMode{"a.journey.hcl": 0o600, "b.journey.hcl": 0o640, "c.journey.hcl": 0o755}
	for name, mode := range modes {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(fmtUglyHCL), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	if r := fmtExec(t, "fmt", dir); r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	for name, mode := range modes {
		p := filepath.Join(dir, name)
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, info.Mode().Perm(), mode)
		}
		if fmtReadFile(t, p) != fmtPrettyHCL {
			t.Errorf("%s not formatted", name)
		}
	}
}

func TestFmtUnwritableLeavesOriginal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permissions")
	}
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not block writes (atomicity is covered by TestFmtWrite* and internal/atomicfile)")
	}
	t.Run("read-only directory", func(t *testing.T) {
		dir := t.TempDir()
		fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL})
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		r := fmtExec(t, "fmt", dir)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "cannot write "+filepath.Join(dir, "main.journey.hcl")) ||
			!strings.Contains(r.stderr, "permission denied") || !strings.Contains(r.stderr, "the file is unchanged") {
			t.Errorf("unclear error:\n%s", r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("an unwritten file was listed as changed: %q", r.stdout)
		}
		if fmtReadFile(t, filepath.Join(dir, "main.journey.hcl")) != fmtUglyHCL {
			t.Error("original changed")
		}
		if got := fmtListTree(t, dir); !reflect.DeepEqual(got, []string{"main.journey.hcl"}) {
			t.Errorf("files left behind: %q", got)
		}
	})
	t.Run("read-only file", func(t *testing.T) {
		dir := t.TempDir()
		fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL, "other.journey.hcl": fmtUglyHCL})
		p := filepath.Join(dir, "main.journey.hcl")
		if err := os.Chmod(p, 0o444); err != nil {
			t.Fatal(err)
		}
		r := fmtExec(t, "fmt", dir)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "cannot write "+p+": it is not writable: permission denied") {
			t.Errorf("unclear error:\n%s", r.stderr)
		}
		if fmtReadFile(t, p) != fmtUglyHCL {
			t.Error("read-only original changed")
		}
		if fmtReadFile(t, filepath.Join(dir, "other.journey.hcl")) != fmtPrettyHCL {
			t.Error("the writable file was not formatted")
		}
	})
}

func TestFmtUnreadableDirectoryIsReported(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permissions")
	}
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not block reads")
	}
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"a.journey.hcl": fmtUglyHCL, "locked/b.journey.hcl": fmtUglyHCL})
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	r := fmtExec(t, "fmt", "-r", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "cannot read "+locked+": permission denied") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if fmtReadFile(t, filepath.Join(dir, "a.journey.hcl")) != fmtPrettyHCL {
		t.Error("the readable file was not formatted")
	}
}

func TestFmtWriteReplacesAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "main.journey.hcl")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := fmtWrite(p, []byte("new content\n"), info); err != nil {
		t.Fatal(err)
	}
	if fmtReadFile(t, p) != "new content\n" {
		t.Error("not replaced")
	}
	if got := fmtListTree(t, dir); !reflect.DeepEqual(got, []string{"main.journey.hcl"}) {
		t.Errorf("files left behind: %q", got)
	}
}

func TestFmtWriteRefusesAFileChangedSinceRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "main.journey.hcl")
	if err := os.WriteFile(p, []byte("as read"), 0o644); err != nil {
		t.Fatal(err)
	}
	read, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	// Someone saves the file while it is being formatted.
	if err := os.WriteFile(p, []byte("saved by an editor meanwhile"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = fmtWrite(p, []byte("formatted"), read)
	if err == nil || !strings.Contains(err.Error(), "changed while") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if fmtReadFile(t, p) != "saved by an editor meanwhile" {
		t.Error("the newer content was overwritten")
	}
	if got := fmtListTree(t, dir); !reflect.DeepEqual(got, []string{"main.journey.hcl"}) {
		t.Errorf("temporary file left behind after a failed write: %q", got)
	}
}

func TestFmtWriteThroughSymlinkKeepsTheLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"real/main.journey.hcl": fmtUglyHCL})
	link := filepath.Join(dir, "ws", "main.journey.hcl")
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "real", "main.journey.hcl"), link); err != nil {
		t.Fatal(err)
	}
	if r := fmtExec(t, "fmt", filepath.Join(dir, "ws")); r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced by a file: %v %v", info.Mode(), err)
	}
	if fmtReadFile(t, filepath.Join(dir, "real", "main.journey.hcl")) != fmtPrettyHCL {
		t.Error("the symlink's target was not formatted")
	}
}

func TestFmtRecursive(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{
		"top.journey.hcl":            fmtUglyHCL,
		"a/one.journey.hcl":          fmtUglyHCL,
		"a/b/c/deep.journey.hcl":     fmtUglyHCL,
		"a/.hidden/h.journey.hcl":    fmtUglyHCL,
		".git/x.journey.hcl":         fmtUglyHCL,
		"outside/linked.journey.hcl": fmtUglyHCL,
	})
	symlinked := false
	if runtime.GOOS != "windows" {
		if err := os.Symlink(filepath.Join(dir, "outside"), filepath.Join(dir, "a", "link")); err != nil {
			t.Fatal(err)
		}
		symlinked = true
	}

	// Without --recursive: the top directory only.
	r := fmtExec(t, "fmt", dir)
	if r.code != 0 || r.stdout != filepath.Join(dir, "top.journey.hcl")+"\n" {
		t.Fatalf("without -r: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if fmtReadFile(t, filepath.Join(dir, "a", "one.journey.hcl")) != fmtUglyHCL {
		t.Fatal("without -r a nested file was formatted")
	}

	r = fmtExec(t, "fmt", "-r", dir)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	want := []string{
		filepath.Join(dir, "a", "b", "c", "deep.journey.hcl"),
		filepath.Join(dir, "a", "one.journey.hcl"),
		filepath.Join(dir, "outside", "linked.journey.hcl"),
	}
	if got := fmtLines(r.stdout); !reflect.DeepEqual(got, want) {
		t.Errorf("formatted %q, want %q", got, want)
	}
	for _, name := range []string{"a/one.journey.hcl", "a/b/c/deep.journey.hcl"} {
		if fmtReadFile(t, filepath.Join(dir, name)) != fmtPrettyHCL {
			t.Errorf("%s not formatted", name)
		}
	}
	for _, name := range []string{"a/.hidden/h.journey.hcl", ".git/x.journey.hcl"} {
		if fmtReadFile(t, filepath.Join(dir, name)) != fmtUglyHCL {
			t.Errorf("%s in a hidden directory was formatted", name)
		}
	}
	if symlinked && strings.Contains(r.stdout, filepath.Join("a", "link")) {
		t.Errorf("a symlinked directory was followed:\n%s", r.stdout)
	}

	// The long flag does the same; all is formatted now.
	if r := fmtExec(t, "fmt", "--check", "--recursive", dir); r.code != 0 {
		t.Errorf("--check --recursive after fmt -r: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestFmtRecursiveFromAHiddenRoot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".config")
	fmtWriteTree(t, dir, map[string]string{"sub/a.journey.hcl": fmtUglyHCL})
	if r := fmtExec(t, "fmt", "-r", dir); r.code != 0 || fmtReadFile(t, filepath.Join(dir, "sub", "a.journey.hcl")) != fmtPrettyHCL {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestFmtSingleFile(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"one.journey.hcl": fmtUglyHCL, "two.journey.hcl": fmtUglyHCL})
	p := filepath.Join(dir, "one.journey.hcl")
	r := fmtExec(t, "fmt", p)
	if r.code != 0 || r.stdout != p+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if fmtReadFile(t, p) != fmtPrettyHCL {
		t.Error("the file was not formatted")
	}
	if fmtReadFile(t, filepath.Join(dir, "two.journey.hcl")) != fmtUglyHCL {
		t.Error("another file of the directory was formatted")
	}
	if r := fmtExec(t, "fmt", "--check", p); r.code != 0 {
		t.Errorf("--check on the formatted file: exit %d\n%s", r.code, r.stderr)
	}
	if r := fmtExec(t, "fmt", "--check", filepath.Join(dir, "two.journey.hcl")); r.code != 1 {
		t.Errorf("--check on an unformatted file: exit %d", r.code)
	}
}

func TestFmtUsageErrors(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{
		"main.journey.hcl":  fmtUglyHCL,
		"data.journey.json": "{}",
		"notes.txt":         "x",
		"empty/README":      "x",
	})
	cases := []struct {
		name     string
		args     []string
		contains string
	}{
		{"missing path", []string{"fmt", filepath.Join(dir, "nope")}, "does not exist"},
		{"missing file", []string{"fmt", filepath.Join(dir, "nope.journey.hcl")}, "does not exist"},
		{"unknown flag", []string{"fmt", "--bogus", dir}, "unknown flag: --bogus"},
		{"two paths", []string{"fmt", dir, dir}, "accepts at most 1 arg"},
		{"a JSON file", []string{"fmt", filepath.Join(dir, "data.journey.json")}, "JSON"},
		{"not a campaign file", []string{"fmt", filepath.Join(dir, "notes.txt")}, "not a campaign file"},
		{"no campaign files", []string{"fmt", filepath.Join(dir, "empty")}, "no *.journey.hcl files"},
		{"no campaign files below", []string{"fmt", "-r", filepath.Join(dir, "empty")}, "no *.journey.hcl files"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fmtExec(t, tc.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.contains) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.contains)
			}
		})
	}
	if fmtReadFile(t, filepath.Join(dir, "main.journey.hcl")) != fmtUglyHCL {
		t.Error("a usage error wrote a file")
	}
}

func TestFmtOnlyJSONFiles(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"data.journey.json": `{ "tag" : {"lead":{}} }`})
	r := fmtExec(t, "fmt", "--check", dir)
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "left as they are") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if fmtReadFile(t, filepath.Join(dir, "data.journey.json")) != `{ "tag" : {"lead":{}} }` {
		t.Error("JSON changed")
	}
}

func TestFmtInterruptedWritesNothing(t *testing.T) {
	dir := t.TempDir()
	fmtWriteTree(t, dir, map[string]string{"main.journey.hcl": fmtUglyHCL})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := fmtExecCtx(t, ctx, "fmt", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "interrupted") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if fmtReadFile(t, filepath.Join(dir, "main.journey.hcl")) != fmtUglyHCL {
		t.Error("written after the interrupt")
	}
}

func TestFmtHelpHasAnExampleForEveryFlag(t *testing.T) {
	r := fmtExec(t, "fmt", "--help")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	examples := r.stdout[strings.Index(r.stdout, "Examples:"):]
	for _, flag := range []string{"--check", "--diff", "--write=false", "--list=false", "--recursive", "-r "} {
		if !strings.Contains(examples, flag) {
			t.Errorf("no example with %s", flag)
		}
	}
	if !strings.Contains(r.stdout, "*.journey.json files are left as they are") {
		t.Errorf("help does not say JSON files are left alone:\n%s", r.stdout)
	}
}

// TestFmtKeepsMeaningOfConformanceCases formats a copy of every conformance
// case and of examples/: validate must find the same things, on the same
// lines, before and after, and a second fmt must change nothing.
func TestFmtKeepsMeaningOfConformanceCases(t *testing.T) {
	root := os.Getenv("JOURNEY_CONFORMANCE_DIR")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	cases := filepath.Join(root, "validate")
	entries, err := os.ReadDir(cases)
	if err != nil {
		t.Fatalf("conformance cases not found at %s (set JOURNEY_CONFORMANCE_DIR): %v", cases, err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(cases, e.Name()))
		}
	}
	if _, err := os.Stat(filepath.Join("..", "..", "examples")); err == nil {
		dirs = append(dirs, filepath.Join("..", "..", "examples"))
	}
	changed := 0
	for _, src := range dirs {
		work := filepath.Join(t.TempDir(), "ws")
		if err := os.CopyFS(work, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		before := fmtFindingsBelow(t, work)
		r := fmtExec(t, "fmt", "-r", work)
		if r.code == 3 {
			t.Fatalf("%s: internal error:\n%s", src, r.stderr)
		}
		changed += len(fmtLines(r.stdout))
		after := fmtFindingsBelow(t, work)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: fmt changed what validate finds:\nbefore %q\nafter  %q", src, before, after)
		}
		if r2 := fmtExec(t, "fmt", "-r", work); r2.stdout != "" || r2.code != r.code {
			t.Errorf("%s: second fmt changed %q (exit %d, first %d)", src, r2.stdout, r2.code, r.code)
		}
	}
	t.Logf("%d workspaces, %d files reformatted", len(dirs), changed)
}

// fmtFindingsBelow validates every workspace below dir; findings as
// "file:line rule message".
func fmtFindingsBelow(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	fsys := os.DirFS(dir)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if names, _ := lang.CampaignFiles(fsys, p); len(names) == 0 {
			return nil
		}
		res, err := validate.Dir(fsys, p, validate.Options{Now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		for _, f := range res.Findings {
			out = append(out, fmt.Sprintf("%s:%d %s %s", f.Range.Filename, f.Range.Start.Line, f.Rule, f.Message))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestFmtUnifiedDiff(t *testing.T) {
	numbered := func(n int, change map[int]string) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			if s, ok := change[i]; ok {
				b.WriteString(s)
				continue
			}
			fmt.Fprintf(&b, "line %d\n", i)
		}
		return b.String()
	}
	cases := []struct {
		name   string
		a, b   string
		hunks  []string // the @@ lines, in order
		exact  string   // the whole diff after the headers, when given
		nolast bool
	}{
		{
			name:  "one change in the middle",
			a:     numbered(10, nil),
			b:     numbered(10, map[int]string{5: "line five\n"}),
			hunks: []string{"@@ -2,7 +2,7 @@"},
			exact: "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
		},
		{
			name:  "changes far apart make two hunks",
			a:     numbered(30, nil),
			b:     numbered(30, map[int]string{3: "three\n", 25: "twenty-five\n"}),
			hunks: []string{"@@ -1,6 +1,6 @@", "@@ -22,7 +22,7 @@"},
		},
		{
			name:  "changes six lines apart share a hunk",
			a:     numbered(20, nil),
			b:     numbered(20, map[int]string{5: "five\n", 12: "twelve\n"}),
			hunks: []string{"@@ -2,14 +2,14 @@"},
		},
		{
			name:  "changes seven lines apart do not",
			a:     numbered(20, nil),
			b:     numbered(20, map[int]string{5: "five\n", 13: "thirteen\n"}),
			hunks: []string{"@@ -2,7 +2,7 @@", "@@ -10,7 +10,7 @@"},
		},
		{
			name:  "insertion at the start",
			a:     "b\nc\n",
			b:     "a\nb\nc\n",
			exact: "@@ -1,2 +1,3 @@\n+a\n b\n c\n",
		},
		{
			name:  "deletion of everything",
			a:     "a\nb\n",
			b:     "",
			exact: "@@ -1,2 +0,0 @@\n-a\n-b\n",
		},
		{
			name:  "into an empty file",
			a:     "",
			b:     "a\n",
			exact: "@@ -0,0 +1 @@\n+a\n",
		},
		{
			name:  "missing newline at the end",
			a:     "a\nb",
			b:     "a\nb\n",
			exact: "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name:  "CRLF lines",
			a:     "a\r\nb  \r\nc\r\n",
			b:     "a\r\nb\r\nc\r\n",
			exact: "@@ -1,3 +1,3 @@\n a\r\n-b  \r\n+b\r\n c\r\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := fmtUnifiedDiff("x.journey.hcl", []byte(tc.a), []byte(tc.b))
			header := "--- a/x.journey.hcl\n+++ b/x.journey.hcl\n"
			if !strings.HasPrefix(d, header) {
				t.Fatalf("headers:\n%s", d)
			}
			if tc.exact != "" && d != header+tc.exact {
				t.Errorf("diff:\n%s\nwant:\n%s%s", d, header, tc.exact)
			}
			if tc.hunks != nil {
				var got []string
				for _, l := range strings.Split(d, "\n") {
					if strings.HasPrefix(l, "@@") {
						got = append(got, l)
					}
				}
				if !reflect.DeepEqual(got, tc.hunks) {
					t.Errorf("hunks %q, want %q\n%s", got, tc.hunks, d)
				}
			}
			applied, err := fmtApplyUnified(tc.a, d)
			if err != nil || applied != tc.b {
				t.Errorf("applying the diff: %v\ngot:\n%q\nwant:\n%q", err, applied, tc.b)
			}
		})
	}
	abs := filepath.Join(t.TempDir(), "x.journey.hcl")
	if d := fmtUnifiedDiff(abs, []byte("a\n"), []byte("b\n")); !strings.HasPrefix(d, "--- "+abs+"\n+++ "+abs+"\n@@ -1 +1 @@\n") {
		t.Errorf("diff of an absolute path:\n%s", d)
	}
	if d := fmtUnifiedDiff("x", []byte("same\n"), []byte("same\n")); d != "" {
		t.Errorf("diff of equal files: %q", d)
	}
}

// TestFmtUnifiedDiffLargeFile checks the line mode on more distinct lines
// than fit in one or two UTF-8 bytes per line, where go-diff encodes line
// numbers as runes.
func TestFmtUnifiedDiffLargeFile(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 70000; i++ {
		fmt.Fprintf(&a, "attr_%d = %d\n", i, i)
		if i%9973 == 0 {
			fmt.Fprintf(&b, "attr_%d   = %d\n", i, i)
		} else {
			fmt.Fprintf(&b, "attr_%d = %d\n", i, i)
		}
	}
	d := fmtUnifiedDiff("big", []byte(a.String()), []byte(b.String()))
	if n := strings.Count(d, "\n@@ "); n != 8 {
		t.Errorf("%d hunks, want 8", n-0)
	}
	applied, err := fmtApplyUnified(a.String(), d)
	if err != nil || applied != b.String() {
		t.Fatalf("applying the diff of a large file: %v", err)
	}
}

// fmtApplyUnified applies a unified diff of one file to a, checking every
// context and removed line: a small patch(1).
func fmtApplyUnified(a, diff string) (string, error) {
	src := strings.SplitAfter(a, "\n")
	if len(src) > 0 && src[len(src)-1] == "" {
		src = src[:len(src)-1]
	}
	dl := strings.SplitAfter(diff, "\n")
	if len(dl) < 2 || !strings.HasPrefix(dl[0], "--- ") || !strings.HasPrefix(dl[1], "+++ ") {
		return "", fmt.Errorf("no ---/+++ headers")
	}
	var out []string
	pos := 0 // next line of src to copy
	for i := 2; i < len(dl) && dl[i] != ""; {
		h := dl[i]
		var oldStart, oldLen, newStart, newLen int
		if err := fmtParseHunkHeader(h, &oldStart, &oldLen, &newStart, &newLen); err != nil {
			return "", err
		}
		i++
		from := oldStart - 1
		if oldLen == 0 {
			from = oldStart
		}
		if from < pos {
			return "", fmt.Errorf("hunk %q overlaps the previous one", h)
		}
		out = append(out, src[pos:from]...)
		pos = from
		gotOld, gotNew := 0, 0
		for i < len(dl) && dl[i] != "" && !strings.HasPrefix(dl[i], "@@") {
			l := dl[i]
			i++
			text := l[1:]
			if i < len(dl) && strings.HasPrefix(dl[i], `\ No newline at end of file`) {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(src) || src[pos] != text {
					return "", fmt.Errorf("line %d: diff has %q, file has %q", pos+1, text, fmtAt(src, pos))
				}
				if l[0] == ' ' {
					out = append(out, text)
					gotNew++
				}
				pos++
				gotOld++
			case '+':
				out = append(out, text)
				gotNew++
			default:
				return "", fmt.Errorf("bad diff line %q", l)
			}
		}
		if gotOld != oldLen || gotNew != newLen {
			return "", fmt.Errorf("hunk %q has %d old and %d new lines", strings.TrimSpace(h), gotOld, gotNew)
		}
		if len(out) != newStart-1+newLen && !(newLen == 0 && len(out) == newStart) {
			return "", fmt.Errorf("hunk %q: new side at line %d", strings.TrimSpace(h), len(out)-newLen+1)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, ""), nil
}

func fmtAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

func fmtParseHunkHeader(h string, oldStart, oldLen, newStart, newLen *int) error {
	fields := strings.Fields(h)
	if len(fields) < 4 || fields[0] != "@@" || fields[3] != "@@" || fields[1][0] != '-' || fields[2][0] != '+' {
		return fmt.Errorf("bad hunk header %q", h)
	}
	parse := func(s string, start, n *int) error {
		a, b, found := strings.Cut(s, ",")
		var err error
		if *start, err = strconv.Atoi(a); err != nil {
			return err
		}
		*n = 1
		if found {
			*n, err = strconv.Atoi(b)
		}
		return err
	}
	if err := parse(fields[1][1:], oldStart, oldLen); err != nil {
		return fmt.Errorf("bad hunk header %q: %v", h, err)
	}
	if err := parse(fields[2][1:], newStart, newLen); err != nil {
		return fmt.Errorf("bad hunk header %q: %v", h, err)
	}
	return nil
}

func TestFmtStdin(t *testing.T) {
	t.Run("formats to stdout", func(t *testing.T) {
		code, stdout, stderr := journeyRunWithStdin(t, fmtUglyHCL, "fmt", "-")
		if code != 0 || stdout != fmtPrettyHCL || stderr != "" {
			t.Errorf("journey fmt -: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
		}
	})
	t.Run("formatted input comes back as it is", func(t *testing.T) {
		code, stdout, _ := journeyRunWithStdin(t, fmtPrettyHCL, "fmt", "-")
		if code != 0 || stdout != fmtPrettyHCL {
			t.Errorf("journey fmt - on formatted input: exit %d, stdout:\n%s", code, stdout)
		}
	})
	t.Run("check", func(t *testing.T) {
		code, stdout, stderr := journeyRunWithStdin(t, fmtUglyHCL, "fmt", "--check", "-")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "<stdin> is not formatted") {
			t.Errorf("journey fmt --check - on unformatted input: exit %d, stdout %q, stderr %q; want 1, nothing, a message", code, stdout, stderr)
		}
		if code, stdout, stderr := journeyRunWithStdin(t, fmtPrettyHCL, "fmt", "--check", "-"); code != 0 || stdout != "" || stderr != "" {
			t.Errorf("journey fmt --check - on formatted input: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
	t.Run("diff", func(t *testing.T) {
		code, stdout, _ := journeyRunWithStdin(t, fmtUglyHCL, "fmt", "--check", "--diff", "-")
		if code != 1 || !strings.HasPrefix(stdout, "--- a/<stdin>\n+++ b/<stdin>\n@@ ") {
			t.Errorf("journey fmt --check --diff -: exit %d, stdout:\n%s", code, stdout)
		}
		if got, err := fmtApplyUnified(fmtUglyHCL, stdout); err != nil || got != fmtPrettyHCL {
			t.Errorf("the diff does not turn the input into the formatted text (%v)", err)
		}
	})
	t.Run("syntax error", func(t *testing.T) {
		code, stdout, stderr := journeyRunWithStdin(t, fmtBadHCL, "fmt", "-")
		if code != 1 || stdout != "" {
			t.Errorf("journey fmt - on a syntax error: exit %d, stdout %q; want 1 and nothing", code, stdout)
		}
		if !strings.Contains(stderr, "<stdin>:2:17: error [syntax]") {
			t.Errorf("the error does not say where in <stdin>:\n%s", stderr)
		}
	})
}
