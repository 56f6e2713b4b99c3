package lang_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/internal/testenv"
	"github.com/journeyhq/journey/lang"
)

// Bad input gets a clear diagnostic that names the file (and the line,
// where there is one), never a panic or a hang.

// pngHeader is the start of a PNG file: a signature with a NUL-free prefix
// and NULs soon after.
var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa")

// loadResult is what one guarded lang.Load returned.
type loadResult struct {
	ws    *lang.Workspace
	diags hcl.Diagnostics
	err   error
	panic string
}

// robustLoad runs lang.Load with a time limit, turning a panic into a
// result (with its stack) and a hang into ok == false.
func robustLoad(t *testing.T, fsys fs.FS, dir string, limit time.Duration) (res loadResult, ok bool) {
	t.Helper()
	done := make(chan loadResult, 1)
	go func() {
		var r loadResult
		defer func() {
			if p := recover(); p != nil {
				r.panic = fmt.Sprintf("%v\n%s", p, debug.Stack())
			}
			done <- r
		}()
		r.ws, r.diags, r.err = lang.Load(fsys, dir)
	}()
	select {
	case r := <-done:
		if r.panic != "" {
			t.Errorf("lang.Load panicked: %s", r.panic)
		}
		return r, true
	case <-time.After(limit):
		return loadResult{}, false
	}
}

// mustLoad is robustLoad that fails the test on a hang or an error.
func mustLoad(t *testing.T, fsys fs.FS, limit time.Duration) loadResult {
	t.Helper()
	r, ok := robustLoad(t, fsys, ".", limit)
	if !ok {
		t.Fatalf("lang.Load did not return within %v", limit)
	}
	if r.err != nil {
		t.Fatalf("lang.Load: %v", r.err)
	}
	return r
}

// wantSyntaxDiag asserts exactly one error diagnostic of rule syntax on the
// file, whose message names the file and contains every word, at line
// (0: any line).
func wantSyntaxDiag(t *testing.T, diags hcl.Diagnostics, file string, line int, words ...string) *hcl.Diagnostic {
	t.Helper()
	if len(diags) == 0 {
		t.Fatalf("no diagnostic for %s, want a syntax error", file)
	}
	d := diags[0]
	text := d.Summary + " " + d.Detail
	switch {
	case d.Severity != hcl.DiagError:
		t.Errorf("severity %v, want error: %s", d.Severity, text)
	case lang.RuleOf(d) != lang.RuleSyntax:
		t.Errorf("rule %q, want %q: %s", lang.RuleOf(d), lang.RuleSyntax, text)
	case d.Subject == nil || d.Subject.Filename != file:
		t.Errorf("subject %v, want a range in %s: %s", d.Subject, file, text)
	case line != 0 && d.Subject.Start.Line != line:
		t.Errorf("at line %d, want %d: %s", d.Subject.Start.Line, line, text)
	}
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("diagnostic %q does not say %q", text, w)
		}
	}
	return d
}

func noErrors(t *testing.T, diags hcl.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			t.Errorf("unexpected error: %s", d.Error())
		}
	}
}

func TestRobustBinaryFile(t *testing.T) {
	random := make([]byte, 4096)
	seed := uint32(2463534242)
	for i := range random {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		random[i] = byte(seed)
	}
	random[100] = 0 // at least one NUL, on line 1 or later
	for name, src := range map[string][]byte{
		"png":         append(append([]byte(nil), pngHeader...), make([]byte, 512)...),
		"random":      random,
		"nul in text": []byte("campaign \"c\" {\n  description = \"a\x00b\"\n}\n"),
	} {
		t.Run(name, func(t *testing.T) {
			r := mustLoad(t, fstest.MapFS{"x.journey.hcl": {Data: src}}, 10*time.Second)
			d := wantSyntaxDiag(t, r.diags, "x.journey.hcl", 0, "x.journey.hcl", "not a text file", "NUL byte")
			if name == "nul in text" && d.Subject.Start.Line != 2 {
				t.Errorf("NUL reported at line %d, want 2", d.Subject.Start.Line)
			}
			if !r.ws.Incomplete {
				t.Errorf("workspace not marked incomplete")
			}
		})
	}
}

