package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

// journeyRun runs the command line in-process and returns its exit code,
// stdout and stderr.
func journeyRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = NewCLI(nil, &out, &errOut).Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// journeyRunWithStdin is journeyRun with stdin as the command's standard
// input.
func journeyRunWithStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = NewCLI(strings.NewReader(stdin), &out, &errOut).Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// workspaceFrom copies the campaign files of dirs, in order, into a new
// temporary directory (a later directory's file replaces an earlier one of
// the same name) and returns it.
func workspaceFrom(t *testing.T, dirs ...string) string {
	t.Helper()
	dst := t.TempDir()
	n := 0
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || !(strings.HasSuffix(e.Name(), ".journey.hcl") || strings.HasSuffix(e.Name(), ".journey.json")) {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			writeWorkspaceFile(t, dst, e.Name(), string(src))
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no campaign files in %v", dirs)
	}
	return dst
}

func writeWorkspaceFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

var onboardingExample = filepath.Join("..", "..", "examples", "onboarding")

func TestCompileWritesADecodablePlan(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.json")
	code, stdout, stderr := journeyRun(t, "compile", onboardingExample, "-o", out)
	if code != 0 {
		t.Fatalf("journey compile exited %d:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("journey compile -o FILE wrote to stdout:\n%s", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no plan written: %v", err)
	}
	p, err := plan.Decode(data)
	if err != nil {
		t.Fatalf("plan.Decode refuses the compiled plan: %v", err)
	}
	if p.FormatVersion != plan.FormatVersion || !strings.HasPrefix(p.Hash, "sha256:") {
		t.Errorf("format_version %q, hash %q", p.FormatVersion, p.Hash)
	}
	if len(p.Campaigns) != 1 || p.Campaigns[0].Name != "trial_onboarding" {
		t.Errorf("campaigns %+v, want trial_onboarding", p.Campaigns)
	}
	if len(p.Sequences) != 1 || p.Sequences[0].Name != "trial_tips" {
		t.Errorf("sequences %+v, want trial_tips", p.Sequences)
	}
	// The summary names the file and the version written.
	for _, want := range []string{"Wrote " + out, "1 campaign", "1 sequence", "0 rules", p.Hash} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	// What is written is exactly plan.Encode of what it decodes to.
	again, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("the written plan is not in its canonical encoding")
	}
}

func TestCompileRefusesAWorkspaceWithErrors(t *testing.T) {
	dir := t.TempDir()
	writeWorkspaceFile(t, dir, "main.journey.hcl", `campaign "broken" {
  trigger "signup" {
    on   = form_submitted(form.nowhere)
    next = end.done
  }

  end "done" {}
}
`)
	out := filepath.Join(t.TempDir(), "plan.json")
	code, stdout, stderr := journeyRun(t, "compile", dir, "-o", out)
	if code != 1 {
		t.Fatalf("journey compile on a workspace with errors exited %d, want 1:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("a refused compile wrote to stdout:\n%s", stdout)
	}
	for _, want := range []string{"main.journey.hcl:3", "nowhere", "error", "has errors"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not show %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused compile wrote %s (stat: %v)", out, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*")); len(left) > 0 {
		t.Errorf("a refused compile left files behind: %v", left)
	}

	// The same refusal on stdout: nothing is printed there.
	code, stdout, _ = journeyRun(t, "compile", dir, "-o", "-")
	if code != 1 || stdout != "" {
		t.Errorf("journey compile -o - on errors: exit %d, stdout %q; want 1 and nothing", code, stdout)
	}
}

func TestCompileToStdout(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plan.json")
	if code, _, stderr := journeyRun(t, "compile", onboardingExample, "-o", file); code != 0 {
		t.Fatalf("journey compile -o FILE exited %d:\n%s", code, stderr)
	}
	written, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"compile", onboardingExample, "-o", "-"},
		{"compile", onboardingExample}, // stdout is the default
	} {
		code, stdout, stderr := journeyRun(t, args...)
		if code != 0 {
			t.Fatalf("journey %s exited %d:\n%s", strings.Join(args, " "), code, stderr)
		}
		if stdout != string(written) {
			t.Errorf("journey %s prints other bytes than -o FILE writes", strings.Join(args, " "))
		}
		if _, err := plan.Decode([]byte(stdout)); err != nil {
			t.Errorf("journey %s: plan.Decode: %v", strings.Join(args, " "), err)
		}
		if strings.Contains(stderr, "Wrote") {
			t.Errorf("journey %s claims to have written a file:\n%s", strings.Join(args, " "), stderr)
		}
	}
}

