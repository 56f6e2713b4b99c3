package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/testenv"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/runtime"
)

// journey validate on bad input: a clear message that names the file (and
// the line, where there is one), exit 1 for findings and 2 for usage, never
// a panic (exit 3) or a hang.

type robustRun struct {
	code           int
	stdout, stderr string
	finished       bool
	elapsed        time.Duration
	args           []string
}

// robustCLI runs journey in-process with a time limit; finished is false
// when it did not return in time (the goroutine is left behind).
func robustCLI(t *testing.T, limit time.Duration, args ...string) robustRun {
	t.Helper()
	done := make(chan robustRun, 1)
	start := time.Now()
	go func() {
		var out, errOut bytes.Buffer
		c := NewCLI(nil, &out, &errOut)
		c.Getenv = func(string) string { return "" }
		c.Now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
		code := c.Run(context.Background(), args)
		done <- robustRun{code: code, stdout: out.String(), stderr: errOut.String(), finished: true}
	}()
	select {
	case r := <-done:
		r.elapsed, r.args = time.Since(start), args
		if r.code == exitInternal || strings.Contains(r.stderr, "internal error") {
			t.Errorf("journey %s: internal error (exit %d):\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r
	case <-time.After(limit):
		return robustRun{args: args}
	}
}

// mustRun is robustCLI that fails on a hang.
func mustRun(t *testing.T, args ...string) robustRun {
	t.Helper()
	r := robustCLI(t, 2*time.Minute, args...)
	if !r.finished {
		t.Fatalf("journey %s did not finish within 2 minutes", strings.Join(args, " "))
	}
	return r
}

func (r robustRun) want(t *testing.T, code int, stdoutHas, stderrHas []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("journey %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, code, clip(r.stdout), clip(r.stderr))
	}
	for _, s := range stdoutHas {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("journey %s: stdout lacks %q:\n%s", strings.Join(r.args, " "), s, clip(r.stdout))
		}
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("journey %s: stderr lacks %q:\n%s", strings.Join(r.args, " "), s, clip(r.stderr))
		}
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:1500] + "\n[...]\n" + s[len(s)-1500:]
	}
	return s
}

func robustWrite(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const robustGood = `tag "lead" {}

email "hi" {
  subject = "Hi ${contact.first_name}"
  body    = "Hello"
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.lead)
    next = send_email.hi
  }

  send_email "hi" {
    email = email.hi
    next  = end.done
  }

  end "done" {}
}
`

var robustPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"), make([]byte, 256)...)

// controlChars matches what a terminal may interpret: C0 controls other
// than tab and newline, DEL, and C1 controls.
var controlChars = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]")

func TestRobustCLIBinaryFile(t *testing.T) {
	random := make([]byte, 2048)
	seed := uint32(88172645)
	for i := range random {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		random[i] = byte(seed)
	}
	random[0] = 0
	for name, tc := range map[string]struct {
		data []byte
		at   string
	}{
		"png":    {robustPNG, "x.journey.hcl:3:1:"}, // the first NUL follows two line feeds
		"random": {random, "x.journey.hcl:1:1:"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			robustWrite(t, dir, map[string][]byte{"x.journey.hcl": tc.data, "good.journey.hcl": []byte(robustGood)})
			r := mustRun(t, "validate", dir)
			r.want(t, exitFailed, []string{tc.at, "[syntax]", "not a text file", "NUL byte"}, nil)
			for _, format := range []string{"json", "sarif", "github"} {
				r := mustRun(t, "validate", "--format", format, dir)
				r.want(t, exitFailed, []string{"x.journey.hcl"}, nil)
			}
			if m := controlChars.FindString(r.stdout); m != "" {
				t.Fatalf("journey validate prints the binary file's bytes in the source snippet, control character %q included (a terminal may act on escape sequences); the output begins %q", m, r.stdout[:min(len(r.stdout), 300)])
			}
		})
	}
}