func TestRobustInvalidUTF8(t *testing.T) {
	src := []byte("tag \"a\" {}\n\ntag \"caf\xe9\" {}\n")
	r := mustLoad(t, fstest.MapFS{"x.journey.hcl": {Data: src}}, 10*time.Second)
	d := wantSyntaxDiag(t, r.diags, "x.journey.hcl", 3, "x.journey.hcl", "not valid UTF-8", "line 3")
	if d.Subject.Start.Column != 9 {
		t.Errorf("column %d, want 9", d.Subject.Start.Column)
	}
}

func TestRobustNotHCL(t *testing.T) {
	for name, tc := range map[string]struct {
		src  string
		line int
	}{
		"prose":          {"# Campaigns\n\nThis folder holds our campaigns, see below.\n", 3},
		"yaml":           {"campaign:\n  name: onboarding\n  steps:\n    - wait: 1d\n", 1},
		"unclosed":       {"campaign \"c\" {\n  trigger \"t\" {\n    on = tag_added(tag.x)\n", 0},
		"markdown table": {"| a | b |\n|---|---|\n", 1},
	} {
		t.Run(name, func(t *testing.T) {
			r := mustLoad(t, fstest.MapFS{"notes.journey.hcl": {Data: []byte(tc.src)}}, 10*time.Second)
			d := wantSyntaxDiag(t, r.diags, "notes.journey.hcl", tc.line)
			if d.Subject.Start.Line < 1 {
				t.Errorf("no line in %v", d.Subject)
			}
		})
	}
}

func TestRobustEmptyFile(t *testing.T) {
	for name, src := range map[string]string{"empty": "", "blank lines": "\n\n  \n", "comments only": "# nothing yet\n// nor here\n"} {
		t.Run(name, func(t *testing.T) {
			r := mustLoad(t, fstest.MapFS{"x.journey.hcl": {Data: []byte(src)}}, 10*time.Second)
			if len(r.diags) != 0 {
				t.Errorf("an empty campaign file is valid (as an empty .tf file is), got %s", r.diags.Error())
			}
			if len(r.ws.FileNames) != 1 || len(r.ws.Blocks) != 0 {
				t.Errorf("files %v, %d blocks; want the one file and no blocks", r.ws.FileNames, len(r.ws.Blocks))
			}
		})
	}
	t.Run("empty json", func(t *testing.T) {
		r := mustLoad(t, fstest.MapFS{"x.journey.json": {Data: nil}}, 10*time.Second)
		// An empty file is not a JSON value: a syntax error on x.journey.json.
		wantSyntaxDiag(t, r.diags, "x.journey.json", 0)
	})
}

const crlfCampaign = "tag \"lead\" {}\r\n\r\nemail \"hi\" {\r\n  subject = \"Hi ${contact.first_name}\"\r\n  body    = \"Hello\"\r\n}\r\n\r\ncampaign \"c\" {\r\n  trigger \"t\" {\r\n    on   = tag_added(tag.lead)\r\n    next = send_email.hi\r\n  }\r\n\r\n  send_email \"hi\" {\r\n    email = email.hi\r\n    next  = end.done\r\n  }\r\n\r\n  end \"done\" {}\r\n}\r\n"

func TestRobustCRLF(t *testing.T) {
	r := mustLoad(t, fstest.MapFS{"x.journey.hcl": {Data: []byte(crlfCampaign)}}, 10*time.Second)
	noErrors(t, r.diags)
	var send *lang.Block
	for _, b := range r.ws.Of("campaign") {
		for _, el := range b.Elements() {
			if el.Type == "send_email" {
				send = el
			}
		}
	}
	if send == nil {
		t.Fatal("send_email not decoded")
	}
	if send.DefRange.Start.Line != 14 {
		t.Errorf("send_email at line %d, want 14 (CRLF counts as one line break)", send.DefRange.Start.Line)
	}
	// The template keeps its text without a stray \r.
	email := r.ws.Of("email")[0]
	if subj := email.Attr("subject"); subj == nil || subj.Range().Start.Line != 4 {
		t.Errorf("subject attribute %v, want line 4", subj)
	}

	// An error in a CRLF file is reported on its line.
	broken := strings.Replace(crlfCampaign, "next  = end.done", "next  = end.done\r\n    bogus = 1", 1)
	r = mustLoad(t, fstest.MapFS{"x.journey.hcl": {Data: []byte(broken)}}, 10*time.Second)
	found := false
	for _, d := range r.diags {
		if d.Subject != nil && d.Subject.Start.Line == 17 && strings.Contains(d.Summary+d.Detail, "bogus") {
			found = true
		}
	}
	if !found {
		t.Errorf("want a diagnostic about bogus at line 17, got %s", r.diags.Error())
	}
}

