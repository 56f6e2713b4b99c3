package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// cachedTexts is how many statements the store's connection keeps.
func cachedTexts(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := -1
	if err := conn.Raw(func(dc any) error {
		n = len(dc.(*cachingConn).stmts)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A query run as text (as River runs its own) is prepared once, and its
// answers stay right run after run, also while its first run's rows are
// still being read.
func TestQueriesRunAsTextArePreparedOnce(t *testing.T) {
	s := openTestStore(t)
	db := s.DB()
	const query = `SELECT ? + 1 -- a comment; with a semicolon`
	before := cachedTexts(t, db)
	var got int
	for i := range 3 {
		if err := db.QueryRow(query, i).Scan(&got); err != nil || got != i+1 {
			t.Fatalf("run %d: %d, %v; want %d", i, got, err, i+1)
		}
	}
	if after := cachedTexts(t, db); after != before+1 {
		t.Errorf("%d statements cached after running one text three times, %d before: want one more", after, before)
	}

	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const rowsQuery = `SELECT value FROM json_each(?)`
	outer, err := tx.Query(rowsQuery, "[1, 2, 3]")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for outer.Next() {
		var v int
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		// The same text again while the outer rows are open: a statement
		// of its own.
		var inner int
		if err := tx.QueryRow(rowsQuery, "[10]").Scan(&inner); err != nil || inner != 10 {
			t.Fatalf("the same text inside its own rows: %d, %v", inner, err)
		}
		sum += v
	}
	if err := outer.Err(); err != nil || sum != 6 {
		t.Fatalf("the outer rows: sum %d, %v; want 6", sum, err)
	}
	outer.Close()
}

// A script (several statements, as a migration is) runs whole every time;
// a statement that fails leaves its text usable.
func TestScriptsAndFailuresRunAsBefore(t *testing.T) {
	s := openTestStore(t)
	db := s.DB()
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	const script = `INSERT INTO t VALUES (?); -- one; then
		INSERT INTO t VALUES (? + 100)`
	for i := range 2 {
		if _, err := db.Exec(script, i, i); err != nil {
			t.Fatalf("script run %d: %v", i, err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d rows after two runs of a two-statement script, %v; want 4", n, err)
	}
	const insert = `INSERT INTO t VALUES (?)`
	if _, err := db.Exec(insert, 0); err == nil {
		t.Fatal("a duplicate went in")
	}
	if _, err := db.Exec(insert, 7); err != nil {
		t.Fatalf("the text that failed once: %v", err)
	}
}
