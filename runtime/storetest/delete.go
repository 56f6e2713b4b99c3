package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// recordKinds are the kinds of record the suite writes for a contact.
func recordKinds() []string { return []string{"task", "note", "purchase", "lead_assignment"} }

// fillContact writes a trace of the contact everywhere a step can leave
// one: enrollments with tokens (due and not), timeline, deliveries, a
// marketing email sent, records of several kinds. The key is the
// contact's delivery key.
func fillContact(t *testing.T, tx runtime.Tx, id int64) {
	t.Helper()
	camp := enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive,
		waiting("wait_a_day", at(24*time.Hour)), stopped("thank_you"))
	enroll(t, tx, id, "campaign", "onboarding", runtime.StatusActive,
		&runtime.Token{Element: "add_to_welcome", State: runtime.StateHolding, ArrivedAt: at(0), WaitingOn: camp.ID})
	enroll(t, tx, id, "dates", "dates", runtime.StatusActive, waiting("birthday", at(200*24*time.Hour)))
	ok(t, tx.AddTimeline([]runtime.TimelineEntry{
		{ContactID: id, At: at(0), Campaign: "welcome", Element: "signup", Kind: "trigger", Outcome: "entered"},
		{ContactID: id, At: at(0), Campaign: "welcome", Element: "send_welcome", Kind: "send_email", Outcome: "sent"},
	}), "AddTimeline")
	addDelivery(t, tx, delivery(id, deliveryKey(id)))
	markSent(t, tx, id, "welcome")
	for _, kind := range recordKinds() {
		addRecord(t, tx, &runtime.Record{ContactID: id, Kind: kind, Name: kind + "_1", Status: "open", Data: map[string]any{"n": 1.0}, CreatedAt: at(0)})
	}
	ok(t, tx.JoinSegment(id, "vip", at(0)), "JoinSegment(%d, vip)", id)
}

func deliveryKey(id int64) string { return fmt.Sprintf("%d/welcome/send_welcome/abc/1", id) }

// traces describes what the Tx API shows of a contact: everything
// fillContact wrote, or nothing once it is deleted.
func traces(t *testing.T, tx runtime.Tx, id int64) string {
	t.Helper()
	var b strings.Builder
	c, err := tx.Contact(id)
	switch {
	case errors.Is(err, runtime.ErrNoContact):
	case err != nil:
		t.Fatalf("Contact(%d): %v", id, err)
	default:
		fmt.Fprintf(&b, "contact: %s\n", describeContact(c))
	}
	if enrs := enrollments(t, tx, id); len(enrs) > 0 {
		fmt.Fprintf(&b, "enrollments:\n%s", describeEnrollments(enrs))
	}
	if tl := timelineOf(t, tx, id); len(tl) > 0 {
		fmt.Fprintf(&b, "timeline:\n%s", describeTimeline(tl))
	}
	if ds := deliveriesOf(t, tx, id); len(ds) > 0 {
		fmt.Fprintf(&b, "deliveries:\n%s", describeDeliveries(ds))
	}
	for _, kind := range recordKinds() {
		if rs := recordsOf(t, tx, id, kind); len(rs) > 0 {
			fmt.Fprintf(&b, "%s records:\n%s", kind, describeRecords(rs))
		}
	}
	if ms := membershipsOf(t, tx, id); len(ms) > 0 {
		fmt.Fprintf(&b, "segments: %s\n", describeMemberships(ms))
	}
	var due []string
	for _, d := range dueAt(t, tx, farFuture(), 1000) {
		if d.ContactID == id {
			due = append(due, fmt.Sprint(d.TokenID))
		}
	}
	if len(due) > 0 {
		fmt.Fprintf(&b, "due tokens: %s\n", strings.Join(due, ", "))
	}
	for _, name := range []string{"welcome", "onboarding"} {
		on, err := tx.ContactsOn("campaign", name)
		ok(t, err, "ContactsOn")
		if slices.Contains(on, id) {
			fmt.Fprintf(&b, "on campaign %s\n", name)
		}
	}
	return b.String()
}

// forgotten checks, in a transaction it rolls back, that the store keeps
// no trace of a deleted contact: the marketing email it had and its
// delivery key are free again.
func forgotten(t *testing.T, st runtime.Store, id int64) {
	t.Helper()
	read(t, st, func(tx runtime.Tx) {
		if left := traces(t, tx, id); left != "" {
			t.Errorf("after DeleteContact(%d), the store still has:\n%s", id, left)
		}
		if !markSent(t, tx, id, "welcome") {
			t.Errorf("after DeleteContact(%d), MarkSent(%d, welcome) = false: the store still remembers the marketing email sent to the deleted contact", id, id)
		}
		if !addDelivery(t, tx, delivery(id, deliveryKey(id))) {
			t.Errorf("after DeleteContact(%d), AddDelivery of its old key = false: the store still has the deleted contact's delivery key", id)
		}
	})
}

func (s *suite) deleteContact(t *testing.T) {
	t.Run("RemovesEveryTrace", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			fillContact(t, tx, ada)
			fillContact(t, tx, bob)
		})
		var bobBefore string
		read(t, st, func(tx runtime.Tx) { bobBefore = traces(t, tx, bob) })
		var rowsBefore map[string]int
		if s.countRows != nil {
			rowsBefore = s.countRows(t, st, ada)
			if total(rowsBefore) == 0 {
				t.Fatalf("the CountRows hook counts no row of contact %d, which has rows in every table: it counts nothing (%v)", ada, rowsBefore)
			}
		}
		write(t, st, func(tx runtime.Tx) { ok(t, tx.DeleteContact(ada), "DeleteContact(%d)", ada) })
		forgotten(t, st, ada)
		if s.countRows != nil {
			if rows := s.countRows(t, st, ada); total(rows) != 0 {
				t.Errorf("after DeleteContact(%d), the store's tables still hold its rows: %s (before: %s)", ada, describeCounts(rows), describeCounts(rowsBefore))
			}
		}
		read(t, st, func(tx runtime.Tx) {
			if after := traces(t, tx, bob); after != bobBefore {
				t.Errorf("DeleteContact(%d) changed contact %d:\n got:\n%s want:\n%s", ada, bob, after, bobBefore)
			}
		})
	})

	// A step's actions write before it finds that the contact is to be
	// deleted: DeleteContact removes what its own transaction wrote too.
	t.Run("InTheTransactionThatWrote", func(t *testing.T) {
		st := s.open(t)
		var ada int64
		write(t, st, func(tx runtime.Tx) { ada = newContact(t, tx, "ada@example.com").ID })
		write(t, st, func(tx runtime.Tx) {
			fillContact(t, tx, ada)
			ok(t, tx.DeleteContact(ada), "DeleteContact(%d)", ada)
		})
		forgotten(t, st, ada)
		if s.countRows != nil {
			if rows := s.countRows(t, st, ada); total(rows) != 0 {
				t.Errorf("after DeleteContact(%d), the store's tables still hold its rows: %s", ada, describeCounts(rows))
			}
		}
	})
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func describeCounts(counts map[string]int) string {
	var parts []string
	for table, n := range counts {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", table, n))
		}
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
