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
