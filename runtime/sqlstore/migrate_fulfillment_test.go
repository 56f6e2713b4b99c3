package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// A database of schema version 5 has fulfillment rows written before
// batches existed: they are the lists' pending rows once it opens, and the
// first cut takes them (a row removed then stays out).
func TestMigrateKeepsFulfillmentRowsPending(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journey.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"0001_init.sql", "0002_contact_external_id.sql", "0003_contact_ids_never_reused.sql", "0004_server.sql", "0005_deployments.sql"}
	if _, err := db.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		body, err := os.ReadFile(filepath.Join("migrations", "sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, i+1, name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO records (contact_id, kind, name, status, data, created_at) VALUES
		(1, 'fulfillment', 'welcome_kits', 'pending', '{"first_name":"Ada"}', 1781082000),
		(2, 'fulfillment', 'welcome_kits', 'removed', '{"first_name":"Bob"}', 1781081000),
		(2, 'fulfillment', 'welcome_kits', 'pending', '{"first_name":"Bob"}', 1781083000)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	store, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatalf("opening a version 5 database: %v", err)
	}
	defer store.Close()
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	p, err := tx.FulfillmentPending("welcome_kits")
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows != 2 || !p.Oldest.Equal(time.Unix(1781082000, 0)) {
		t.Errorf("after the migration, welcome_kits has %d pending rows, the oldest added %s; want 2, the oldest at %s",
			p.Rows, p.Oldest, time.Unix(1781082000, 0).UTC())
	}
	b, err := tx.CutFulfillmentBatch("welcome_kits", []string{"first_name"}, time.Unix(1781090000, 0))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := tx.FulfillmentRows(b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].ContactID != 1 || rows[1].ContactID != 2 || rows[1].Data["first_name"] != "Bob" {
		t.Errorf("the first cut after the migration took %d rows (%+v); want contact 1's then contact 2's pending row", len(rows), rows)
	}
}
