// Package seed fills a journey database with many contacts standing on one
// element of a campaign, set-based, in seconds: what the apply benchmark
// and the crash test of an apply need (a million contacts through the
// engine would take an hour). The rows are the ones the engine writes for
// a contact that entered the campaign and waits on the element.
package seed

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Waiting adds n contacts (c1@example.com, ...; numbered after those the
// database has) enrolled in campaign and waiting on element since arrived,
// due at due, in one transaction.
func Waiting(ctx context.Context, db *sql.DB, campaign, element string, n int, arrived, due time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var first int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM contacts`).Scan(&first); err != nil {
		return err
	}
	statements := []struct {
		what string
		sql  string
		args []any
	}{
		{"contacts", `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
			INSERT INTO contacts (id, email, fields, created_at)
			SELECT i, 'c' || i || '@example.com', '{"email":"c' || i || '@example.com"}', ? FROM n`,
			[]any{first, first + int64(n) - 1, arrived.Unix()}},
		{"enrollments", `INSERT INTO enrollments (contact_id, kind, name, status, entered_at, entries)
			SELECT id, 'campaign', ?, 'active', ?, 1 FROM contacts WHERE id >= ? ORDER BY id`,
			[]any{campaign, arrived.Unix(), first}},
		{"tokens", `INSERT INTO tokens (enrollment_id, contact_id, element, state, due_at, arrived_at)
			SELECT id, contact_id, ?, 'waiting', ?, ? FROM enrollments WHERE contact_id >= ? ORDER BY id`,
			[]any{element, due.Unix(), arrived.Unix(), first}},
	}
	for _, st := range statements {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("seeding %s: %w", st.what, err)
		}
	}
	return tx.Commit()
}
