package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/runtime/storetest"
)

// TestConformance runs the store suite on a database file, on the
// in-memory database of journey simulate and journey test, and on
// PostgreSQL (internal/pgtest).
func TestConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		path func(t *testing.T) string
	}{
		{"File", func(t *testing.T) string { return filepath.Join(t.TempDir(), "journey.db") }},
		{"Memory", func(*testing.T) string { return ":memory:" }},
		{"PostgreSQL", func(t *testing.T) string { return pgtest.NewURL(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) runtime.Store {
				s, err := sqlstore.Open(context.Background(), tc.path(t), sqlstore.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}, storetest.CountRows(countRows))
		})
	}
}

// countRows counts a contact's rows in every table with a contact_id
// column (so a table added later is counted too) and its own row.
func countRows(t *testing.T, st runtime.Store, contactID int64) map[string]int {
	t.Helper()
	db := st.(*sqlstore.Store).DB()
	ctx := t.Context()
	tablesWithContactID := `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
		WHERE m.type = 'table' AND c.name = 'contact_id' ORDER BY m.name`
	if st.(*sqlstore.Store).Shared() {
		tablesWithContactID = `SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'contact_id' ORDER BY table_name`
	}
	rows, err := db.QueryContext(ctx, tablesWithContactID)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	counts := map[string]int{}
	count := func(table, column string) {
		var n int
		if err := db.QueryRowContext(ctx, st.(*sqlstore.Store).Rebind(`SELECT COUNT(*) FROM "`+table+`" WHERE `+column+` = ?`), contactID).Scan(&n); err != nil {
			t.Fatalf("counting %s: %v", table, err)
		}
		counts[table] = n
	}
	count("contacts", "id")
	for _, table := range tables {
		count(table, "contact_id")
	}
	return counts
}