func TestRobustCLITextButNotHCL(t *testing.T) {
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"notes.journey.hcl": []byte("# Campaigns\n\nThis folder holds our campaigns.\n")})
	r := mustRun(t, "validate", dir)
	r.want(t, exitFailed, []string{"notes.journey.hcl:3:", "[syntax]", "1 error"}, nil)
}

func TestRobustCLIInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"x.journey.hcl": []byte("tag \"a\" {}\n\ntag \"caf\xe9\" {}\n")})
	r := mustRun(t, "validate", dir)
	r.want(t, exitFailed, []string{"x.journey.hcl:3:9", "not valid UTF-8", "save the file as UTF-8"}, nil)
	if strings.Contains(r.stdout, "\xe9") {
		t.Errorf("the invalid byte is printed as is:\n%s", r.stdout)
	}
}

func TestRobustCLIEmptyFile(t *testing.T) {
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"x.journey.hcl": nil})
	r := mustRun(t, "validate", dir)
	r.want(t, exitOK, []string{"No problems found in 1 file."}, nil)

	robustWrite(t, dir, map[string][]byte{"y.journey.json": nil})
	r = mustRun(t, "validate", dir)
	r.want(t, exitFailed, []string{"y.journey.json:1:1", "[syntax]"}, nil)
}

func TestRobustCLICRLF(t *testing.T) {
	dir := t.TempDir()
	crlf := strings.ReplaceAll(robustGood, "\n", "\r\n")
	robustWrite(t, dir, map[string][]byte{"x.journey.hcl": []byte(crlf)})
	r := mustRun(t, "validate", "--strict", dir)
	r.want(t, exitOK, []string{"No problems found in 1 file."}, nil)

	broken := strings.Replace(crlf, "next  = end.done", "next  = end.dnoe", 1)
	robustWrite(t, dir, map[string][]byte{"x.journey.hcl": []byte(broken)})
	r = mustRun(t, "validate", dir)
	r.want(t, exitFailed, []string{"x.journey.hcl:16:", "[unknown-reference]", "end.done"}, nil)
	if strings.Contains(r.stdout, "\r") {
		t.Errorf("a carriage return in the output:\n%q", r.stdout)
	}
}

func TestRobustCLINoCampaignFiles(t *testing.T) {
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"README.md": []byte("# hi\n"), "sub/a.journey.hcl": []byte(robustGood)})
	r := mustRun(t, "validate", dir)
	r.want(t, exitUsage, nil, []string{"no *.journey.hcl or *.journey.json files in " + dir, "--recursive"})
	if r.stdout != "" {
		t.Errorf("stdout: %s", r.stdout)
	}

	empty := t.TempDir()
	r = mustRun(t, "validate", "--recursive", empty)
	r.want(t, exitUsage, nil, []string{empty, "or below it"})

	missing := filepath.Join(dir, "nope")
	r = mustRun(t, "validate", missing)
	r.want(t, exitUsage, nil, []string{missing, "does not exist"})

	file := filepath.Join(dir, "README.md")
	r = mustRun(t, "validate", file)
	r.want(t, exitUsage, nil, []string{file, "is a file"})
}

func TestRobustCLIUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"good.journey.hcl": []byte(robustGood), "secret.journey.hcl": []byte("tag \"b\" {}\n")})
	p := filepath.Join(dir, "secret.journey.hcl")
	if err := os.Chmod(p, 0); err != nil {
		t.Skip("cannot chmod here:", err)
	}
	t.Cleanup(func() { os.Chmod(p, 0o644) })
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("this user reads files without read permission (root); lang's TestRobustUnreadableFile covers it with an fs.FS")
	}
	r := mustRun(t, "validate", dir)
	r.want(t, exitFailed, []string{"secret.journey.hcl", "cannot read secret.journey.hcl", "permission denied"}, nil)
}

