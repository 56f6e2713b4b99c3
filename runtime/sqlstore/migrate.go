package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migrationLock is the PostgreSQL advisory lock that journey's migrations
// run under: nodes starting at once against one database migrate it once.
const migrationLock = 0x6a6f75726e6579 // "journey"

// migration is one embedded migration file.
type migration struct {
	version int
	name    string
}

// migrationsOf lists a dialect's migrations in version order.
func migrationsOf(d *dialect) ([]migration, error) {
	files, err := fs.ReadDir(migrations, d.migrations)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		version, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: the name must start with its version", f.Name())
		}
		out = append(out, migration{version: version, name: f.Name()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// KnownSchemaVersion is the schema version this journey brings a database to:
// its newest migration.
func KnownSchemaVersion() int {
	ms, err := migrationsOf(sqliteDialect)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// NewerSchemaError is a database migrated by a newer journey than this
// one: this journey would not know what the tables it does not know mean.
type NewerSchemaError struct {
	// Version is the database's schema version, Known this journey's.
	Version, Known int
	// Name is the newest migration's file; By the journey version that
	// applied it ("" when unrecorded).
	Name, By string
	// Running is this journey's version.
	Running string
}

func (e *NewerSchemaError) Error() string {
	by, run := "", fmt.Sprintf("run a journey that knows schema version %d (%s) or newer", e.Version, e.Name)
	if e.By != "" {
		by, run = ", applied by journey "+e.By, "run journey "+e.By+" or newer"
	}
	this := "this journey"
	if e.Running != "" {
		this += " (" + e.Running + ")"
	}
	return fmt.Sprintf("this database is at schema version %d (%s%s); %s knows schema versions up to %d: %s",
		e.Version, e.Name, by, this, e.Known, run)
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, recording the version and the journey version that applied
// it. A database newer than this journey knows is refused
// (NewerSchemaError). On PostgreSQL it runs under an advisory lock.
func (s *Store) migrate(ctx context.Context, journeyVersion string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.dialect.shared {
		// Held by the session: released when the connection closes too.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("waiting for another journey's migration: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	if err := ensureMigrationsTable(ctx, conn, s.dialect); err != nil {
		return err
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return err
	}
	all, err := migrationsOf(s.dialect)
	if err != nil {
		return err
	}
	if known := all[len(all)-1].version; current > known {
		e := &NewerSchemaError{Version: current, Known: known, Running: journeyVersion}
		err := conn.QueryRowContext(ctx, s.dialect.rebind(`SELECT name, journey FROM schema_migrations WHERE version = ?`), current).Scan(&e.Name, &e.By)
		if err != nil {
			return err
		}
		return e
	}
	s.migratedFrom = current
	for _, m := range all {
		if m.version <= current {
			continue
		}
		body, err := migrations.ReadFile(s.dialect.migrations + "/" + m.name)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, s.dialect.rebind(`INSERT INTO schema_migrations (version, name, journey) VALUES (?, ?, ?)`),
			m.version, m.name, journeyVersion); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// ensureMigrationsTable makes the table that records the migrations
// applied, and adds the journey column to one an earlier journey made.
func ensureMigrationsTable(ctx context.Context, conn *sql.Conn, d *dialect) error {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, journey TEXT NOT NULL DEFAULT '')`); err != nil {
		return err
	}
	if d.shared {
		return nil // journey on PostgreSQL has always had the column
	}
	var has int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'journey'`).Scan(&has); err != nil {
		return err
	}
	if has == 0 {
		_, err := conn.ExecContext(ctx, `ALTER TABLE schema_migrations ADD COLUMN journey TEXT NOT NULL DEFAULT ''`)
		return err
	}
	return nil
}

// SchemaVersion is the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// PostgresSchemaID names the schema the PostgreSQL migrations make: a hash
// of them. Tests keep a template database per schema (internal/pgtest), so
// that a test's fresh database is a copy rather than a migration.
func PostgresSchemaID() string {
	h := sha256.New()
	ms, _ := migrationsOf(postgresDialect)
	for _, m := range ms {
		body, _ := migrations.ReadFile(postgresDialect.migrations + "/" + m.name)
		fmt.Fprintf(h, "%s\n%d\n%s\n", m.name, len(body), body)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// MigratedFrom is the schema version the database had when the store
// opened it (0 for a new database): it is at KnownSchemaVersion now.
func (s *Store) MigratedFrom() int { return s.migratedFrom }
