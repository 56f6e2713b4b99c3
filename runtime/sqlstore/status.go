package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

// Status is what journey status reads from the database: the waits due
// and not yet run, and the outbox by status.
type Status struct {
	// Due counts the waits due at or before the time asked about.
	Due int
	// OldestDue is the earliest due time among them; nil when none is due.
	OldestDue *time.Time
	// Deliveries counts the outbox's deliveries by status.
	Deliveries map[string]int
}

// Status counts the backlog at now and the outbox. The tokens_due and
// deliveries_status indexes answer both without reading a row.
func (s *Store) Status(ctx context.Context, now time.Time) (*Status, error) {
	out := &Status{Deliveries: map[string]int{}}
	var oldest sql.NullInt64
	err := s.db.QueryRowContext(ctx,
		s.Rebind(`SELECT COUNT(*), MIN(due_at) FROM tokens WHERE due_at IS NOT NULL AND due_at <= ?`), unix(now)).Scan(&out.Due, &oldest)
	if err != nil {
		return nil, err
	}
	if oldest.Valid {
		t := fromUnix(oldest.Int64)
		out.OldestDue = &t
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT status, COUNT(*) FROM deliveries GROUP BY status`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out.Deliveries[status] = n
	}
	return out, rows.Err()
}
