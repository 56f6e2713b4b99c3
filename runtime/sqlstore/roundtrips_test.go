package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// statementCounter is a pgx tracer counting the statements sent to
// PostgreSQL: on a network database each is a round trip, and a step's
// round trips bound how many steps a node runs a second.
type statementCounter struct {
	mu  sync.Mutex
	sql []string
}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sql = append(c.sql, data.SQL)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the statements counted since the last take.
func (c *statementCounter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.sql
	c.sql = nil
	return out
}

// A step's timeline entries (a handful: "waited", "sent", "ended"...) go
// to PostgreSQL in one statement, and any number of entries in one
// statement per eight, in the order written.
func TestTimelineEntriesGoInOneStatementPerEight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counter := &statementCounter{}
	store, err := sqlstore.OpenPostgresTraced(ctx, pgtest.NewURL(t), counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 2, 3, 5, 7, 8, 9, 11, 17} {
		tx, err := store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := &runtime.Contact{Fields: map[string]any{"email": fmt.Sprintf("n%d@example.com", n)}, CreatedAt: at}
		if err := tx.CreateContact(c); err != nil {
			t.Fatal(err)
		}
		var entries []runtime.TimelineEntry
		for i := range n {
			entries = append(entries, runtime.TimelineEntry{ContactID: c.ID, At: at.Add(time.Duration(i) * time.Minute),
				Campaign: "c", Element: fmt.Sprintf("e%d", i), Kind: "wait", Outcome: "waited", PlanHash: "sha256:00"})
		}
		counter.take()
		if err := tx.AddTimeline(entries); err != nil {
			t.Fatal(err)
		}
		if got, want := len(counter.take()), (n+7)/8; got != want {
			t.Errorf("%d timeline entries took %d statements, want %d", n, got, want)
		}
		stored, err := tx.Timeline(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(stored, entries, func(a, b runtime.TimelineEntry) bool {
			return a.Element == b.Element && a.At.Equal(b.At)
		}) {
			t.Errorf("%d timeline entries came back as %+v", n, stored)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
}
