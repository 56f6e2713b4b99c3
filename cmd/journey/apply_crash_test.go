package main

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/validate"
)

// crashContacts is how many contacts the crashed apply migrates.
const crashContacts = 100_000

const crashWorkspace = `
account {
  time_zone = "America/New_York"
}
tag "attended" {}
campaign "webinar" {
  trigger "attended" {
    on   = tag_added(tag.attended)
    next = wait.two_days
  }
  wait "two_days" {
    for  = "2d"
    next = end.done
  }
  end "done" {}
}
`

// A journey server killed with SIGKILL in the middle of an apply that
// recomputes the due times of 100,000 contacts comes back with the old
// deployment and every contact as it was, or the new deployment and every
// contact migrated: never some of each.
func TestApplyKilledMidTransactionLeavesOneVersion(t *testing.T) {
	if os.Getenv("JOURNEY_CRASH") == "" {
		t.Skip("a crash test (builds journey, seeds 100,000 contacts, kills the server): JOURNEY_CRASH=1 runs it, as .ci/run does")
	}
	dir := t.TempDir()
	// Both built without the race detector: under it, seeding 100,000
	// contacts in SQLite takes minutes.
	bin, seeder := filepath.Join(dir, "journey"), filepath.Join(dir, "journey-seed")
	for _, b := range [][2]string{{bin, "."}, {seeder, "../../internal/seed/journey-seed"}} {
		if out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", b[1], err, out)
		}
	}
	db := filepath.Join(dir, "journey.db")
	v1 := compileSource(t, crashWorkspace)
	v2 := compileSource(t, strings.Replace(crashWorkspace, `for  = "2d"`, `for  = "3d"`, 1))
	arrived := time.Now().Add(-time.Hour).Truncate(time.Second)
	oldDue, newDue := arrived.Add(48*time.Hour), arrived.Add(72*time.Hour)
	seedDatabase(t, seeder, db, v1, arrived, oldDue)

	srv := startServerProcess(t, bin, db)
	file, err := plan.EncodeFile(&plan.File{FormatVersion: plan.FormatVersion, ToolVersion: "test", Plan: v2,
		Options: plan.ApplyOptions{RecomputeWaits: true}, Against: plan.Against{Hash: v1.Hash, Serial: ptr(int64(1)), Source: srv.url}})
	if err != nil {
		t.Fatal(err)
	}
	applied := make(chan error, 1)
	go func() {
		_, err := srv.client.Apply(context.Background(), file)
		applied <- err
	}()
	srv.waitLog("applying a plan")
	// The recomputation visits each contact: a second in, the apply is
	// well inside its transaction.
	time.Sleep(time.Second)
	select {
	case err := <-applied:
		t.Fatalf("the apply ended (%v) before the kill: the crash would not be mid-transaction; give it more contacts", err)
	default:
	}
	if err := srv.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	if err := <-applied; err == nil {
		t.Fatal("the apply answered 201 though its server was killed mid-transaction")
	}

	// Restarted, the server runs one of the two versions, and the
	// contacts are all on it.
	again := startServerProcess(t, bin, db)
	d, err := again.client.Deployment(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dues, recomputed := contactsState(t, db)
	want := map[int64]int{oldDue.Unix(): crashContacts}
	wantRecomputed := 0
	switch d.Serial {
	case 1:
	case 2:
		want, wantRecomputed = map[int64]int{newDue.Unix(): crashContacts}, crashContacts
	default:
		t.Fatalf("after the crash the server runs deployment %d; want 1 (old) or 2 (new)", d.Serial)
	}
	if len(dues) != 1 || dues[oldDue.Unix()] != want[oldDue.Unix()] || dues[newDue.Unix()] != want[newDue.Unix()] || recomputed != wantRecomputed {
		t.Errorf("deployment %d runs, and the contacts' due times are %v with %d recomputed on their timelines: a mix of versions (old due %d, new due %d)",
			d.Serial, dues, recomputed, oldDue.Unix(), newDue.Unix())
	}
	t.Logf("the server came back with deployment %d, every contact on it", d.Serial)
}

func ptr[T any](v T) *T { return &v }

func compileSource(t *testing.T, src string) *plan.Plan {
	t.Helper()
	res, err := validate.Dir(fstest.MapFS{"main.journey.hcl": {Data: []byte(src)}}, ".", validate.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// seedDatabase records v1 as deployment 1 of a new database at path, with
// crashContacts contacts waiting on webinar/two_days until due, by the
// seeder.
func seedDatabase(t *testing.T, seeder, path string, v1 *plan.Plan, arrived, due time.Time) {
	t.Helper()
	data, err := plan.Encode(v1)
	if err != nil {
		t.Fatal(err)
	}
	planPath := filepath.Join(t.TempDir(), "v1.json")
	if err := os.WriteFile(planPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(seeder, "-db", path, "-plan", planPath, "-campaign", "webinar", "-element", "two_days",
		"-contacts", strconv.Itoa(crashContacts), "-arrived", strconv.FormatInt(arrived.Unix(), 10), "-due", strconv.FormatInt(due.Unix(), 10))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("seeding: %v\n%s", err, out)
	}
}

// contactsState reads, from the database itself, the due times of the
// positions on the wait (how many at each) and how many timeline entries
// say a due time was recomputed.
func contactsState(t *testing.T, path string) (map[int64]int, int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT due_at, COUNT(*) FROM tokens WHERE element = 'two_days' GROUP BY due_at`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	dues := map[int64]int{}
	for rows.Next() {
		var due int64
		var n int
		if err := rows.Scan(&due, &n); err != nil {
			t.Fatal(err)
		}
		dues[due] = n
	}
	var recomputed int
	if err := db.QueryRow(`SELECT COUNT(*) FROM timeline WHERE outcome = 'due time recomputed by the new plan'`).Scan(&recomputed); err != nil {
		t.Fatal(err)
	}
	return dues, recomputed
}

// serverProcess is journey server run as its own process, as an operator
// runs it, so that it can be killed.
type serverProcess struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	client *api.Client
	lines  chan string
}

func startServerProcess(t *testing.T, bin, db string) *serverProcess {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command(bin, "server", "--db", db, "--listen", "127.0.0.1:0", "--ready-file", ready)
	cmd.Env = append(os.Environ(), "JOURNEY_TOKEN="+walkToken)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &serverProcess{t: t, cmd: cmd, lines: make(chan string, 1024)}
	exited := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			select {
			case s.lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := waitForFile(t, ready, exited, &lockedWriter{})
	s.url = "http://" + addr
	s.client = &api.Client{BaseURL: s.url, Token: walkToken, HTTP: &http.Client{Timeout: serverPatience}}
	return s
}

// waitLog waits for a line of the server's log that holds text.
func (s *serverProcess) waitLog(text string) {
	s.t.Helper()
	deadline := time.After(serverPatience)
	for {
		select {
		case line := <-s.lines:
			if strings.Contains(line, text) {
				return
			}
		case <-deadline:
			s.t.Fatalf("the server's log did not say %q within %s", text, serverPatience)
		}
	}
}
