// Package sqlstore keeps the runtime's state in SQL: an embedded SQLite
// file by default (modernc.org/sqlite, no cgo, WAL mode), or a PostgreSQL
// database that several journey servers share. The queries are written
// once (dialect.go says what differs), and both databases have the same
// tables, columns and migration versions.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"

	"github.com/journeyhq/journey/runtime"
)

//go:embed migrations
var migrations embed.FS

// Store is a runtime.Store on a SQL database.
type Store struct {
	db      *sql.DB
	dialect *dialect
	// url is a PostgreSQL database's connection string (wake-ups listen on
	// a connection of their own); "" for SQLite.
	url string
	// stmts are the store's queries, prepared once when the store opens;
	// a transaction binds the ones it uses, so a step never parses SQL.
	stmts [numQueries]*sql.Stmt
	// migratedFrom is the schema version the database had when it opened.
	migratedFrom int
}

var _ runtime.Store = (*Store)(nil)

// Options tune how a store opens.
type Options struct {
	// Version is the journey version recorded beside each migration it
	// applies: an older journey that finds the database newer than it
	// knows names it.
	Version string
}

// Open opens the database a --db value names: a PostgreSQL connection URL
// (postgres:// or postgresql://) or a SQLite file, and brings its schema
// up to date.
func Open(ctx context.Context, db string, opts Options) (*Store, error) {
	if IsPostgres(db) {
		return OpenPostgres(ctx, db, opts)
	}
	return openSQLite(ctx, db, opts)
}

// IsPostgres reports whether a --db value is a PostgreSQL URL.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Shared reports whether several processes may use the database at once
// (PostgreSQL): they wake each other (Notify, Listen) and lock what they
// write.
func (s *Store) Shared() bool { return s.dialect.shared }

// Dialect names the database: "SQLite" or "PostgreSQL".
func (s *Store) Dialect() string { return s.dialect.name }

// prepare compiles every query of the store.
func (s *Store) prepare(ctx context.Context) error {
	for q, text := range s.dialect.texts() {
		if text == "" {
			continue
		}
		st, err := s.db.PrepareContext(ctx, text)
		if err != nil {
			return fmt.Errorf("preparing %q: %w", text, err)
		}
		s.stmts[q] = st
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	for i, st := range s.stmts {
		if st != nil {
			st.Close()
			s.stmts[i] = nil
		}
	}
	return s.db.Close()
}

// DB is the underlying database (for the server's own queries, and
// runtime/queue's).
func (s *Store) DB() *sql.DB { return s.db }

// Rebind writes a query of ? placeholders in the store's dialect.
func (s *Store) Rebind(query string) string { return s.dialect.rebind(query) }

// Begin starts a transaction.
func (s *Store) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{ctx: ctx, tx: tx, s: s}, nil
}
