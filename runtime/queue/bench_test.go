package queue_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// BenchmarkTrivialJobs measures River's own rate on SQLite: b.N jobs that do
// nothing but complete in their own store transaction, enqueued before the
// clock starts, worked from Start to the last completion. The server's
// deliveries a second compare with it. The sub-benchmarks are the queue's
// defaults and the FetchCooldown trade-off (docs/queue.md has the figures):
//
//	go test -run '^$' -bench BenchmarkTrivialJobs -benchtime 20000x ./runtime/queue/
func BenchmarkTrivialJobs(b *testing.B) {
	b.Run("defaults", func(b *testing.B) { benchmarkTrivialJobs(b, queue.Options{}) })
	for _, cooldown := range []time.Duration{100 * time.Millisecond, 10 * time.Millisecond, 5 * time.Millisecond, time.Millisecond} {
		b.Run(fmt.Sprintf("cooldown=%s", cooldown), func(b *testing.B) {
			benchmarkTrivialJobs(b, queue.Options{FetchCooldown: cooldown, FetchPollInterval: max(cooldown, queue.DefaultFetchPollInterval)})
		})
	}
}

func benchmarkTrivialJobs(b *testing.B, opts queue.Options) {
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "journey.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	var done atomic.Int64
	finished := make(chan struct{})
	opts.Logger = testLogger(b)
	q, err := queue.OpenSQLite(ctx, store.DB(), func(ctx context.Context, job *queue.Job) error {
		tx, err := store.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := job.CompleteTx(ctx, tx); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if done.Add(1) == int64(b.N) {
			close(finished)
		}
		return nil
	}, opts)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 100
	for first := 0; first < b.N; first += batch {
		tx, err := store.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for id := first; id < min(first+batch, b.N); id++ {
			if err := q.EnqueueTx(ctx, tx, int64(id+1)); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	if err := q.Start(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case <-finished:
	case <-time.After(10 * time.Minute):
		b.Fatalf("%d of %d jobs done after 10 minutes", done.Load(), b.N)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	if err := q.Stop(ctx); err != nil {
		b.Fatal(err)
	}
}
