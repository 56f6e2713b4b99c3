package sqlstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenPostgresTraced opens a PostgreSQL store as OpenPostgres does, on a
// database already migrated, with a tracer that sees every statement its
// connections run: the tests count the round trips a transaction takes.
func OpenPostgresTraced(ctx context.Context, connURL string, tracer pgx.QueryTracer) (*Store, error) {
	cfg, maxConns, err := parsePostgresURL(connURL)
	if err != nil {
		return nil, err
	}
	cfg.Tracer = tracer
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	s := &Store{db: db, dialect: postgresDialect, url: connURL}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
