package queue

import (
	"context"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// Open opens a queue on a store's database: River's SQLite driver on a
// SQLite store (OpenSQLite), its database/sql driver with a pgx listener on
// a PostgreSQL one (OpenPostgres).
func Open(ctx context.Context, store *sqlstore.Store, handler Handler, opts Options) (Queue, error) {
	if store.Shared() {
		return OpenPostgres(ctx, store.DB(), store.URL(), handler, opts)
	}
	return OpenSQLite(ctx, store.DB(), handler, opts)
}

// Migrate brings River's tables in a store's database up to
// RiverSchemaVersion without opening a queue (journey migrate); on
// PostgreSQL under an advisory lock, as OpenPostgres does.
func Migrate(ctx context.Context, store *sqlstore.Store) error {
	opts, err := Options{}.withDefaults()
	if err != nil {
		return err
	}
	if store.Shared() {
		return migratePostgres(ctx, store.DB(), opts)
	}
	return migrateSQLite(ctx, store.DB(), opts)
}
