package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

func recordsOf(t *testing.T, tx runtime.Tx, contactID int64, kind string) []*runtime.Record {
	t.Helper()
	rs, err := tx.Records(contactID, kind)
	ok(t, err, "Records(%d, %s)", contactID, kind)
	return rs
}

func describeRecords(rs []*runtime.Record) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(describeRecord(r) + "\n")
	}
	return b.String()
}

func addRecord(t *testing.T, tx runtime.Tx, r *runtime.Record) *runtime.Record {
	t.Helper()
	ok(t, tx.AddRecord(r), "AddRecord(%s %s)", r.Kind, r.Name)
	if r.ID == 0 {
		t.Fatalf("AddRecord(%s %s) left the record's ID 0: it must set it", r.Kind, r.Name)
	}
	return r
}

func (s *suite) records(t *testing.T) {
	t.Run("ByKindOldestFirst", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		var tasks, orders []*runtime.Record
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			// Names and times in reverse, so that only the order added sorts them.
			for i, name := range []string{"follow_up", "call_back", "book_demo"} {
				tasks = append(tasks, addRecord(t, tx, &runtime.Record{ContactID: ada, Kind: "task", Name: name, Status: "open",
					At: ptr(at(time.Duration(3-i) * time.Hour)), Data: map[string]any{"assignee": "grace"}, CreatedAt: at(-time.Duration(i) * time.Hour)}))
				orders = append(orders, addRecord(t, tx, &runtime.Record{ContactID: ada, Kind: "order", Name: "pro", Status: "open",
					Data: map[string]any{"price": 49.5 + float64(i), "recurring": true}, CreatedAt: at(0)}))
				addRecord(t, tx, &runtime.Record{ContactID: bob, Kind: "task", Name: name, Status: "open", CreatedAt: at(0)})
			}
		})
		read(t, st, func(tx runtime.Tx) {
			if got := recordsOf(t, tx, ada, "task"); describeRecords(got) != describeRecords(tasks) {
				t.Errorf("Records(%d, task) is not the contact's tasks, oldest first:\n got:\n%s want:\n%s", ada, describeRecords(got), describeRecords(tasks))
			}
			if got := recordsOf(t, tx, ada, "order"); describeRecords(got) != describeRecords(orders) {
				t.Errorf("Records(%d, order) is not the contact's orders, oldest first:\n got:\n%s want:\n%s", ada, describeRecords(got), describeRecords(orders))
			}
			if got := recordsOf(t, tx, ada, "note"); len(got) != 0 {
				t.Errorf("Records(%d, note) of a contact without notes =\n%s want none", ada, describeRecords(got))
			}
		})
	})

	t.Run("UpdateWritesStatusAtAndData", func(t *testing.T) {
		st := s.open(t)
		var task, appointment *runtime.Record
		write(t, st, func(tx runtime.Tx) {
			id := newContact(t, tx, "ada@example.com").ID
			task = addRecord(t, tx, &runtime.Record{ContactID: id, Kind: "task", Name: "call_back", Status: "open", CreatedAt: at(0),
				Data: map[string]any{"assignee": "grace"}})
			appointment = addRecord(t, tx, &runtime.Record{ContactID: id, Kind: "appointment", Name: "demo", Status: "booked",
				At: ptr(at(24 * time.Hour)), CreatedAt: at(0)})
		})
		write(t, st, func(tx runtime.Tx) {
			r := recordsOf(t, tx, task.ContactID, "task")[0]
			// The engine writes into a loaded record's Data (orders'
			// last_action): it must be a map even when none was stored.
			r.Status, r.At, r.Data["last_action"] = "completed", ptr(at(2*time.Hour)), "done"
			ok(t, tx.UpdateRecord(r), "UpdateRecord(task)")
			task = r
			a := recordsOf(t, tx, appointment.ContactID, "appointment")[0]
			if a.Data == nil {
				t.Fatalf("Records(%d, appointment) loaded a record added without Data with a nil Data; want an empty map, which the engine can write into", a.ContactID)
			}
			a.Status, a.At = "cancelled", nil
			a.Data["reason"] = "ill"
			ok(t, tx.UpdateRecord(a), "UpdateRecord(appointment)")
			appointment = a
		})
		read(t, st, func(tx runtime.Tx) {
			for _, want := range []*runtime.Record{task, appointment} {
				if got := recordsOf(t, tx, want.ContactID, want.Kind); describeRecords(got) != describeRecords([]*runtime.Record{want}) {
					t.Errorf("Records(%d, %s) after UpdateRecord:\n got:\n%s want:\n%s", want.ContactID, want.Kind, describeRecords(got), describeRecords([]*runtime.Record{want}))
				}
			}
		})
	})
}

func nextInTurn(t *testing.T, tx runtime.Tx, router string, n int) int {
	t.Helper()
	i, err := tx.NextInTurn(router, n)
	ok(t, err, "NextInTurn(%s, %d)", router, n)
	return i
}

func (s *suite) nextInTurn(t *testing.T) {
	t.Run("RoundRobin", func(t *testing.T) {
		st := s.open(t)
		var got []int
		write(t, st, func(tx runtime.Tx) {
			for range 4 {
				got = append(got, nextInTurn(t, tx, "sales", 3))
			}
		})
		// The turn persists from one transaction to the next.
		for range 3 {
			write(t, st, func(tx runtime.Tx) { got = append(got, nextInTurn(t, tx, "sales", 3)) })
		}
		if want := []int{0, 1, 2, 0, 1, 2, 0}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("NextInTurn(sales, 3) seven times = %v; want %v", got, want)
		}
	})

	t.Run("EachRouterItsOwnTurn", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			nextInTurn(t, tx, "sales", 2)
			nextInTurn(t, tx, "sales", 2)
			nextInTurn(t, tx, "sales", 2)
			if got := nextInTurn(t, tx, "support_ü", 2); got != 0 {
				t.Errorf("NextInTurn(support_ü, 2) the first time, after sales had 3 turns = %d; want 0", got)
			}
			if got := nextInTurn(t, tx, "sales", 2); got != 1 {
				t.Errorf("NextInTurn(sales, 2) the fourth time = %d; want 1", got)
			}
		})
	})

	t.Run("InRangeWhenTheUsersChange", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			for _, n := range []int{5, 5, 5, 5, 2, 1, 3} {
				if got := nextInTurn(t, tx, "sales", n); got < 0 || got >= n {
					t.Errorf("NextInTurn(sales, %d) = %d; want an index in 0..%d", n, got, n-1)
				}
			}
		})
	})

	t.Run("NoUsersIsAnError", func(t *testing.T) {
		st := s.open(t)
		read(t, st, func(tx runtime.Tx) {
			for _, n := range []int{0, -2} {
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("NextInTurn(sales, %d) panicked (%v); want an error: a router without users has no turn to give", n, p)
						}
					}()
					if i, err := tx.NextInTurn("sales", n); err == nil {
						t.Errorf("NextInTurn(sales, %d) = %d, nil; want an error: a router without users has no turn to give", n, i)
					}
				}()
			}
		})
	})
}
