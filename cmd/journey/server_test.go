package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// serverPatience bounds every wait of the server's tests: reaching it
// fails the test. Nothing here comes near it.
const serverPatience = 60 * time.Second

// lockedWriter is a command's output, written from its goroutines.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// inProcessServer is journey server run by the CLI in this process, in the
// working directory, with an environment of its own.
type inProcessServer struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan int
	stdout *lockedWriter
	stderr *lockedWriter
	addr   string
}

func startInProcess(t *testing.T, env map[string]string, args ...string) *inProcessServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &inProcessServer{t: t, cancel: cancel, done: make(chan int, 1), stdout: &lockedWriter{}, stderr: &lockedWriter{}}
	cli := NewCLI(nil, s.stdout, s.stderr)
	cli.Getenv = func(k string) string { return env[k] }
	go func() { s.done <- cli.Run(ctx, append([]string{"server"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(serverPatience):
			t.Errorf("journey server did not stop within %s of its context ending", serverPatience)
		}
	})
	return s
}

// waitReady waits for the ready file and reads the address from it.
func (s *inProcessServer) waitReady(file string) {
	s.t.Helper()
	s.addr = waitForFile(s.t, file, s.done, s.stderr)
}

// stop cancels the command's context, as a signal does, and returns its
// exit code.
func (s *inProcessServer) stop() int {
	s.t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(serverPatience):
		s.t.Fatalf("journey server did not stop within %s; its log:\n%s", serverPatience, s.stderr)
		return -1
	}
}

// waitForFile waits until file holds a line, failing the test if exited
// says the server ended first.
func waitForFile(t *testing.T, file string, exited chan int, log fmt.Stringer) string {
	t.Helper()
	deadline := time.Now().Add(serverPatience)
	for {
		if data, err := os.ReadFile(file); err == nil && strings.HasSuffix(string(data), "\n") {
			return strings.TrimSpace(string(data))
		}
		select {
		case code := <-exited:
			exited <- code
			t.Fatalf("journey server exited with status %d before it was ready:\n%s", code, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file after %s; the log:\n%s", serverPatience, log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// get requests a path of the API with the token, returning the status and
// body.
func get(t *testing.T, addr, token, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: serverPatience}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServerCommandRunsInTheWorkingDirectoryUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := startInProcess(t, nil, "--listen", "127.0.0.1:0", "--ready-file", "ready")
	s.waitReady("ready")

	if code, body := get(t, s.addr, "", "/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("GET /healthz: %d %s", code, body)
	}
	// The token was made in the working directory, beside journey.db,
	// and printed once.
	token, err := os.ReadFile(filepath.Join(dir, "journey.token"))
	if err != nil {
		t.Fatalf("no journey.token beside the database: %v", err)
	}
	tok := strings.TrimSpace(string(token))
	if n := strings.Count(s.stderr.String(), tok); n != 1 {
		t.Errorf("the token shows %d times on stderr, want once", n)
	}
	if code, body := get(t, s.addr, tok, "/v1/deployment"); code != 404 || !strings.Contains(body, "no_deployment") {
		t.Errorf("GET /v1/deployment with no plan: %d %s", code, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "journey.db")); err != nil {
		t.Errorf("no journey.db in the working directory: %v", err)
	}
	if code := s.stop(); code != 0 {
		t.Errorf("journey server exited %d after its context ended, want 0:\n%s", code, s.stderr)
	}
	for _, want := range []string{"journey server ready", "stopping the API", "journey server stopped"} {
		if !strings.Contains(s.stderr.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, s.stderr)
		}
	}
	if strings.Contains(s.stderr.String(), "level=ERROR") {
		t.Errorf("errors in the log:\n%s", s.stderr)
	}
}

func TestServerCommandReadsItsConfigFileAndFlagsOverrideIt(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeWorkspaceFile(t, dir, "journey.server.hcl", `
db         = "data/from-the-file.db"
listen     = "127.0.0.1:1"
log_format = "json"
`)
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := startInProcess(t, map[string]string{"JOURNEY_TOKEN": "env-token-0123456789"},
		"--listen", "127.0.0.1:0", "--ready-file", "ready")
	s.waitReady("ready")
	if _, err := os.Stat(filepath.Join(dir, "data", "from-the-file.db")); err != nil {
		t.Errorf("the database is not where the file puts it: %v", err)
	}
	if code, _ := get(t, s.addr, "env-token-0123456789", "/v1/campaigns"); code == 401 {
		t.Errorf("JOURNEY_TOKEN's token was refused")
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "journey.token")); err == nil {
		t.Errorf("a token file was made although JOURNEY_TOKEN is set")
	}
	if code := s.stop(); code != 0 {
		t.Errorf("exit %d:\n%s", code, s.stderr)
	}
	// log_format = "json": every log line is a JSON object.
	read := false
	for _, line := range strings.Split(strings.TrimSpace(s.stderr.String()), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Errorf("a log line is not JSON: %q", line)
		}
		read = read || (obj["msg"] == "configuration read" && obj["file"] == "journey.server.hcl")
	}
	if !read {
		t.Errorf("the log does not say which configuration file was read:\n%s", s.stderr)
	}
}