func TestCompileIsDeterministic(t *testing.T) {
	for _, example := range []string{"onboarding", "membership", "webinar"} {
		t.Run(example, func(t *testing.T) {
			src := filepath.Join("..", "..", "examples", example)
			var runs []string
			for i := 0; i < 2; i++ {
				code, stdout, stderr := journeyRun(t, "compile", src, "-o", "-")
				if code != 0 {
					t.Fatalf("journey compile exited %d:\n%s", code, stderr)
				}
				runs = append(runs, stdout)
			}
			if runs[0] != runs[1] {
				t.Fatalf("two compiles of %s differ", src)
			}
			// Two files written from two runs are byte for byte the same.
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
			for _, out := range []string{a, b} {
				if code, _, stderr := journeyRun(t, "compile", src, "-o", out); code != 0 {
					t.Fatalf("journey compile exited %d:\n%s", code, stderr)
				}
			}
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			if !bytes.Equal(da, db) || string(da) != runs[0] {
				t.Errorf("the plans written by two runs differ")
			}
		})
	}
}

func TestCompileUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	code, stdout, stderr := journeyRun(t, "compile", missing)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "does not exist") {
		t.Errorf("journey compile on a missing directory: exit %d, stdout %q, stderr %q; want 2 and a message", code, stdout, stderr)
	}
	code, _, stderr = journeyRun(t, "compile", onboardingExample, "-o", filepath.Join(missing, "plan.json"))
	if code == 0 || !strings.Contains(stderr, "cannot write") {
		t.Errorf("journey compile -o into a missing directory: exit %d, stderr %q; want a failure that says it cannot write", code, stderr)
	}
}

func TestCompileThroughASymlinkKeepsTheLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "deployed", "plan.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	writeWorkspaceFile(t, filepath.Dir(target), "plan.json", "the plan before\n")
	link := filepath.Join(dir, "current.json")
	if err := os.Symlink(filepath.Join("deployed", "plan.json"), link); err != nil {
		t.Fatal(err)
	}
	code, want, _ := journeyRun(t, "compile", onboardingExample)
	if code != 0 {
		t.Fatalf("journey compile exited %d", code)
	}
	if code, _, stderr := journeyRun(t, "compile", onboardingExample, "-o", link); code != 0 {
		t.Fatalf("journey compile -o LINK exited %d:\n%s", code, stderr)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symlink: the plan replaced the link instead of its target", link)
	}
	if got, _ := os.ReadFile(target); string(got) != want {
		t.Errorf("the link's target %s does not hold the plan", target)
	}
}

// Warnings stop neither a compile nor a test; the note about them counts
// them in words that agree with the count, the same in every command.
func TestWarningsAreCounted(t *testing.T) {
	dir := t.TempDir()
	writeWorkspaceFile(t, dir, "main.journey.hcl", `tag "lead" {}
tag "spare" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`)
	writeWorkspaceFile(t, dir, "main.journeytest.hcl", `scenario "enters" {
  campaign = campaign.c
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  expect {
    status = "ended"
  }
}
`)
	check := func(count, them string) {
		t.Helper()
		for _, command := range []string{"compile", "test"} {
			args := []string{command, dir}
			if command == "compile" {
				args = append(args, "-o", filepath.Join(t.TempDir(), "plan.json"))
			}
			code, _, stderr := journeyRun(t, args...)
			want := "journey " + command + ": " + count + " in " + dir + "; journey validate " + dir + " shows " + them + ".\n"
			if code != 0 || !strings.HasPrefix(stderr, want) {
				t.Errorf("journey %s: exit %d, stderr %q; want 0 and %q", command, code, stderr, want)
			}
		}
	}
	check("1 warning", "it")
	writeWorkspaceFile(t, dir, "more.journey.hcl", `tag "other" {}`+"\n")
	check("2 warnings", "them")
}
