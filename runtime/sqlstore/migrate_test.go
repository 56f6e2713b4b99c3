package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// A database of schema version 2 keeps its contacts, with their IDs, when
// it opens, and a contact created then gets an ID none had.
func TestMigrateKeepsContactsAndNeverReusesTheirIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journey.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"0001_init.sql", "0002_contact_external_id.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", "sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL);
			INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, i+1, name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO contacts (id, external_id, email, fields, tags, points, stage, owner, dnc, created_at) VALUES
		(1, 'crm-1', 'ada@example.com', '{"email":"ada@example.com","first_name":"Ada"}', '["vip"]', 2.5, 'lead', 'grace', '["sms"]', 1781082000),
		(7, '', 'bob@example.com', '{}', '[]', 0, '', '', '[]', 1781082060)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	store, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatalf("opening a version 2 database: %v", err)
	}
	defer store.Close()
	if v, err := store.SchemaVersion(ctx); err != nil || v < 3 {
		t.Fatalf("SchemaVersion = %d, %v; want 3 or later", v, err)
	}
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ada, err := tx.Contact(1)
	if err != nil {
		t.Fatalf("contact 1 after the migration: %v", err)
	}
	if ada.ExternalID != "crm-1" || ada.StringField("email") != "ada@example.com" || ada.StringField("first_name") != "Ada" ||
		len(ada.Tags) != 1 || ada.Points != 2.5 || ada.Stage != "lead" || ada.Owner != "grace" || len(ada.DNC) != 1 ||
		!ada.CreatedAt.Equal(time.Unix(1781082000, 0)) {
		t.Errorf("contact 1 changed in the migration: %+v", ada)
	}
	if _, err := tx.Contact(7); err != nil {
		t.Errorf("contact 7 after the migration: %v", err)
	}
	if err := tx.DeleteContact(7); err != nil {
		t.Fatal(err)
	}
	c := &runtime.Contact{Fields: map[string]any{}, CreatedAt: time.Unix(1781082120, 0)}
	if err := tx.CreateContact(c); err != nil {
		t.Fatal(err)
	}
	if c.ID != 8 {
		t.Errorf("a contact created after the newest (7) was deleted got ID %d; want 8", c.ID)
	}
}

// A database a newer journey migrated is refused, naming the journey that
// did; journey never runs on tables it does not know.
func TestADatabaseNewerThanThisJourneyIsRefusedNamingTheVersionToRun(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		ctx := context.Background()
		where := db.New(t)
		store, err := sqlstore.Open(ctx, where, sqlstore.Options{Version: "v1.2.0"})
		if err != nil {
			t.Fatal(err)
		}
		known := sqlstore.KnownSchemaVersion()
		if v, err := store.SchemaVersion(ctx); err != nil || v != known {
			t.Fatalf("a new database is at schema version %d (%v); want %d, this journey's", v, err, known)
		}
		future := known + 2
		if _, err := store.DB().ExecContext(ctx, store.Rebind(`INSERT INTO schema_migrations (version, name, journey) VALUES (?, ?, ?)`),
			future, "0099_keyed_entry.sql", "v1.4.0"); err != nil {
			t.Fatal(err)
		}
		store.Close()

		_, err = sqlstore.Open(ctx, where, sqlstore.Options{Version: "v1.2.0"})
		var newer *sqlstore.NewerSchemaError
		if !errors.As(err, &newer) {
			t.Fatalf("opening a database at schema version %d: %v; want a NewerSchemaError", future, err)
		}
		want := fmt.Sprintf("this database is at schema version %d (0099_keyed_entry.sql, applied by journey v1.4.0); this journey (v1.2.0) knows schema versions up to %d: run journey v1.4.0 or newer", future, known)
		if newer.Error() != want {
			t.Errorf("the refusal says:\n%s\nwant:\n%s", newer.Error(), want)
		}
	})
}