func TestRobustCLIUnreadableDirectory(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "locked")
	robustWrite(t, dir, map[string][]byte{"ok/a.journey.hcl": []byte(robustGood), "locked/b.journey.hcl": []byte(robustGood)})
	if err := os.Chmod(sub, 0); err != nil {
		t.Skip("cannot chmod here:", err)
	}
	t.Cleanup(func() { os.Chmod(sub, 0o755) })
	if _, err := os.ReadDir(sub); err == nil {
		t.Skip("this user reads directories without permission (root)")
	}
	r := mustRun(t, "validate", sub)
	r.want(t, exitUsage, nil, []string{"locked", "permission denied"})
}

func TestRobustCLISymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("y.journey.hcl", filepath.Join(dir, "x.journey.hcl")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink("x.journey.hcl", filepath.Join(dir, "y.journey.hcl")); err != nil {
		t.Fatal(err)
	}
	robustWrite(t, dir, map[string][]byte{"good.journey.hcl": []byte(robustGood)})
	r := mustRun(t, "validate", dir)
	r.want(t, exitFailed, []string{"x.journey.hcl", "y.journey.hcl", "cannot read x.journey.hcl", "too many levels of symbolic links", "looping symlink", "2 errors"}, nil)
}

func TestRobustCLIDirectorySymlinkLoopRecursive(t *testing.T) {
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"team/a.journey.hcl": []byte(robustGood)})
	for link, target := range map[string]string{
		"team/loop": "..", // back to the root
		"team/self": ".",  // to itself
		"a":         "b",  // a and b point at each other
		"b":         "a",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skip("no symlinks here:", err)
		}
	}
	r := mustRun(t, "validate", "--recursive", dir)
	r.want(t, exitOK, []string{"No problems found in 1 file."}, nil)

	// Only loops: nothing to validate.
	loops := t.TempDir()
	os.Symlink("..", filepath.Join(loops, "up"))
	os.Symlink("x", filepath.Join(loops, "x"))
	r = mustRun(t, "validate", "--recursive", loops)
	r.want(t, exitUsage, nil, []string{loops, "or below it"})

	// A looping symlink as the directory given.
	os.Symlink("self", filepath.Join(loops, "self"))
	r = mustRun(t, "validate", filepath.Join(loops, "self"))
	r.want(t, exitUsage, nil, []string{"self"})
}

func TestRobustCLITenMegabyteFile(t *testing.T) {
	size := 10 << 20
	switch {
	case testing.Short():
		size = 1 << 20
	case testenv.RaceEnabled():
		size = 1 << 20 // the race detector looks for races, not size limits
	}
	dir := t.TempDir()
	src := robustBigCampaign(size)
	robustWrite(t, dir, map[string][]byte{"big.journey.hcl": src})
	r := mustRun(t, "validate", "--strict", dir)
	r.want(t, exitOK, []string{"No problems found in 1 file."}, nil)
	t.Logf("%d MB validated in %v", len(src)>>20, r.elapsed)
}