// permissionFS refuses to open the named files, as a file without read
// permission does (root reads any file, so chmod cannot test this).
// Only Open: fs.ReadFile and fs.Stat must go through it.
type permissionFS struct {
	files  fstest.MapFS
	denied map[string]bool
}

func (p permissionFS) Open(name string) (fs.File, error) {
	if p.denied[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return p.files.Open(name)
}

func TestRobustUnreadableFile(t *testing.T) {
	t.Run("fs.FS", func(t *testing.T) {
		fsys := permissionFS{
			files:  fstest.MapFS{"a.journey.hcl": {Data: []byte("tag \"a\" {}\n")}, "secret.journey.hcl": {Data: []byte("tag \"b\" {}\n")}},
			denied: map[string]bool{"secret.journey.hcl": true},
		}
		r := mustLoad(t, fsys, 10*time.Second)
		d := wantSyntaxDiag(t, r.diags, "secret.journey.hcl", 0, "cannot read secret.journey.hcl", "permission denied")
		if !strings.Contains(d.Detail, "readable") {
			t.Errorf("hint %q does not say how to fix it", d.Detail)
		}
		if !r.ws.Incomplete {
			t.Errorf("workspace not marked incomplete")
		}
		if len(r.ws.Blocks) != 1 {
			t.Errorf("%d blocks, want the one of a.journey.hcl", len(r.ws.Blocks))
		}
	})
	t.Run("chmod 000", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "secret.journey.hcl")
		if err := os.WriteFile(p, []byte("tag \"b\" {}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0); err != nil {
			t.Skip("cannot chmod here:", err)
		}
		t.Cleanup(func() { os.Chmod(p, 0o644) })
		if f, err := os.Open(p); err == nil {
			f.Close()
			t.Skip("this user reads files without read permission (root): covered by the fs.FS case")
		}
		r := mustLoad(t, os.DirFS(dir), 10*time.Second)
		wantSyntaxDiag(t, r.diags, "secret.journey.hcl", 0, "cannot read secret.journey.hcl", "permission denied")
	})
}

func TestRobustNoCampaignFiles(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"empty":                                  {},
		"other files":                            {"README.md": {Data: []byte("# hi\n")}, "main.tf": {Data: []byte("x = 1\n")}, "main.hcl": {Data: []byte("tag \"a\" {}\n")}},
		"only subdirs":                           {"sub/a.journey.hcl": {Data: []byte("tag \"a\" {}\n")}},
		"a directory named like a campaign file": {"dir.journey.hcl/a.txt": {Data: []byte("x")}},
	} {
		t.Run(name, func(t *testing.T) {
			r, ok := robustLoad(t, fsys, ".", 10*time.Second)
			if !ok {
				t.Fatal("hang")
			}
			if !errors.Is(r.err, lang.ErrNoFiles) {
				t.Fatalf("err = %v, want lang.ErrNoFiles", r.err)
			}
			if !strings.Contains(r.err.Error(), ".journey.hcl") {
				t.Errorf("error %q does not say which files journey reads", r.err)
			}
		})
	}
	t.Run("names the directory", func(t *testing.T) {
		r, _ := robustLoad(t, fstest.MapFS{"campaigns/README.md": {Data: []byte("x")}}, "campaigns", 10*time.Second)
		if r.err == nil || !strings.Contains(r.err.Error(), "campaigns") {
			t.Errorf("err = %v, want one naming the directory campaigns", r.err)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		r, _ := robustLoad(t, fstest.MapFS{}, "nope", 10*time.Second)
		if r.err == nil || !errors.Is(r.err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", r.err)
		}
	})
}

func TestRobustSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("y.journey.hcl", filepath.Join(dir, "x.journey.hcl")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink("x.journey.hcl", filepath.Join(dir, "y.journey.hcl")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.journey.hcl"), []byte("tag \"a\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustLoad(t, os.DirFS(dir), 10*time.Second)
	if len(r.diags) != 2 {
		t.Fatalf("%d diagnostics, want one for each link of the loop: %s", len(r.diags), r.diags.Error())
	}
	wantSyntaxDiag(t, r.diags[:1], "x.journey.hcl", 0, "cannot read x.journey.hcl", "symbolic links")
	wantSyntaxDiag(t, r.diags[1:], "y.journey.hcl", 0, "cannot read y.journey.hcl", "symbolic links")
	if !strings.Contains(r.diags[0].Detail, "looping symlink") {
		t.Errorf("hint %q does not mention the loop", r.diags[0].Detail)
	}
}

func TestRobustDanglingSymlinkAndDirectoryLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("nowhere.journey.hcl", filepath.Join(dir, "gone.journey.hcl")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "linked.journey.hcl")); err != nil {
		t.Fatal(err)
	}
	r := mustLoad(t, os.DirFS(dir), 10*time.Second)
	if len(r.diags) != 2 {
		t.Fatalf("%d diagnostics, want 2: %s", len(r.diags), r.diags.Error())
	}
	wantSyntaxDiag(t, r.diags[:1], "gone.journey.hcl", 0, "cannot read gone.journey.hcl")
	wantSyntaxDiag(t, r.diags[1:], "linked.journey.hcl", 0, "linked.journey.hcl is not a regular file", "directory")
}

// endlessFS serves one campaign file whose Stat reports a size of 0 and an
// irregular mode, as a device or a named pipe does, and whose content never
// ends. It stops (with an error) after limit bytes so that a reader that
// does not stop by itself cannot exhaust memory.
type endlessFS struct {
	name  string
	limit int64
	read  *int64
}

