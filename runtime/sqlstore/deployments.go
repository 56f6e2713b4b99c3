package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Deployment is a plan version the store has run: its serial (one more
// per apply), the plan's hash, the plan itself (canonical JSON), and when
// it was deployed.
type Deployment struct {
	Serial    int64
	Hash      string
	Plan      []byte
	AppliedAt time.Time
}

// CurrentDeployment is the deployment with the highest serial, or nil when
// the store has run none.
func (s *Store) CurrentDeployment(ctx context.Context) (*Deployment, error) {
	return currentDeployment(ctx, s.db)
}

// FirstDeployment records the plan as deployment serial 1 when the store
// has none, in one transaction, and returns the current deployment:
// the new one (true), or the one the store had (false), whatever its plan.
func (s *Store) FirstDeployment(ctx context.Context, hash string, plan []byte, at time.Time) (*Deployment, bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	current, err := currentDeployment(ctx, tx)
	if err != nil || current != nil {
		return current, false, err
	}
	d := &Deployment{Serial: 1, Hash: hash, Plan: plan, AppliedAt: at.Truncate(time.Second).UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO deployments (serial, hash, plan, applied_at) VALUES (?, ?, ?, ?)`,
		d.Serial, d.Hash, string(d.Plan), unix(d.AppliedAt)); err != nil {
		return nil, false, err
	}
	return d, true, tx.Commit()
}

func currentDeployment(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) (*Deployment, error) {
	var d Deployment
	var plan string
	var applied int64
	err := q.QueryRowContext(ctx, `SELECT serial, hash, plan, applied_at FROM deployments ORDER BY serial DESC LIMIT 1`).
		Scan(&d.Serial, &d.Hash, &plan, &applied)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.Plan, d.AppliedAt = []byte(plan), fromUnix(applied)
	return &d, nil
}
