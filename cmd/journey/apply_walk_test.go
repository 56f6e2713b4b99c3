package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/server"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// walkStart is the time of docs/apply.md's walk: the server's clock stands
// still there, so that every time the walk prints is the same each run.
var walkStart = time.Date(2026, 6, 10, 17, 37, 0, 0, time.UTC)

const walkToken = "walk-3f9a1c77e2b54d0c8a61b0e1"

// TestApplyWalk runs docs/apply.md's walk as a reader pastes it, from the
// repository's root, against a journey server running
// examples/onboarding's plan (in process, its clock standing at
// walkStart): every command of every ```console block, in order, must
// print what the page shows ("..." standing for any lines, sha256: for
// any hash, the server's address shows as http://127.0.0.1:8080).
// journey commands run in process with JOURNEY_SERVER and
// JOURNEY_TOKEN set as the page says; the others run in bash, /tmp/
// standing for a directory of the test's own. The ```diff block must be
// docs/apply-walk.patch, which the walk applies.
func TestApplyWalk(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(root, "docs", "apply.md"))
	if err != nil {
		t.Fatal(err)
	}
	patch, err := os.ReadFile(filepath.Join(root, "docs", "apply-walk.patch"))
	if err != nil {
		t.Fatal(err)
	}
	if shown := fencedBlock(string(page), "diff"); shown != string(patch) {
		t.Errorf("docs/apply.md's ```diff block is not docs/apply-walk.patch, which the walk applies:\n%s", shown)
	}
	blocks := consoleBlocks(string(page))
	if len(blocks) == 0 {
		t.Fatal("docs/apply.md has no ```console block: the walk test would test nothing")
	}
	url := startWalkServer(t, filepath.Join(root, "examples", "onboarding", "plan.json"))
	env := map[string]string{"JOURNEY_SERVER": url, "JOURNEY_TOKEN": walkToken, "NO_COLOR": "1"}
	tmp := t.TempDir()
	for _, b := range blocks {
		for _, c := range b.commands {
			text := strings.ReplaceAll(c.text, "/tmp/", tmp+"/")
			var got string
			if rest, ok := strings.CutPrefix(text, "journey "); ok {
				got = runJourney(t, c.line, os.Expand(rest, func(k string) string { return env[k] }), env)
			} else {
				cmd := exec.Command("bash", "-c", text)
				cmd.Dir = root
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				cmd.Env = append(os.Environ(), cmd.Env...)
				out, _ := cmd.CombinedOutput()
				got = string(out)
			}
			got = strings.ReplaceAll(strings.ReplaceAll(got, tmp+"/", "/tmp/"), url, "http://127.0.0.1:8080")
			if !outputMatches(c.want, splitLines(got), false) {
				t.Errorf("docs/apply.md:%d: $ %s\nthe page shows:\n%s\nthe command prints:\n%s", c.line, c.text, strings.Join(c.want, "\n"), got)
			}
		}
	}
}

// runJourney runs one journey command line of the walk in process, its
// stdout and stderr interleaved as a terminal shows them.
func runJourney(t *testing.T, line int, args string, env map[string]string) string {
	t.Helper()
	if strings.ContainsAny(args, `'"\`) {
		t.Fatalf("docs/apply.md:%d: the walk's journey commands take no quotes (the test splits them on spaces): %s", line, args)
	}
	var out lockedWriter
	cli := NewCLI(nil, &out, &out)
	cli.Getenv = func(k string) string { return env[k] }
	cli.Now = func() time.Time { return walkStart }
	cli.Run(context.Background(), strings.Fields(args))
	return out.String()
}

// startWalkServer serves a journey server on 127.0.0.1 that runs the plan
// at planPath (recorded as deployment 1), its clock standing at walkStart.
func startWalkServer(t *testing.T, planPath string) string {
	t.Helper()
	data, err := os.ReadFile(planPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	dep, err := server.RecordDeployment(context.Background(), store, prog, "journey server --plan", walkStart)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Store: store, Deployment: dep, Token: walkToken,
		Clock: runtime.NewVirtualClock(walkStart), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// fencedBlock is the first ```LANG block of a Markdown text, its lines
// each ending in a newline.
func fencedBlock(md, lang string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+lang:
			in = true
		case in && strings.TrimSpace(line) == "```":
			return b.String()
		case in:
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}
