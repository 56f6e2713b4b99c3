package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

func membershipsOf(t *testing.T, tx runtime.Tx, contactID int64) []runtime.Membership {
	t.Helper()
	ms, err := tx.Memberships(contactID)
	ok(t, err, "Memberships(%d)", contactID)
	return ms
}

func describeMemberships(ms []runtime.Membership) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s since %s", m.Segment, m.Since.UTC().Format(time.RFC3339)))
	}
	return strings.Join(parts, ", ")
}

func segmentSize(t *testing.T, tx runtime.Tx, segment string) int {
	t.Helper()
	n, err := tx.SegmentSize(segment)
	ok(t, err, "SegmentSize(%s)", segment)
	return n
}

func (s *suite) segments(t *testing.T) {
	// The engine reads a contact's memberships at each of its steps and
	// compares them with what its segments' where say now.
	t.Run("ByNameWithTheirTime", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			// Joined in reverse name order, so that only the name sorts them.
			ok(t, tx.JoinSegment(ada, "vip", at(2*time.Hour)), "JoinSegment")
			ok(t, tx.JoinSegment(ada, "trial_users", at(time.Hour)), "JoinSegment")
			ok(t, tx.JoinSegment(bob, "vip", at(0)), "JoinSegment")
		})
		read(t, st, func(tx runtime.Tx) {
			want := "trial_users since 2026-06-10T10:00:00Z, vip since 2026-06-10T11:00:00Z"
			if got := describeMemberships(membershipsOf(t, tx, ada)); got != want {
				t.Errorf("Memberships(%d) = %s, want the contact's segments by name with the time each was joined: %s", ada, got, want)
			}
		})
	})

	// A step may find again a contact it made a member (a static segment
	// added to twice): the membership keeps the time it began.
	t.Run("JoinTwiceKeepsTheFirstTime", func(t *testing.T) {
		st := s.open(t)
		var ada int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			ok(t, tx.JoinSegment(ada, "vip", at(0)), "JoinSegment")
		})
		write(t, st, func(tx runtime.Tx) { ok(t, tx.JoinSegment(ada, "vip", at(time.Hour)), "JoinSegment again") })
		read(t, st, func(tx runtime.Tx) {
			want := "vip since 2026-06-10T09:00:00Z"
			if got := describeMemberships(membershipsOf(t, tx, ada)); got != want {
				t.Errorf("after joining vip twice, Memberships(%d) = %s, want one membership since the first join: %s", ada, got, want)
			}
			if n := segmentSize(t, tx, "vip"); n != 1 {
				t.Errorf("after one contact joined vip twice, SegmentSize(vip) = %d, want 1", n)
			}
		})
	})

	t.Run("LeaveEndsOneMembership", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			for _, id := range []int64{ada, bob} {
				ok(t, tx.JoinSegment(id, "vip", at(0)), "JoinSegment")
				ok(t, tx.JoinSegment(id, "trial_users", at(0)), "JoinSegment")
			}
		})
		write(t, st, func(tx runtime.Tx) {
			ok(t, tx.LeaveSegment(ada, "vip"), "LeaveSegment(%d, vip)", ada)
			// Leaving a segment the contact is not in is no error: a
			// dynamic segment's member may have left it already.
			ok(t, tx.LeaveSegment(ada, "vip"), "LeaveSegment(%d, vip) again", ada)
			ok(t, tx.LeaveSegment(ada, "never_joined"), "LeaveSegment(%d, never_joined)", ada)
		})
		read(t, st, func(tx runtime.Tx) {
			if got, want := describeMemberships(membershipsOf(t, tx, ada)), "trial_users since 2026-06-10T09:00:00Z"; got != want {
				t.Errorf("after LeaveSegment(%d, vip), Memberships = %s, want %s", ada, got, want)
			}
			if got, want := describeMemberships(membershipsOf(t, tx, bob)), "trial_users since 2026-06-10T09:00:00Z, vip since 2026-06-10T09:00:00Z"; got != want {
				t.Errorf("LeaveSegment(%d, vip) changed contact %d's memberships: %s, want %s", ada, bob, got, want)
			}
		})
	})

	// journey server reports each segment's size (GET /v1/segments).
	t.Run("SizeCountsTheSegmentsMembers", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			for i := range 3 {
				id := newContact(t, tx, fmt.Sprintf("c%d@example.com", i)).ID
				ok(t, tx.JoinSegment(id, "vip", at(0)), "JoinSegment")
				if i == 0 {
					ok(t, tx.JoinSegment(id, "trial_users", at(0)), "JoinSegment")
				}
			}
		})
		read(t, st, func(tx runtime.Tx) {
			for segment, want := range map[string]int{"vip": 3, "trial_users": 1, "nobody": 0} {
				if n := segmentSize(t, tx, segment); n != want {
					t.Errorf("SegmentSize(%s) = %d, want %d", segment, n, want)
				}
			}
		})
	})
}
