package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func TestMigrateBringsADatabaseUpOnceThenSaysItIsThere(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		where, dialect := db.New(t), "SQLite"
		if db.Postgres() {
			where, dialect = pgtest.NewEmptyURL(t), "PostgreSQL"
		}
		known := sqlstore.KnownSchemaVersion()
		code, stdout, stderr := journeyRun(t, "migrate", "--db", where)
		want := fmt.Sprintf("%s (%s) migrated from schema version 0 to %d; River's tables at version %d\n", sqlstore.Redact(where), dialect, known, queue.RiverSchemaVersion)
		if code != 0 || stdout != want {
			t.Errorf("journey migrate on a new database: exit %d, printed %q (stderr %q); want exit 0 and %q", code, stdout, stderr, want)
		}
		code, stdout, _ = journeyRun(t, "migrate", "--db", where)
		want = fmt.Sprintf("%s (%s) is at schema version %d already; River's tables at version %d\n", sqlstore.Redact(where), dialect, known, queue.RiverSchemaVersion)
		if code != 0 || stdout != want {
			t.Errorf("journey migrate again: exit %d, printed %q; want exit 0 and %q", code, stdout, want)
		}
	})
}

func TestMigrateRefusesAnUnreachableDatabaseSayingWhich(t *testing.T) {
	t.Parallel()
	code, _, stderr := journeyRun(t, "migrate", "--db", "postgres://journey:secret@127.0.0.1:1/journey?connect_timeout=5")
	if code == 0 || !strings.Contains(stderr, "cannot migrate the database: postgres://journey:xxxxx@127.0.0.1:1/journey") || strings.Contains(stderr, "secret") {
		t.Errorf("journey migrate on a database nothing answers for: exit %d, %q; want a failure naming the URL without its password", code, stderr)
	}
}
