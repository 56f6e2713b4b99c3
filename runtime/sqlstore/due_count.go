package sqlstore

import (
	"context"
	"time"
)

// DueCount counts the waits due at or before t: at the scheduler's now,
// the steps that are late (journey server's journey_due_backlog).
func (s *Store) DueCount(ctx context.Context, t time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM tokens WHERE due_at IS NOT NULL AND due_at <= ?`), unix(t)).Scan(&n)
	return n, err
}
