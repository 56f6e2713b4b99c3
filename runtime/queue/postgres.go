package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// postgresLiveWhere is LiveTx's filter in PostgreSQL's JSON (River's args
// are jsonb there).
const postgresLiveWhere = "args ->> 'delivery_id' IN (SELECT jsonb_array_elements_text(@ids::jsonb))"

// riverMigrationLock is the advisory lock River's migrations run under:
// nodes starting at once migrate River's tables once (rivermigrate itself
// takes no lock).
const riverMigrationLock = 0x7269766572 // "river"

// OpenPostgres brings River's tables in db up to RiverSchemaVersion and
// returns a queue, not yet started, whose jobs handler works. db must be the
// pool of runtime/sqlstore's PostgreSQL store, and connURL its URL.
//
// River runs on db through its database/sql driver, so that a job is
// inserted and completed in the store's own *sql.Tx (EnqueueTx,
// Job.CompleteTx); LISTEN/NOTIFY, which database/sql cannot do, takes one
// pgx connection of its own (riverpgxv5's listener), from a small pool the
// queue opens on connURL and closes when it stops. Every node's queue
// shares the jobs: River's leader (one node, elected through the database)
// rescues jobs stuck after a crash and prunes completed ones.
func OpenPostgres(ctx context.Context, db *sql.DB, connURL string, handler Handler, opts Options) (Queue, error) {
	if handler == nil {
		return nil, errors.New("queue: no handler: give OpenPostgres the function that works a job")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := migratePostgres(ctx, db, opts); err != nil {
		return nil, err
	}
	poolConfig, err := pgxpool.ParseConfig(connURL)
	if err != nil {
		return nil, fmt.Errorf("queue: the PostgreSQL URL: %w", err)
	}
	// The listener hijacks one connection for good; nothing else uses the pool.
	poolConfig.MinConns, poolConfig.MaxConns = 0, 1
	listeners, err := pgxpool.NewWithConfig(ctx, poolConfig)
	if err != nil {
		return nil, fmt.Errorf("queue: the listener's connection: %w", err)
	}
	q, err := newRiverQueue(riverdatabasesql.NewWithPgxListener(db, listeners), handler, opts,
		completeTx[*riverdatabasesql.Driver], postgresLiveWhere)
	if err != nil {
		listeners.Close()
		return nil, err
	}
	q.stopped = listeners.Close
	return q, nil
}

// migratePostgres migrates River's tables under an advisory lock, held by
// a connection of its own: River's migrations each run in their own
// transaction (one adds a value to an enum that the next uses).
func migratePostgres(ctx context.Context, db *sql.DB, opts Options) error {
	migrator, err := rivermigrate.New(riverdatabasesql.New(db), &rivermigrate.Config{Logger: opts.Logger})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return fmt.Errorf("queue: waiting for another node's migration of River's tables: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrationLock)
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: RiverSchemaVersion}); err != nil {
		return fmt.Errorf("queue: migrating River's tables to version %d: %w", RiverSchemaVersion, err)
	}
	return nil
}
