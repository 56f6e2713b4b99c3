// Package pgtest gives tests a fresh PostgreSQL database each, and the
// databases a store-backed suite runs on: SQLite always, PostgreSQL when
// JOURNEY_POSTGRES_URL names a server.
//
// Without JOURNEY_POSTGRES_URL the PostgreSQL tests skip, naming the
// command that runs them; with CI or JOURNEY_REQUIRE_POSTGRES set (as
// .ci/run sets them) they fail instead, so that CI never passes without
// them.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// EnvURL names the PostgreSQL server the tests create their databases on:
// a URL whose user may CREATE DATABASE, such as
// postgres://postgres@127.0.0.1:5432/postgres.
const EnvURL = "JOURNEY_POSTGRES_URL"

// EnvRequire makes a missing JOURNEY_POSTGRES_URL a failure (so does CI).
const EnvRequire = "JOURNEY_REQUIRE_POSTGRES"

// Enable is the one command that runs the PostgreSQL tests.
const Enable = "bash .ci/postgres go test ./... (starts a throwaway PostgreSQL and sets " + EnvURL + "), or set " + EnvURL + " to a server whose user may create databases"

// required reports whether the PostgreSQL tests must run.
func required() bool {
	return os.Getenv("CI") != "" || os.Getenv(EnvRequire) != ""
}

// NewURL creates a database with journey's schema (a copy of a migrated
// template) on JOURNEY_POSTGRES_URL's server, dropped when the test ends,
// and returns its URL. Without the server it skips the test, or fails it
// in CI.
func NewURL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// NewEmptyURL is NewURL without journey's schema: a database no journey
// has migrated yet.
func NewEmptyURL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

func newDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	server := os.Getenv(EnvURL)
	if server == "" {
		if required() {
			t.Fatalf("%s is not set, and CI (or %s) needs the PostgreSQL tests to run: %s", EnvURL, EnvRequire, Enable)
		}
		t.Skipf("PostgreSQL tests skipped: %s", Enable)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("%s=%s: %v", EnvURL, sqlstore.Redact(server), err)
	}
	defer admin.Close(context.Background())
	create := "CREATE DATABASE "
	name := "journey_test_" + randomHex(8)
	create += name
	if migrated {
		template, err := schemaTemplate(ctx, admin, server)
		if err != nil {
			t.Fatalf("making the template database on %s: %v", sqlstore.Redact(server), err)
		}
		create += " TEMPLATE " + template
	}
	if _, err := admin.Exec(ctx, create); err != nil {
		t.Fatalf("creating a test database on %s: %v", sqlstore.Redact(server), err)
	}
	t.Cleanup(func() { drop(t, server, name) })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// drop drops a test database, ending the sessions still on it (a process
// a test killed leaves its own for a while).
func drop(t testing.TB, server, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Errorf("dropping the test database %s: %v", name, err)
		return
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("dropping the test database %s: %v", name, err)
	}
}

// schemaTemplate is a database with journey's schema migrated, made once
// per schema (sqlstore.PostgresSchemaID) and kept on the server: a test's
// database is a copy of it, which takes a fraction of the time migrating
// takes. An advisory lock keeps test processes from making it twice.
func schemaTemplate(ctx context.Context, admin *pgx.Conn, server string) (string, error) {
	name := "journey_template_" + sqlstore.PostgresSchemaID()
	const lock = 0x6a6f75726e6574 // held while the template is made
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", lock); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lock)
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil || exists {
		return name, err
	}
	// Made under another name and renamed once complete: a process killed
	// half-way leaves no template that lacks a table.
	partial := name + "_" + randomHex(4)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+partial); err != nil {
		return "", err
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + partial
	s, err := sqlstore.OpenPostgres(ctx, u.String(), sqlstore.Options{Version: "test"})
	if err != nil {
		return "", err
	}
	if err := s.Close(); err != nil {
		return "", err
	}
	_, err = admin.Exec(ctx, "ALTER DATABASE "+partial+" RENAME TO "+name)
	return name, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Database is one kind of database a suite runs on.
type Database struct {
	// Name is the subtest's name: "SQLite" or "PostgreSQL".
	Name string
	// New makes a fresh, empty database and returns what --db names it by
	// (a file path or a URL); it is removed when the test ends.
	New func(t testing.TB) string
}

// Postgres reports whether the database is PostgreSQL.
func (d Database) Postgres() bool { return d.Name == "PostgreSQL" }

// SQLite is a new database file in the test's temporary directory.
var SQLite = Database{Name: "SQLite", New: func(t testing.TB) string {
	return filepath.Join(t.TempDir(), "journey.db")
}}

// Postgres is a new database on JOURNEY_POSTGRES_URL's server.
var Postgres = Database{Name: "PostgreSQL", New: NewURL}

// Each runs fn as a subtest on each database: SQLite, then PostgreSQL
// (skipped without JOURNEY_POSTGRES_URL, as NewURL says).
func Each(t *testing.T, fn func(t *testing.T, db Database)) {
	t.Helper()
	for _, db := range []Database{SQLite, Postgres} {
		t.Run(db.Name, func(t *testing.T) { fn(t, db) })
	}
}

// Open opens the store at db (a --db value), closed when the test ends.
func Open(t testing.TB, db string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), db, sqlstore.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