// robustBigCampaign is a valid campaign of about size bytes. Its
// decisions wait on a purchase: decisions on email_opened make
// event-never-happens quadratic in the size of the campaign (see
// BenchmarkValidateOneCampaign), and this test is about size, not time.
func robustBigCampaign(size int) []byte {
	var b strings.Builder
	b.WriteString(`tag "lead" {}
tag "engaged" {}
product "pro" {}

email "tip" {
  subject = "A tip for ${contact.first_name}"
  body    = "Hello ${contact.first_name}, here is today's tip."
  kind    = "transactional"
}

campaign "big" {
  trigger "start" {
    on   = tag_added(tag.lead)
    next = send_email.send_0
  }

`)
	for r := 0; ; r++ {
		last := b.Len() > size
		next := fmt.Sprintf("send_email.send_%d", r+1)
		if last {
			next = "end.done"
		}
		fmt.Fprintf(&b, `  send_email "send_%[1]d" {
    email = email.tip
    next  = decision.bought_%[1]d
  }

  decision "bought_%[1]d" {
    on     = product_purchased(product.pro)
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
		if last {
			break
		}
	}
	b.WriteString("  end \"done\" {}\n}\n")
	return []byte(b.String())
}

func robustNested(cond string) []byte {
	return []byte(`tag "x" {}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.x)
    next = condition.deep
  }

  condition "deep" {
    if   = ` + cond + `
    then = end.yes
    else = end.no
  }

  end "yes" {}
  end "no" {}
}
`)
}

func robustDeepSubject(subject string) []byte {
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

// TestRobustCLIDeepNesting: an expression nested far deeper than journey
// reads is one expression-too-deep finding at the place it gets too deep,
// from validate and from every command that compiles (they used to exit 3
// with encoding/json's "exceeded max depth" and no place), never a panic
// or a hang.
func TestRobustCLIDeepNesting(t *testing.T) {
	depth := 10000
	if testenv.RaceEnabled() {
		depth = 2000 // the race detector looks for races, not depth limits
	}
	// A condition starts at column 12 and its levels at one column each;
	// a subject starts at column 13, three columns a level.
	tooDeepAt := fmt.Sprintf("x.journey.hcl:10:%d:", 12+lang.MaxExpressionDepth)
	tmpl := strings.Repeat(`"${`, depth) + "contact.first_name" + strings.Repeat(`}"`, depth)
	templates := []string{fmt.Sprintf("x.journey.hcl:4:%d:", 13+3*lang.MaxExpressionDepth), "[expression-too-deep]", fmt.Sprintf("%d levels", depth+1)}
	if 2*depth > lang.MaxParseNesting {
		// A quote and an interpolation a level: past what lang parses.
		templates = []string{"x.journey.hcl:4:", "[syntax]", "journey does not read it"}
	}
	for name, tc := range map[string]struct {
		src      []byte
		contains []string
	}{
		"parentheses": {
			src:      robustNested(strings.Repeat("(", depth) + "has_tag(tag.x)" + strings.Repeat(")", depth)),
			contains: []string{tooDeepAt, "[expression-too-deep]", fmt.Sprintf("%d levels", depth+2)},
		},
		"negations": {
			src:      robustNested(strings.Repeat("!", depth) + "has_tag(tag.x)"),
			contains: []string{tooDeepAt, "[expression-too-deep]", fmt.Sprintf("%d levels", depth+2)},
		},
		"templates": {
			src:      robustDeepSubject(tmpl),
			contains: templates,
		},
		// Too deep to type-check: the depth is what is reported (this
		// case used to assert the type error).
		"negations of a number": {
			src:      robustNested(strings.Repeat("!", depth) + "contact.points"),
			contains: []string{tooDeepAt, "[expression-too-deep]", "1 error"},
		},
		"unclosed parentheses": {
			src:      robustNested(strings.Repeat("(", depth) + "has_tag(tag.x)"),
			contains: []string{"x.journey.hcl:", "[syntax]"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			robustWrite(t, dir, map[string][]byte{"x.journey.hcl": tc.src})
			r := robustCLI(t, 2*time.Minute, "validate", dir)
			if !r.finished {
				t.Fatalf("journey validate hangs (over 2 minutes) on %s nested %d deep", name, depth)
			}
			r.want(t, exitFailed, tc.contains, nil)
			if len(r.stdout) > 200000 {
				t.Errorf("%d bytes of output for one nested expression: the snippet should be cut", len(r.stdout))
			}
			for _, args := range [][]string{
				{"compile", dir, "-o", filepath.Join(t.TempDir(), "plan.json")},
				{"graph", dir},
				{"simulate", dir},
			} {
				r := robustCLI(t, 2*time.Minute, args...)
				if !r.finished {
					t.Fatalf("journey %s hangs (over 2 minutes) on %s nested %d deep", args[0], name, depth)
				}
				r.want(t, exitFailed, nil, tc.contains[:2])
			}
		})
	}
}

// TestRobustCLIParserNesting: 200,000 parentheses (a 400 KB file) used to
// kill journey with a fatal stack overflow in the HCL parser, whatever the
// command. The file is now refused unparsed, with a syntax finding at the
// place it goes too deep, and journey fmt leaves it as it is.
func TestRobustCLIParserNesting(t *testing.T) {
	dir := t.TempDir()
	src := robustNested(strings.Repeat("(", 200000) + "has_tag(tag.x)" + strings.Repeat(")", 200000))
	robustWrite(t, dir, map[string][]byte{"x.journey.hcl": src})
	want := []string{"x.journey.hcl:10:", "[syntax]", "levels deep here: journey does not read it"}
	mustRun(t, "validate", dir).want(t, exitFailed, want, nil)
	mustRun(t, "compile", dir, "-o", filepath.Join(t.TempDir(), "plan.json")).want(t, exitFailed, nil, want)
	mustRun(t, "fmt", dir).want(t, exitFailed, nil, []string{"x.journey.hcl:10:", "levels deep", "left as it is"})
	if got, err := os.ReadFile(filepath.Join(dir, "x.journey.hcl")); err != nil || !bytes.Equal(got, src) {
		t.Errorf("journey fmt changed the file it could not read (err %v)", err)
	}
}

// atDepth nests a subject, an update_contact value and a condition each
// exactly levels deep, as lang counts them.
func atDepth(levels int) []byte {
	subject := strings.Repeat(`"${`, levels-1) + "contact.first_name" + strings.Repeat(`}"`, levels-1)
	// The set object is the first level, the field read the last.
	upper := strings.Repeat("upper(", levels-2) + "contact.first_name" + strings.Repeat(")", levels-2)
	// has_tag and its argument are the last two levels: for levels 100,
	// 98 negations, true for a contact tagged x.
	condition := strings.Repeat("!", levels-2) + "has_tag(tag.x)"
	return []byte(`tag "x" {}

