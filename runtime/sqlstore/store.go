// Package sqlstore keeps the runtime's state in SQL: an embedded SQLite
// file by default (modernc.org/sqlite, no cgo, WAL mode). The queries are
// plain SQL with RETURNING, so that PostgreSQL follows with its own
// migrations and placeholders rather than a redesign.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/journeyhq/journey/runtime"
)

//go:embed migrations
var migrations embed.FS

// Store is a runtime.Store on a SQL database.
type Store struct {
	db *sql.DB
	// stmts are the store's queries, prepared once when the store opens
	// (one connection: each is compiled once); a transaction binds the ones
	// it uses, so a step never parses SQL.
	stmts [numQueries]*sql.Stmt
}

var _ runtime.Store = (*Store)(nil)

// fileSettings are the connection settings of a database file.
var fileSettings = []string{
	"_pragma=busy_timeout(10000)",
	// WAL: readers do not block the writer; NORMAL: a commit is durable
	// from the next checkpoint's fsync on (a power cut may lose the last
	// transactions, never corrupt the database). Never OFF.
	"_pragma=journal_mode(WAL)",
	"_pragma=synchronous(NORMAL)",
	"_pragma=foreign_keys(ON)",
	// 32 MiB of page cache instead of SQLite's 2 MiB: a step reads the
	// contact, its tokens and the index pages around them, and with the
	// default cache most of them came from the file again (3.7 reads per
	// step at 20,000 contacts, 1.7 with this). Memory stays bounded: about
	// 64 MiB resident, since the allocator of modernc.org/sqlite rounds each
	// cached page up.
	"_pragma=cache_size(-32768)",
	// Checkpoint every 4,000 pages (16 MiB of WAL) rather than 1,000: fewer
	// fsyncs, and a page that changes often is copied back once per
	// checkpoint; journal_size_limit truncates a WAL that grew beyond
	// 64 MiB (behind a long reader) after its checkpoint.
	"_pragma=wal_autocheckpoint(4000)",
	"_pragma=journal_size_limit(67108864)",
	"_txlock=immediate",
}

// OpenSQLite opens (creating if needed) a SQLite database file and brings
// its schema up to date. path ":memory:" gives a private in-memory
// database (simulate, test).
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	dsn := "file:" + path + "?" + strings.Join(fileSettings, "&")
	if path == ":memory:" {
		dsn = "file::memory:?_pragma=foreign_keys(ON)&_txlock=immediate"
	}
	db := sql.OpenDB(cachingConnector{dsn: dsn, driver: &sqlite.Driver{}})
	// One writer at a time is SQLite's model (and River's SQLite driver
	// needs a single connection); an in-memory database lives in it.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// prepare compiles every query of the store.
func (s *Store) prepare(ctx context.Context) error {
	for q, text := range queries {
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

// DB is the underlying database (for the server's own queries).
func (s *Store) DB() *sql.DB { return s.db }

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, recording the version.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return err
	}
	var current int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return err
	}
	files, err := fs.ReadDir(migrations, "migrations/sqlite")
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, f.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: the name must start with its version", name)
		}
		if version <= current {
			continue
		}
		body, err := migrations.ReadFile("migrations/sqlite/" + name)
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, version, name); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Begin starts a transaction.
func (s *Store) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{ctx: ctx, tx: tx, s: s}, nil
}
