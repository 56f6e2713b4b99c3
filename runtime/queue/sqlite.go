package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// sqliteLiveWhere is LiveTx's filter in SQLite's JSON.
const sqliteLiveWhere = "args ->> '$.delivery_id' IN (SELECT value FROM json_each(@ids))"

// OpenSQLite brings River's tables in db up to RiverSchemaVersion and
// returns a queue, not yet started, whose jobs handler works. db must be the
// database of runtime/sqlstore's store (OpenSQLite there), with its one
// open connection: River's SQLite driver needs it, and the store's
// transactions and River's queries then take turns on it.
func OpenSQLite(ctx context.Context, db *sql.DB, handler Handler, opts Options) (Queue, error) {
	if handler == nil {
		return nil, errors.New("queue: no handler: give OpenSQLite the function that works a job")
	}
	if n := db.Stats().MaxOpenConnections; n != 1 {
		many := strconv.Itoa(n)
		if n <= 0 {
			many = "any number of"
		}
		return nil, fmt.Errorf("queue: the SQLite database may have %s open connections; River's SQLite driver needs one (db.SetMaxOpenConns(1), as runtime/sqlstore.OpenSQLite sets)", many)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := migrateSQLite(ctx, db, opts); err != nil {
		return nil, err
	}
	return newRiverQueue(riversqlite.New(db), handler, opts, completeTx[*riversqlite.Driver], sqliteLiveWhere)
}

// migrateSQLite migrates River's tables (one process: no lock to take).
func migrateSQLite(ctx context.Context, db *sql.DB, opts Options) error {
	migrator, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: opts.Logger})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: RiverSchemaVersion}); err != nil {
		return fmt.Errorf("queue: migrating River's tables to version %d: %w", RiverSchemaVersion, err)
	}
	return nil
}
