package queue_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// patience bounds every wait of these tests: reaching it fails the test,
// it never skips one. It is generous (a loaded machine is slow); nothing
// here should come near it but the crash test, which waits out River's
// leader lease (15 s) and its rescuer's first run.
const patience = 90 * time.Second

// call is one handler call as the test saw it.
type call struct {
	job queue.Job
	// ctxErr is the handler's context's error when it returned.
	ctxErr error
}

// calls collects handler calls.
type calls chan call

func newCalls() calls { return make(calls, 100) }

// next waits for the next call, failing the test after patience.
func (c calls) next(t *testing.T, what string) call {
	t.Helper()
	select {
	case got := <-c:
		return got
	case <-time.After(patience):
		t.Fatalf("%s: no handler call within %s", what, patience)
		return call{}
	}
}

// none fails the test if a call is waiting.
func (c calls) none(t *testing.T, what string) {
	t.Helper()
	select {
	case got := <-c:
		t.Fatalf("%s: unexpected handler call for delivery %d, attempt %d", what, got.job.DeliveryID, got.job.Attempt)
	default:
	}
}

// eachDB runs fn, in parallel, on a store on a new SQLite file and on a
// new PostgreSQL database (internal/pgtest).
func eachDB(t *testing.T, fn func(t *testing.T, store *sqlstore.Store)) {
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		fn(t, pgtest.Open(t, db.New(t)))
	})
}

// openStore opens a store on a new SQLite file.
func openStore(t *testing.T) (*sqlstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journey.db")
	return openStoreAt(t, path), path
}

func openStoreAt(t *testing.T, path string) *sqlstore.Store {
	t.Helper()
	return pgtest.Open(t, path)
}

// testOptions are the defaults but short retries, and a logger that shows
// River's warnings when the test fails.
func testOptions(t *testing.T) queue.Options {
	return queue.Options{RetryBase: 10 * time.Millisecond, Logger: testLogger(t)}
}

// openQueue opens a queue on the store, stopped when the test ends.
func openQueue(t *testing.T, store *sqlstore.Store, handler queue.Handler, opts queue.Options) queue.Queue {
	t.Helper()
	q, err := queue.Open(context.Background(), store, handler, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stopping the queue: %v", err)
		}
	})
	return q
}

func start(t *testing.T, q queue.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func stop(t *testing.T, q queue.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatalf("stopping the queue: %v", err)
	}
}

// enqueue enqueues deliveries in one store transaction, committed or
// rolled back.
func enqueue(t *testing.T, store *sqlstore.Store, q queue.Queue, commit bool, deliveryIDs ...int64) {
	t.Helper()
	ctx := context.Background()
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, id := range deliveryIDs {
		if err := q.EnqueueTx(ctx, tx, id); err != nil {
			t.Fatal(err)
		}
	}
	if commit {
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

// recording is a handler that reports its calls and answers with answer.
func recording(c calls, answer func(ctx context.Context, job *queue.Job) error) queue.Handler {
	return func(ctx context.Context, job *queue.Job) error {
		err := answer(ctx, job)
		c <- call{job: *job, ctxErr: ctx.Err()}
		return err
	}
}

// completing answers by completing the job in its own committed transaction,
// as the delivery worker does with the outcome.
func completing(store *sqlstore.Store) func(ctx context.Context, job *queue.Job) error {
	return func(ctx context.Context, job *queue.Job) error {
		tx, err := store.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := job.CompleteTx(ctx, tx); err != nil {
			return err
		}
		return tx.Commit()
	}
}

// jobState is the state River records for the delivery's job ("" when there
// is no job for it), and its attempt count.
func jobState(t *testing.T, store *sqlstore.Store, deliveryID int64) (state string, attempt int) {
	t.Helper()
	query := `SELECT state, attempt FROM river_job WHERE json_extract(args, '$.delivery_id') = ?`
	if store.Shared() {
		query = `SELECT state, attempt FROM river_job WHERE (args ->> 'delivery_id')::bigint = ?`
	}
	err := store.DB().QueryRow(store.Rebind(query), deliveryID).Scan(&state, &attempt)
	if err == sql.ErrNoRows {
		return "", 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return state, attempt
}

// waitState waits until the delivery's job is in state, failing the test
// after patience.
func waitState(t *testing.T, store *sqlstore.Store, deliveryID int64, want string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		got, _ := jobState(t, store, deliveryID)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery %d: its job is %q after %s, want %q", deliveryID, got, patience, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func depth(t *testing.T, q queue.Queue) int {
	t.Helper()
	n, err := q.Depth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testLogger keeps River's warnings and errors, and shows them if the test
// fails. It never writes to t itself: River may log from its goroutines
// after the test has ended.
func testLogger(t testing.TB) *slog.Logger {
	buf := &lockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("River's log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