func TestServerCommandConfigProblemsNameTheirLine(t *testing.T) {
	dir := t.TempDir()
	writeWorkspaceFile(t, dir, "server.hcl", `smtp {
  host     = "smtp.example.com"
  password = "hunter2"
}
`)
	code, _, stderr := journeyRun(t, "server", "--config", filepath.Join(dir, "server.hcl"), "--db", filepath.Join(dir, "journey.db"))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := filepath.Join(dir, "server.hcl") + ":3:3: A secret written in the configuration file: smtp.password"
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "password_env") {
		t.Errorf("stderr does not say %q and what to write instead:\n%s", want, stderr)
	}
	if strings.Contains(stderr, "hunter2") {
		t.Errorf("stderr repeats the secret:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "journey.db")); err == nil {
		t.Errorf("the server opened its database despite the configuration's errors")
	}

	code, _, stderr = journeyRun(t, "server", "--config", filepath.Join(dir, "missing.hcl"))
	if code != 1 || !strings.Contains(stderr, "missing.hcl") || !strings.Contains(stderr, "--config") {
		t.Errorf("a --config file that does not exist: exit %d:\n%s", code, stderr)
	}
	code, _, stderr = journeyRun(t, "server", "--log-format", "xml")
	if code != 2 || !strings.Contains(stderr, `unknown log format "xml"`) {
		t.Errorf("--log-format xml: exit %d:\n%s", code, stderr)
	}
}

func TestServerHelpShowsExamples(t *testing.T) {
	code, stdout, _ := journeyRun(t, "server", "--help")
	for _, want := range []string{"--plan", "--db", "--listen", "--config", "--log-format", "--ready-file", "journey server --plan plan.json", "JOURNEY_TOKEN", "docs/server.md"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("journey server --help (exit %d) does not show %q", code, want)
		}
	}
}

// hookWorkspace calls a webhook when a contact is tagged.
func hookWorkspace(url string) string {
	return `
account {
  time_zone = "UTC"
}

tag "crm" {}

webhook "crm" {
  url = "` + url + `"
}

campaign "crm" {
  trigger "tagged" {
    on   = tag_added(tag.crm)
    next = webhook.crm
  }
  webhook "crm" {
    webhook = webhook.crm
    next    = end.done
  }
  end "done" {}
}
`
}

// TestServerBinaryStopsCleanlyOnSIGTERM builds journey, runs journey server
// as a process, sends it SIGTERM while a delivery is on the wire, and
// checks that it exits 0 with no job left running and the delivery's
// attempt recorded.
func TestServerBinaryStopsCleanlyOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "journey")
	gobin := filepath.Join(goruntime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const secret = "0123456789abcdef0123456789abcdef"
	hooks, err := sinks.StartHTTP(sinks.HTTPOptions{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	defer hooks.Close()
	hooks.RespondAll(sinks.Response{Stall: true}) // the receiver hangs

	ws := filepath.Join(dir, "ws")
	if err := os.Mkdir(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	writeWorkspaceFile(t, ws, "main.journey.hcl", hookWorkspace(hooks.URL()+"/hook"))
	if out, err := exec.Command(bin, "compile", ws, "-o", filepath.Join(dir, "plan.json")).CombinedOutput(); err != nil {
		t.Fatalf("journey compile: %v\n%s", err, out)
	}
	writeWorkspaceFile(t, dir, "journey.server.hcl", `
webhook {
  secret_env = "WEBHOOK_SECRET"
  timeout    = "3s"
}
`)
	var stderr lockedWriter
	cmd := exec.Command(bin, "server", "--plan", "plan.json", "--listen", "127.0.0.1:0", "--ready-file", "ready")
	cmd.Dir, cmd.Stderr = dir, &stderr
	cmd.Env = append(os.Environ(), "WEBHOOK_SECRET="+secret, "JOURNEY_TOKEN=binary-test-token-0123")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() {
		cmd.Wait()
		exited <- cmd.ProcessState.ExitCode()
	}()
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
		}
	}()
	addr := waitForFile(t, filepath.Join(dir, "ready"), exited, &stderr)

	req, err := http.NewRequest("POST", "http://"+addr+"/v1/events",
		strings.NewReader(`{"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "crm"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer binary-test-token-0123")
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: serverPatience}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /v1/events: %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), serverPatience)
	defer cancel()
	if _, err := hooks.WaitRequests(ctx, 1); err != nil {
		t.Fatalf("the webhook was not called: %v\n%s", err, stderr.String())
	}

	// The webhook's call is on the wire: stop the server.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("journey server exited %d after SIGTERM, want 0:\n%s", code, stderr.String())
		}
	case <-time.After(serverPatience):
		t.Fatalf("journey server did not exit within %s of SIGTERM:\n%s", serverPatience, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		t.Errorf("the ready file outlived the server")
	}

	store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(dir, "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	db := store.DB()
	var running int
	if err := db.QueryRow(`SELECT COUNT(*) FROM river_job WHERE state = 'running'`).Scan(&running); err != nil {
		t.Fatal(err)
	}
	if running != 0 {
		t.Errorf("%d River jobs left running after the server stopped", running)
	}
	var status, lastError string
	var attempts int
	err = db.QueryRow(`SELECT status, attempts, last_error FROM deliveries`).Scan(&status, &attempts, &lastError)
	if err == sql.ErrNoRows || err != nil {
		t.Fatalf("the webhook's delivery: %v", err)
	}
	if status != "pending" || attempts != 1 || lastError == "" {
		t.Errorf("the delivery cut by the stop is %s after %d attempts (%q); want pending, its attempt and error recorded, to be tried again", status, attempts, lastError)
	}
	log := stderr.String()
	for _, stage := range []string{"shutting down", "stopping the API", "stopping the scheduler", "stopping the delivery queue", "closing the database", "journey server stopped"} {
		if !strings.Contains(log, stage) {
			t.Errorf("the log does not say %q:\n%s", stage, log)
		}
	}
}
