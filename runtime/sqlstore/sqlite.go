package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

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
	return openSQLite(ctx, path, Options{})
}

func openSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
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
	s := &Store{db: db, dialect: sqliteDialect}
	if err := s.migrate(ctx, opts.Version); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