email "deep" {
  subject = ` + subject + `
  body    = "hello"
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.x)
    next = update_contact.shout
  }

  update_contact "shout" {
    set  = { last_name = ` + upper + ` }
    next = condition.tagged
  }

  condition "tagged" {
    if   = ` + condition + `
    then = send_email.greet
    else = end.no
  }

  send_email "greet" {
    email = email.deep
    next  = end.done
  }

  end "done" {}
  end "no" {}
}
`)
}

// jsonDepth is how deeply a JSON document nests objects and arrays.
func jsonDepth(t *testing.T, data []byte) int {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	depth, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return deepest
		}
		if err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			deepest = max(deepest, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// jqMaxDepth is the deepest JSON jq 1.6 parses (its MAX_PARSING_DEPTH);
// the docs pipe plans into jq.
const jqMaxDepth = 256

// TestRobustCLIDepthLimit: expressions exactly as deep as journey reads
// validate, compile to a plan that reads back, links and stays within
// jq's depth, draw, plan against an older plan, and run; one level deeper
// is refused with the finding by every command.
func TestRobustCLIDepthLimit(t *testing.T) {
	limit := lang.MaxExpressionDepth
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"x.journey.hcl": atDepth(limit)})
	mustRun(t, "validate", "--strict", dir).want(t, exitOK, []string{"No problems found in 1 file."}, nil)

	planFile := filepath.Join(t.TempDir(), "plan.json")
	mustRun(t, "compile", dir, "-o", planFile).want(t, exitOK, nil, nil)
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Decode(data)
	if err != nil {
		t.Fatalf("the plan does not read back: %v", err)
	}
	if _, err := runtime.Link(p); err != nil {
		t.Fatalf("the runtime does not link the plan: %v", err)
	}
	if d := jsonDepth(t, data); d > jqMaxDepth {
		t.Errorf("the plan nests %d deep: jq 1.6 reads at most %d", d, jqMaxDepth)
	} else {
		t.Logf("the plan nests %d deep", d)
	}

	mustRun(t, "graph", dir).want(t, exitOK, []string{"deep"}, nil)

	// The plan against an older, shallower one: the diff and the plan file
	// carry the deep expressions.
	old := t.TempDir()
	robustWrite(t, old, map[string][]byte{"x.journey.hcl": atDepth(3)})
	oldPlan := filepath.Join(t.TempDir(), "old.json")
	mustRun(t, "compile", old, "-o", oldPlan).want(t, exitOK, nil, nil)
	change := filepath.Join(t.TempDir(), "change.plan")
	mustRun(t, "plan", dir, "--against", oldPlan, "--out", change).want(t, exitOK, []string{"update_contact", "condition"}, nil)
	if data, err := os.ReadFile(change); err != nil {
		t.Fatal(err)
	} else if d := jsonDepth(t, data); d > jqMaxDepth {
		t.Errorf("the plan file nests %d deep: jq 1.6 reads at most %d", d, jqMaxDepth)
	} else {
		t.Logf("the plan file nests %d deep", d)
	}

	contact := filepath.Join(t.TempDir(), "ada.json")
	robustWrite(t, filepath.Dir(contact), map[string][]byte{"ada.json": []byte(`{"email": "ada@example.com", "first_name": "Ada", "tags": ["x"]}`)})
	mustRun(t, "simulate", dir, "--contact", contact).want(t, exitOK,
		[]string{`updated {"last_name":"ADA"}`, "took then", `sent email deep "Ada"`}, nil)

	tooDeep := t.TempDir()
	robustWrite(t, tooDeep, map[string][]byte{"x.journey.hcl": atDepth(limit + 1)})
	for _, args := range [][]string{
		{"validate", tooDeep},
		{"compile", tooDeep, "-o", filepath.Join(t.TempDir(), "plan.json")},
		{"graph", tooDeep},
		{"plan", tooDeep, "--against", oldPlan},
		{"simulate", tooDeep, "--contact", contact},
	} {
		r := mustRun(t, args...)
		out := r.stdout
		if args[0] != "validate" {
			out = r.stderr
		}
		for _, line := range []int{4, 15, 20} {
			if !strings.Contains(out, fmt.Sprintf("x.journey.hcl:%d:", line)) {
				t.Errorf("journey %s: no finding on line %d:\n%s", args[0], line, clip(out))
			}
		}
		r.want(t, exitFailed, nil, nil)
		if got := strings.Count(out, "[expression-too-deep]"); got != 3 {
			t.Errorf("journey %s: %d expression-too-deep findings, want 3:\n%s", args[0], got, clip(out))
		}
	}
}

// TestRobustCLINamedPipe: a named pipe called x.journey.hcl (left by a tool,
// or a process substitution) has no writer; opening it blocks until one
// comes.
func TestRobustCLINamedPipe(t *testing.T) {
	mkfifo, err := exec.LookPath("mkfifo")
	if err != nil {
		t.Skip("no mkfifo here")
	}
	dir := t.TempDir()
	robustWrite(t, dir, map[string][]byte{"good.journey.hcl": []byte(robustGood)})
	pipe := filepath.Join(dir, "x.journey.hcl")
	if out, err := exec.Command(mkfifo, pipe).CombinedOutput(); err != nil {
		t.Skipf("mkfifo: %v %s", err, out)
	}
	r := robustCLI(t, 10*time.Second, "validate", dir)
	if !r.finished {
		// Release the blocked reader: open the pipe for writing and close it.
		if f, err := os.OpenFile(pipe, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		t.Fatal("journey validate hangs on a named pipe (FIFO) named x.journey.hcl: files that are not regular must be refused with a finding, never opened")
	}
	r.want(t, exitFailed, []string{"x.journey.hcl"}, nil)
}
