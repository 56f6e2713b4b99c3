package sqlstore

import (
	"context"
	"strings"
	"testing"
)

// queryPlan is SQLite's plan for one of the store's queries, its steps
// joined by " | ".
func queryPlan(t *testing.T, s *Store, q query) string {
	t.Helper()
	text := queries[q]
	rows, err := s.DB().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+text, make([]any, strings.Count(text, "?"))...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(steps, " | ")
}

// An event naming its contact by external id finds it through the index,
// not by reading every contact: the index holds only the contacts that
// have one, and a query SQLite cannot prove asks for one of those did not
// use it.
func TestContactByExternalIDUsesItsIndex(t *testing.T) {
	s := openTestStore(t)
	if plan := queryPlan(t, s, qContactByExternalID); !strings.Contains(plan, "USING") || strings.Contains(plan, "SCAN contacts") {
		t.Errorf("finding a contact by external id: %s; want a search of contacts_external_id", plan)
	}
}

// Counting a campaign's positions sorts nothing: a sort of a million
// positions is memory (or a temporary file) in proportion to the
// contacts, the one thing the server's memory must not follow.
func TestElementCountsSortNothing(t *testing.T) {
	s := openTestStore(t)
	if plan := queryPlan(t, s, qElementCounts); strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("counting a campaign's positions: %s; want no temporary b-tree", plan)
	}
}