func (e endlessFS) Open(name string) (fs.File, error) {
	switch name {
	case ".":
		return &endlessDir{name: e.name}, nil
	case e.name:
		return &endlessFile{fs: e}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type endlessFile struct{ fs endlessFS }

func (f *endlessFile) Stat() (fs.FileInfo, error) { return endlessInfo{f.fs.name}, nil }
func (f *endlessFile) Close() error               { return nil }
func (f *endlessFile) Read(p []byte) (int, error) {
	if *f.fs.read >= f.fs.limit {
		return 0, errors.New("endlessFS: read limit reached (the reader did not stop)")
	}
	n := int(min(int64(len(p)), f.fs.limit-*f.fs.read, int64(len(spaces))))
	copy(p, spaces[:n])
	*f.fs.read += int64(n)
	return n, nil
}

var spaces = []byte(strings.Repeat(" ", 64<<10))

type endlessInfo struct{ name string }

func (i endlessInfo) Name() string       { return i.name }
func (i endlessInfo) Size() int64        { return 0 }
func (i endlessInfo) Mode() fs.FileMode  { return fs.ModeDevice | fs.ModeCharDevice | 0o444 }
func (i endlessInfo) ModTime() time.Time { return time.Time{} }
func (i endlessInfo) IsDir() bool        { return false }
func (i endlessInfo) Sys() any           { return nil }

type endlessDir struct {
	name string
	done bool
}

func (d *endlessDir) Stat() (fs.FileInfo, error) { return dirInfo{}, nil }
func (d *endlessDir) Close() error               { return nil }
func (d *endlessDir) Read([]byte) (int, error)   { return 0, io.EOF }
func (d *endlessDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.done {
		if n > 0 {
			return nil, io.EOF
		}
		return nil, nil
	}
	d.done = true
	return []fs.DirEntry{fs.FileInfoToDirEntry(endlessInfo{d.name})}, nil
}

type dirInfo struct{}

func (dirInfo) Name() string       { return "." }
func (dirInfo) Size() int64        { return 0 }
func (dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (dirInfo) ModTime() time.Time { return time.Time{} }
func (dirInfo) IsDir() bool        { return true }
func (dirInfo) Sys() any           { return nil }

// TestRobustEndlessFile: a device or named pipe named x.journey.hcl (say a
// symlink to /dev/zero) reports a size of 0, so the MaxFileSize check
// passes it, and its content never ends. Load must stop at MaxFileSize, not
// read until memory runs out.
func TestRobustEndlessFile(t *testing.T) {
	if testenv.RaceEnabled() {
		t.Skip("reads 64 MB: runs without -race")
	}
	var read int64
	fsys := endlessFS{name: "x.journey.hcl", limit: lang.MaxFileSize + 1<<20, read: &read}
	r, ok := robustLoad(t, fsys, ".", 60*time.Second)
	if !ok {
		t.Fatal("lang.Load did not return within a minute")
	}
	if read > lang.MaxFileSize+1 {
		t.Fatalf("lang.Load read %d MB of a file whose Stat size is 0 (a device or pipe): it must stop at MaxFileSize+1 bytes. Diagnostic: %v", read>>20, r.diags)
	}
	if len(r.diags) == 0 {
		t.Fatalf("no diagnostic for an endless file")
	}
	wantSyntaxDiag(t, r.diags, "x.journey.hcl", 0, "x.journey.hcl")
}

// bigCampaign is a valid campaign of about size bytes: a trigger, then
// rounds of send, decision, condition and wait until the size is reached.
func bigCampaign(size int) (src []byte, elements int) {
	var b strings.Builder
	b.WriteString(`account {
  senders = ["team@example.com"]
}

tag "lead" {}
tag "engaged" {}

email "tip" {
  subject = "A tip for ${contact.first_name}"
  from    = "team@example.com"
  body    = "Hello ${contact.first_name}, here is today's tip."
  kind    = "transactional"
}

campaign "big" {
  trigger "start" {
    on   = tag_added(tag.lead)
    next = send_email.send_0
  }

`)
	elements = 1
	for r := 0; ; r++ {
		last := b.Len() > size
		next := fmt.Sprintf("send_email.send_%d", r+1)
		if last {
			next = "end.done"
		}
		fmt.Fprintf(&b, `  send_email "send_%[1]d" {
    email = email.tip
    next  = decision.opened_%[1]d
  }

  decision "opened_%[1]d" {
    on     = email_opened(email.tip)
    within = "2d"
    yes    = change_tags.engaged_%[1]d
    no     = condition.points_%[1]d
  }

  change_tags "engaged_%[1]d" {
    add  = [tag.engaged]
    next = condition.points_%[1]d
  }

  condition "points_%[1]d" {
    if   = has_tag(tag.engaged) || contact.points > %[1]d
    then = wait.short_%[1]d
    else = wait.long_%[1]d
  }

  wait "short_%[1]d" {
    for  = "1d"
    next = %[2]s
  }

  wait "long_%[1]d" {
    for     = "3d"
    at      = "09:00"
    on_days = weekdays
    next    = %[2]s
  }

`, r, next)
		elements += 6
		if last {
			break
		}
	}
	b.WriteString("  end \"done\" {}\n}\n")
	return []byte(b.String()), elements + 1
}

func TestRobustTenMegabyteFile(t *testing.T) {
	size := 10 << 20
	switch {
	case testing.Short():
		size = 1 << 20
	case testenv.RaceEnabled():
		size = 1 << 20 // the race detector looks for races, not size limits
	}
	src, elements := bigCampaign(size)
	r := mustLoad(t, fstest.MapFS{"big.journey.hcl": {Data: src}}, 5*time.Minute)
	noErrors(t, r.diags)
	if len(r.diags) != 0 {
		t.Errorf("diagnostics on a valid file: %s", r.diags.Error())
	}
	camp := r.ws.Of("campaign")
	if len(camp) != 1 || len(camp[0].Elements()) != elements {
		t.Fatalf("decoded %d campaigns, want 1 with %d elements", len(camp), elements)
	}
	if last := camp[0].Elements()[elements-1]; last.DefRange.Start.Line < 100000 && size == 10<<20 {
		t.Errorf("the last element is at line %d: lines are not counted to the end", last.DefRange.Start.Line)
	}
}

// nest wraps inner in depth opens and closes.
func nest(open, inner, close string, depth int) string {
	return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
}

// nestedCondition is a campaign whose condition is expr.
func nestedCondition(expr string) []byte {
	return []byte(`tag "x" {}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.x)
    next = condition.deep
  }

  condition "deep" {
    if   = ` + expr + `
    then = end.yes
    else = end.no
  }

  end "yes" {}
  end "no" {}
}
`)
}

func nestedTemplate(depth int) []byte {
	// "${"${"${contact.first_name}"}"}": a template inside an interpolation
	// inside a template, depth times.
	return nestedTemplateSubject(nest(`"${`, "contact.first_name", `}"`, depth))
}

// nestedTemplateSubject is an email, sent by a campaign, whose subject is
// the expression subject.
func nestedTemplateSubject(subject string) []byte {
	return []byte(`tag "x" {}

email "deep" {
  subject = ` + subject + `
  body    = "hello"
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.x)
    next = send_email.deep
  }

  send_email "deep" {
    email = email.deep
    next  = end.done
  }

  end "done" {}
}
`)
}

// TestRobustDeepNesting: nesting far beyond MaxExpressionDepth is one
// expression-too-deep error on its line, never a panic, a hang, or a
// finding of the stages after lang (which would overflow on it). Shapes
// that nest the parser two levels a level go past MaxParseNesting first:
// they are a syntax error, and not parsed.
func TestRobustDeepNesting(t *testing.T) {
	depth := 10000
	if testenv.RaceEnabled() {
		depth = 2000 // the race detector looks for races, not depth limits
	}
	type deepCase struct {
		src    []byte
		line   int
		levels int // 0: a syntax error
	}
	cases := map[string]deepCase{
		"templates in a subject": {src: nestedTemplate(depth), line: 4, levels: depth + 1},
		"unclosed":               {src: nestedCondition(nest("(", "has_tag(tag.x)", "", depth))},
	}
	if 2*depth > lang.MaxParseNesting {
		cases["templates in a subject"] = deepCase{src: nestedTemplate(depth), line: 4}
	}
	for name, s := range depthShapes {
		c := deepCase{src: nestedCondition(s.build(depth)), line: 10, levels: s.levels(depth)}
		if s.tokens*depth > lang.MaxParseNesting {
			c.levels = 0
		}
		cases[name] = c
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, ok := robustLoad(t, fstest.MapFS{"deep.journey.hcl": {Data: tc.src}}, ".", 2*time.Minute)
			if !ok {
				t.Fatalf("lang.Load hangs (over 2 minutes) on %s nested %d deep", name, depth)
			}
			if r.err != nil {
				t.Fatalf("lang.Load: %v", r.err)
			}
			if tc.levels == 0 {
				wantSyntaxDiag(t, r.diags, "deep.journey.hcl", tc.line)
				return
			}
			wantTooDeep(t, r.diags, r.ws, "deep.journey.hcl", tc.line, tc.levels, "")
		})
	}
}

// TestRobustManyFilesOneBad: one bad file does not hide the others'
// diagnostics, and every diagnostic names its own file.
func TestRobustManyFilesOneBad(t *testing.T) {
	fsys := fstest.MapFS{
		"a.journey.hcl": {Data: []byte("tag \"a\" {}\n")},
		"b.journey.hcl": {Data: pngHeader},
		"c.journey.hcl": {Data: []byte("tag \"c\" {\n")},
		"d.journey.hcl": {Data: []byte("bogus \"d\" {}\n")},
	}
	r := mustLoad(t, fsys, 10*time.Second)
	files := map[string]bool{}
	for _, d := range r.diags {
		if d.Subject == nil {
			t.Errorf("diagnostic without a place: %s", d.Error())
			continue
		}
		files[d.Subject.Filename] = true
	}
	for _, f := range []string{"b.journey.hcl", "c.journey.hcl", "d.journey.hcl"} {
		if !files[f] {
			t.Errorf("no diagnostic for %s: %s", f, r.diags.Error())
		}
	}
	if files["a.journey.hcl"] {
		t.Errorf("a diagnostic for the good file a.journey.hcl: %s", r.diags.Error())
	}
}

// TestRobustParserNesting: nesting deep enough to overflow the HCL
// parser's stack is a syntax error at the place it goes too deep, and the
// source is not parsed. 200,000 parentheses used to kill the process with
// a stack overflow (a fatal error, which no recover catches); the other
// shapes, nested past the limit but short of that, used to be parsed.
func TestRobustParserNesting(t *testing.T) {
	const depth = 20000
	lines := func(open, inner, close string, n int) string {
		return nest(open+"\n", inner+"\n", close+"\n", n)
	}
	jsonCondition := func(cond string) []byte {
		return []byte(`{
  "tag": {"x": {}},
  "campaign": {"c": {
    "trigger": {"t": {"on": "${tag_added(tag.x)}", "next": "${condition.deep}"}},
    "condition": {"deep": {"if": "${` + cond + `}", "then": "${end.yes}", "else": "${end.no}"}},
    "end": {"yes": {}, "no": {}}
  }}
}
`)
	}
	for name, tc := range map[string]struct {
		files fstest.MapFS
		file  string
		line  int // 0: past the first
	}{
		"200,000 parentheses": {
			files: fstest.MapFS{"x.journey.hcl": {Data: nestedCondition(nest("(", "has_tag(tag.x)", ")", 200000))}},
			file:  "x.journey.hcl", line: 10,
		},
		"parentheses": {files: fstest.MapFS{"x.journey.hcl": {Data: nestedCondition(nest("(", "has_tag(tag.x)", ")", depth))}}, file: "x.journey.hcl", line: 10},
		"negations":   {files: fstest.MapFS{"x.journey.hcl": {Data: nestedCondition(strings.Repeat("!", depth) + "has_tag(tag.x)")}}, file: "x.journey.hcl", line: 10},
		"a chain of conditionals": {
			files: fstest.MapFS{"x.journey.hcl": {Data: nestedCondition(strings.Repeat("contact.points > 1 ? true : ", depth) + "false")}},
			file:  "x.journey.hcl", line: 10,
		},
		"templates":  {files: fstest.MapFS{"x.journey.hcl": {Data: nestedTemplate(depth)}}, file: "x.journey.hcl", line: 4},
		"directives": {files: fstest.MapFS{"x.journey.hcl": {Data: nestedTemplateText(nest("%{if true}", "x", "%{endif}", depth))}}, file: "x.journey.hcl", line: 4},
		"heredocs": {
			files: fstest.MapFS{"x.journey.hcl": {Data: nestedTemplateSubject(nest("<<EOT\n${", "contact.first_name", "}\nEOT\n", depth))}},
			file:  "x.journey.hcl",
		},
		"a json event": {
			files: fstest.MapFS{"x.journey.json": {Data: []byte(`{
  "tag": {"x": {}},
  "campaign": {"c": {
    "trigger": {"t": {"on": "${tag_added(` + nest("(", "tag.x", ")", depth) + `)}", "next": "${end.done}"}},
    "end": {"done": {}}
  }}
}
`)}},
			file: "x.journey.json", line: 4,
		},
		"blocks": {files: fstest.MapFS{"x.journey.hcl": {Data: []byte(lines("a {", "", "}", depth))}}, file: "x.journey.hcl"},
		"a template file": {
			files: fstest.MapFS{
				"x.journey.hcl": {Data: []byte("email \"e\" {\n  subject = \"hi\"\n  body    = template(\"body.html\")\n}\n")},
				"body.html":     {Data: []byte("<p>\n${" + nest("(", "contact.first_name", ")", depth) + "}</p>\n")},
			},
			file: "body.html", line: 2,
		},
		"json arrays": {
			files: fstest.MapFS{"x.journey.json": {Data: []byte(`{"tag": {"x": {"description": ` + nest("[", "", "]", depth) + "}}}\n")}},
			file:  "x.journey.json", line: 1,
		},
		"a json template": {files: fstest.MapFS{"x.journey.json": {Data: jsonCondition(nest("(", "has_tag(tag.x)", ")", depth))}}, file: "x.journey.json", line: 5},
	} {
		t.Run(name, func(t *testing.T) {
			r, ok := robustLoad(t, tc.files, ".", 2*time.Minute)
			if !ok {
				t.Fatalf("lang.Load hangs (over 2 minutes) on %s", name)
			}
			if r.err != nil {
				t.Fatalf("lang.Load: %v", r.err)
			}
			d := wantSyntaxDiag(t, r.diags, tc.file, tc.line, tc.file, "levels deep", "does not read it")
			if tc.line == 0 && d.Subject != nil && d.Subject.Start.Line < 2 {
				t.Errorf("reported at line %d, not where it goes too deep", d.Subject.Start.Line)
			}
			if len(r.diags) != 1 {
				t.Errorf("%d diagnostics, want the one: %s", len(r.diags), r.diags.Error())
			}
		})
	}
}

// nestedTemplateText is an email whose subject is the template text.
func nestedTemplateText(text string) []byte {
	return nestedTemplateSubject(`"` + text + `"`)
}
