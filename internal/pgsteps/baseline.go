package pgsteps

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// baseline is the least a step can cost on PostgreSQL, the yardstick of
// the engine: a batch of due tokens claimed with FOR UPDATE SKIP LOCKED,
// then, per token, what a step must write (the token moved on, a timeline
// row, a delivery row), each a prepared statement over the same driver as
// the store (pgx through database/sql), one transaction per batch. It
// knows nothing of the plan, the contact, the enrollment, marketing-once
// or the queue: the engine's cost beyond it is what those take.
type baseline struct {
	db                            *sql.DB
	claim, moveToken, addTimeline *sql.Stmt
	addDelivery, nextDue          *sql.Stmt
	due                           int64
	batch                         int
	planHash                      string
}

func openBaseline(ctx context.Context, cfg NodeConfig) (*baseline, error) {
	pc, err := pgx.ParseConfig(cfg.DB)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*pc)
	// One transaction at a time, as a node's scheduler.
	db.SetMaxOpenConns(1)
	b := &baseline{db: db, due: cfg.Due.Unix(), batch: cfg.Batch,
		planHash: "sha256:" + fmt.Sprintf("%064d", 0)}
	prepare := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = db.PrepareContext(ctx, q)
		return st
	}
	b.claim = prepare(`SELECT id, contact_id FROM tokens WHERE due_at IS NOT NULL AND due_at <= $1
		ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`)
	b.moveToken = prepare(`UPDATE tokens SET element = $1, state = $2, due_at = NULL, arrived_at = $3, data = $4 WHERE id = $5`)
	b.addTimeline = prepare(`INSERT INTO timeline (contact_id, at, campaign, sequence, element, kind, outcome, detail, plan_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`)
	b.addDelivery = prepare(`INSERT INTO deliveries (contact_id, kind, asset, source, key, marketing, payload, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (contact_id, key) DO NOTHING RETURNING id`)
	b.nextDue = prepare(`SELECT MIN(due_at) FROM tokens WHERE due_at IS NOT NULL`)
	if err != nil {
		db.Close()
		return nil, err
	}
	return b, nil
}

func (b *baseline) close() { b.db.Close() }

// run claims and writes batches until nothing is due, pausing as the
// scheduler does when every due token is another node's.
func (b *baseline) run(ctx context.Context) (int, time.Time, error) {
	steps, last := 0, time.Time{}
	for {
		ran, err := b.step(ctx)
		if err != nil {
			return steps, last, err
		}
		if ran > 0 {
			steps, last = steps+ran, time.Now()
		}
		if ran == b.batch {
			continue
		}
		var next sql.NullInt64
		if err := b.nextDue.QueryRowContext(ctx).Scan(&next); err != nil {
			return steps, last, err
		}
		if !next.Valid || next.Int64 > b.due {
			return steps, last, nil
		}
		if ran == 0 {
			time.Sleep(idlePause)
		}
	}
}

// step runs one batch in one transaction.
func (b *baseline) step(ctx context.Context) (int, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.StmtContext(ctx, b.claim).QueryContext(ctx, b.due, b.batch)
	if err != nil {
		return 0, err
	}
	type claimed struct{ token, contact int64 }
	var batch []claimed
	for rows.Next() {
		var c claimed
		if err := rows.Scan(&c.token, &c.contact); err != nil {
			rows.Close()
			return 0, err
		}
		batch = append(batch, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	move, timeline, delivery := tx.StmtContext(ctx, b.moveToken), tx.StmtContext(ctx, b.addTimeline), tx.StmtContext(ctx, b.addDelivery)
	now := time.Now()
	for _, c := range batch {
		if _, err := move.ExecContext(ctx, "news", "done", b.due, "{}", c.token); err != nil {
			return 0, err
		}
		if _, err := timeline.ExecContext(ctx, c.contact, b.due, "proof", "", "due_minute", "wait", "waited", nil, b.planHash); err != nil {
			return 0, err
		}
		id := strconv.FormatInt(c.contact, 10)
		key := id + "/proof/news/000000000000/1/" + strconv.FormatInt(now.UnixNano(), 10)
		payload := `{"body":"Hi Contact` + id + `, here is what is new at Acme this month.","from":"news@acme.example","subject":"Acme news for Contact` +
			id + `","to":"c` + id + `@example.com"}`
		var deliveryID int64
		if err := delivery.QueryRowContext(ctx, c.contact, "email", "news", "proof/news", key, 1, payload, "pending", now.Unix()).Scan(&deliveryID); err != nil {
			return 0, err
		}
	}
	return len(batch), tx.Commit()
}
