package nodeproof

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// monitor is the proof's own connection to the database: it watches the
// run and reads the outcome, and writes nothing.
type monitor struct {
	conn *pgx.Conn
}

func openMonitor(ctx context.Context, url string) (*monitor, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connecting to the proof's database: %w", err)
	}
	return &monitor{conn: conn}, nil
}

func (m *monitor) close() { m.conn.Close(context.Background()) }

// count runs a query of one number.
func (m *monitor) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	if err := m.conn.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %w", query, err)
	}
	return n, nil
}

// progress is where the run stands.
type progress struct {
	// backlog: due waits not yet run. open: deliveries pending or
	// sending. jobs: River jobs still to run (waiting, retrying or
	// running).
	backlog, open, jobs int
}

func (p progress) settled() bool { return p.backlog == 0 && p.open == 0 && p.jobs == 0 }

func (m *monitor) progress(ctx context.Context, due int64) (progress, error) {
	var p progress
	err := m.conn.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM tokens WHERE due_at IS NOT NULL AND due_at <= $1),
		(SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'sending')),
		(SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'pending', 'retryable', 'running', 'scheduled'))`, due).
		Scan(&p.backlog, &p.open, &p.jobs)
	return p, err
}

// sessions counts the database sessions of an application_name.
func (m *monitor) sessions(ctx context.Context, app string) (int, error) {
	return m.count(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, app)
}
