package storetest

import (
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// dueFixture stores tokens of three contacts, written out of due order; a
// tie on due_at is broken by token ID, which here is not the contacts'
// order. It returns the tokens that have a due time, earliest first.
func dueFixture(t *testing.T, st runtime.Store) []runtime.DueToken {
	t.Helper()
	var due []runtime.DueToken
	write(t, st, func(tx runtime.Tx) {
		ada := newContact(t, tx, "ada@example.com").ID
		bob := newContact(t, tx, "bob@example.com").ID
		cy := newContact(t, tx, "cy@example.com").ID
		late := enroll(t, tx, ada, "campaign", "welcome", runtime.StatusActive,
			waiting("in_three_hours", at(3*time.Hour)), stopped("no_due_time"))
		tieFirst := enroll(t, tx, cy, "campaign", "welcome", runtime.StatusActive,
			waiting("in_an_hour", at(time.Hour)), waiting("in_two_hours", at(2*time.Hour)))
		tieSecond := enroll(t, tx, bob, "campaign", "welcome", runtime.StatusActive,
			waiting("in_five_hours", at(5*time.Hour)), waiting("in_an_hour_too", at(time.Hour)),
			&runtime.Token{Element: "holding", State: runtime.StateHolding, ArrivedAt: at(0), WaitingOn: 1})
		due = []runtime.DueToken{
			{ContactID: cy, TokenID: tieFirst.Tokens[0].ID, DueAt: at(time.Hour)},
			{ContactID: bob, TokenID: tieSecond.Tokens[1].ID, DueAt: at(time.Hour)},
			{ContactID: cy, TokenID: tieFirst.Tokens[1].ID, DueAt: at(2 * time.Hour)},
			{ContactID: ada, TokenID: late.Tokens[0].ID, DueAt: at(3 * time.Hour)},
			{ContactID: bob, TokenID: tieSecond.Tokens[0].ID, DueAt: at(5 * time.Hour)},
		}
	})
	return due
}

func dueAt(t *testing.T, tx runtime.Tx, tm time.Time, limit int) []runtime.DueToken {
	t.Helper()
	due, err := tx.Due(tm, limit)
	ok(t, err, "Due(%s, %d)", stamp(tm), limit)
	return due
}

func (s *suite) due(t *testing.T) {
	t.Run("OrderedByDueAtThenTokenID", func(t *testing.T) {
		st := s.open(t)
		all := dueFixture(t, st)
		read(t, st, func(tx runtime.Tx) {
			if got := dueAt(t, tx, at(3*time.Hour), 100); describeDue(got) != describeDue(all[:4]) {
				t.Errorf("Due(+3h, 100) =\n %s\nwant\n %s\n(the tokens due by then, in due_at order, ties by token ID)", describeDue(got), describeDue(all[:4]))
			}
		})
	})

	t.Run("AtOrBeforeTheTime", func(t *testing.T) {
		st := s.open(t)
		all := dueFixture(t, st)
		read(t, st, func(tx runtime.Tx) {
			if got := dueAt(t, tx, at(time.Hour-time.Second), 100); len(got) != 0 {
				t.Errorf("Due(a second before the first due time) = %s; want nothing", describeDue(got))
			}
			if got := dueAt(t, tx, at(2*time.Hour), 100); describeDue(got) != describeDue(all[:3]) {
				t.Errorf("Due(+2h) =\n %s\nwant the tokens due at or before it\n %s", describeDue(got), describeDue(all[:3]))
			}
			// The same instant in another zone is the same time.
			elsewhere := at(2 * time.Hour).In(time.FixedZone("UTC-04:30", -(4*3600 + 1800)))
			if got := dueAt(t, tx, elsewhere, 100); describeDue(got) != describeDue(all[:3]) {
				t.Errorf("Due(+2h written in UTC-04:30) =\n %s\nwant what Due(+2h in UTC) gives\n %s", describeDue(got), describeDue(all[:3]))
			}
		})
	})

	t.Run("LimitHonoured", func(t *testing.T) {
		st := s.open(t)
		all := dueFixture(t, st)
		read(t, st, func(tx runtime.Tx) {
			for _, limit := range []int{1, 2, 3, 5} {
				if got := dueAt(t, tx, farFuture(), limit); describeDue(got) != describeDue(all[:limit]) {
					t.Errorf("Due(far future, %d) =\n %s\nwant the first %d due\n %s", limit, describeDue(got), limit, describeDue(all[:limit]))
				}
			}
			if got := dueAt(t, tx, farFuture(), 6); describeDue(got) != describeDue(all) {
				t.Errorf("Due(far future, 6) =\n %s\nwant every token with a due time, and only those\n %s", describeDue(got), describeDue(all))
			}
		})
	})

	t.Run("FollowsChangedAndRemovedTokens", func(t *testing.T) {
		st := s.open(t)
		all := dueFixture(t, st)
		cy := all[0].ContactID
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, cy)
			moved := tokenOn(t, e, "in_an_hour")
			moved.DueAt = ptr(at(10 * time.Hour))
			moved.MarkChanged()
			tokenOn(t, e, "in_two_hours").MarkRemoved()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment")
		})
		want := []runtime.DueToken{all[1], all[3], all[4], {ContactID: cy, TokenID: all[0].TokenID, DueAt: at(10 * time.Hour)}}
		read(t, st, func(tx runtime.Tx) {
			if got := dueAt(t, tx, farFuture(), 100); describeDue(got) != describeDue(want) {
				t.Errorf("Due after one token moved to +10h and another was removed =\n %s\nwant\n %s", describeDue(got), describeDue(want))
			}
		})
	})
}

func (s *suite) nextDue(t *testing.T) {
	t.Run("NilWhenNothingWaits", func(t *testing.T) {
		st := s.open(t)
		read(t, st, func(tx runtime.Tx) {
			next, err := tx.NextDue()
			ok(t, err, "NextDue")
			if next != nil {
				t.Errorf("NextDue of an empty store = %s; want nil", stamp(*next))
			}
		})
		write(t, st, func(tx runtime.Tx) {
			id := newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive, stopped("start"))
		})
		read(t, st, func(tx runtime.Tx) {
			next, err := tx.NextDue()
			ok(t, err, "NextDue")
			if next != nil {
				t.Errorf("NextDue when no token has a due time = %s; want nil", stamp(*next))
			}
		})
	})

	t.Run("Earliest", func(t *testing.T) {
		st := s.open(t)
		all := dueFixture(t, st)
		read(t, st, func(tx runtime.Tx) {
			next, err := tx.NextDue()
			ok(t, err, "NextDue")
			if next == nil || !next.Equal(all[0].DueAt) {
				t.Errorf("NextDue = %s; want %s, the earliest due time", stampPtr(next), stamp(all[0].DueAt))
			}
		})
		// Once the earliest ones are gone, the next earliest.
		write(t, st, func(tx runtime.Tx) {
			for _, id := range []int64{all[0].ContactID, all[1].ContactID} {
				e := enrollments(t, tx, id)[0]
				for _, tok := range e.Tokens {
					if tok.DueAt != nil && tok.DueAt.Equal(at(time.Hour)) {
						tok.MarkRemoved()
					}
				}
				ok(t, tx.SaveEnrollment(e), "SaveEnrollment")
			}
		})
		read(t, st, func(tx runtime.Tx) {
			next, err := tx.NextDue()
			ok(t, err, "NextDue")
			if next == nil || !next.Equal(all[2].DueAt) {
				t.Errorf("NextDue after the tokens due at +1h were removed = %s; want %s", stampPtr(next), stamp(all[2].DueAt))
			}
		})
	})
}
