package queue_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// crashEnv names the database a re-run of this test binary works on until
// it is killed (see crashingProcess).
const crashEnv = "JOURNEY_QUEUE_TEST_CRASH_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashEnv); path != "" {
		crashingProcess(path)
		return
	}
	os.Exit(m.Run())
}

// crashingProcess enqueues delivery 1 on the database at path, starts a queue
// whose handler says "running" and never returns, and waits to be killed.
func crashingProcess(path string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Whatever becomes of the test, this process does not outlive it long.
	time.AfterFunc(2*patience, func() { os.Exit(3) })
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, path, sqlstore.Options{})
	if err != nil {
		fail(err)
	}
	q, err := queue.Open(ctx, store, func(ctx context.Context, job *queue.Job) error {
		fmt.Printf("running %d\n", job.DeliveryID)
		select {}
	}, queue.Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		fail(err)
	}
	tx, err := store.Begin(ctx)
	if err != nil {
		fail(err)
	}
	if err := q.EnqueueTx(ctx, tx, 1); err != nil {
		fail(err)
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
	if err := q.Start(ctx); err != nil {
		fail(err)
	}
	select {}
}

func TestJobInterruptedByCrashRunsAgain(t *testing.T) {
	if os.Getenv("JOURNEY_CRASH") == "" {
		t.Skip("a crash test (about 20 s, River's leader lease must run out): JOURNEY_CRASH=1 runs it, as .ci/run does")
	}
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		crashAndRecover(t, db.New(t))
	})
}

// crashAndRecover kills a process working a job on the database at path
// (a SQLite file or a PostgreSQL URL), and checks that the job runs again.
func crashAndRecover(t *testing.T, path string) {

	crashing := exec.Command(os.Args[0], "-test.run=^$")
	crashing.Env = append(os.Environ(), crashEnv+"="+path)
	crashing.Stderr = os.Stderr
	out, err := crashing.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := crashing.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(out)
		scanner.Scan()
		lines <- scanner.Text()
	}()
	select {
	case line := <-lines:
		if line != "running 1" {
			t.Fatalf("the crashing process said %q, want \"running 1\"", line)
		}
	case <-time.After(patience):
		crashing.Process.Kill()
		t.Fatalf("the crashing process did not start its job within %s", patience)
	}
	if err := crashing.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	crashing.Wait()

	store := openStoreAt(t, path)
	if state, attempt := jobState(t, store, 1); state != "running" || attempt != 1 {
		t.Fatalf("after the crash the job is %q with %d attempts, want running with 1", state, attempt)
	}
	c := newCalls()
	opts := testOptions(t)
	opts.JobTimeout = 500 * time.Millisecond
	opts.RescueStuckJobsAfter = time.Second
	q := openQueue(t, store, recording(c, completing(store)), opts)
	start(t, q)

	// River's rescuer runs on the leader, once the crashed process's lease
	// (15 s) has run out.
	got := c.next(t, "the job interrupted by the crash")
	if got.job.DeliveryID != 1 || got.job.Attempt != 2 {
		t.Errorf("after the crash: delivery %d attempt %d, want delivery 1 attempt 2 (the crashed attempt counts)", got.job.DeliveryID, got.job.Attempt)
	}
	waitState(t, store, 1, "completed")
}
