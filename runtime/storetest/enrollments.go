package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

func (s *suite) enrollments(t *testing.T) {
	t.Run("InsertSetsIDs", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			c := newContact(t, tx, "ada@example.com")
			e := enroll(t, tx, c.ID, "campaign", "welcome", runtime.StatusActive,
				waiting("wait_a_day", at(24*time.Hour)), stopped("thank_you"))
			if e.ID == 0 {
				t.Fatalf("SaveEnrollment(new) left the enrollment's ID 0: it must set it")
			}
			a, b := e.Tokens[0], e.Tokens[1]
			if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
				t.Errorf("SaveEnrollment(new) set token IDs %d and %d; want two distinct IDs, neither 0", a.ID, b.ID)
			}
			for _, tok := range e.Tokens {
				if tok.EnrollmentID != e.ID {
					t.Errorf("SaveEnrollment(new) left token %d's EnrollmentID %d; want the enrollment's new ID %d", tok.ID, tok.EnrollmentID, e.ID)
				}
			}
		})
	})

	t.Run("RoundTrip", func(t *testing.T) {
		st := s.open(t)
		var want []*runtime.Enrollment
		var id int64
		write(t, st, func(tx runtime.Tx) {
			c := newContact(t, tx, "ada@example.com")
			id = c.ID
			camp := enroll(t, tx, c.ID, "campaign", "welcome", runtime.StatusActive,
				waiting("wait_a_day", at(24*time.Hour)),
				&runtime.Token{Element: "add_to_onboarding", State: runtime.StateHolding, ArrivedAt: at(time.Hour), WaitingOn: 77,
					Data: runtime.TokenData{Event: "email_opened", Fired: []string{"a"}, LastStep: "day_1", LastFired: ptr(at(-time.Hour)), Task: 9}},
				&runtime.Token{Element: "did_open", State: runtime.StatePaused, ArrivedAt: at(2 * time.Hour),
					Data: runtime.TokenData{PausedDue: ptr(at(72 * time.Hour)), PausedState: runtime.StateAwaiting}},
			)
			seq := runtime.NewEnrollment(&runtime.Enrollment{ContactID: c.ID, Kind: "sequence", Name: "nurture", Status: runtime.StatusPaused,
				EnteredAt: at(-30 * 24 * time.Hour), Entries: 3, Returned: true})
			ok(t, tx.SaveEnrollment(seq), "SaveEnrollment(new sequence without tokens)")
			want = []*runtime.Enrollment{camp, seq}
		})
		read(t, st, func(tx runtime.Tx) {
			got := enrollments(t, tx, id)
			if describeEnrollments(got) != describeEnrollments(want) {
				t.Errorf("Enrollments(%d) does not load what was saved:\n got:\n%s want:\n%s", id, describeEnrollments(got), describeEnrollments(want))
			}
			for _, e := range got {
				if e.IsNew() || e.Changed() {
					t.Errorf("Enrollments(%d) loaded enrollment %d marked new or changed: a loaded enrollment is neither until the caller changes it", id, e.ID)
				}
				for _, tok := range e.Tokens {
					if tok.IsNew() || tok.Changed() || tok.Removed() {
						t.Errorf("Enrollments(%d) loaded token %d marked new, changed or removed: a loaded token is none of them", id, tok.ID)
					}
				}
			}
		})
	})

	// A keyed campaign holds one enrollment per key, each with the
	// properties of the event it entered with; a goal's event replaces
	// them later (the key stays).
	t.Run("KeysAndProperties", func(t *testing.T) {
		st := s.open(t)
		var id int64
		var want string
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			a := runtime.NewEnrollment(&runtime.Enrollment{ContactID: id, Kind: "campaign", Name: "reminders", Key: "a-1", Status: runtime.StatusActive,
				EnteredAt: at(0), Entries: 1, Properties: map[string]any{"appointment_id": "a-1", "starts_at": "2026-06-15T14:00:00-04:00", "price": 120.5, "tags": []any{"x", "y"}},
				Tokens: []*runtime.Token{waiting("day_before", at(24*time.Hour))}})
			ok(t, tx.SaveEnrollment(a), "SaveEnrollment(new keyed enrollment a-1)")
			b := runtime.NewEnrollment(&runtime.Enrollment{ContactID: id, Kind: "campaign", Name: "reminders", Key: "a-2", Status: runtime.StatusActive,
				EnteredAt: at(time.Hour), Entries: 2, Properties: map[string]any{"appointment_id": "a-2", "html": "<b>&</b>"},
				Tokens: []*runtime.Token{waiting("day_before", at(48*time.Hour))}})
			ok(t, tx.SaveEnrollment(b), "SaveEnrollment(new keyed enrollment a-2)")
			want = describeEnrollments([]*runtime.Enrollment{a, b})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := describeEnrollments(enrollments(t, tx, id)); got != want {
				t.Errorf("Enrollments(%d) does not load the keys and properties saved:\n got:\n%s want:\n%s", id, got, want)
			}
		})
		write(t, st, func(tx runtime.Tx) {
			got := enrollments(t, tx, id)
			got[0].Properties = map[string]any{"appointment_id": "a-1", "starts_at": "2026-06-20T09:00:00-04:00"}
			got[0].MarkChanged()
			ok(t, tx.SaveEnrollment(got[0]), "SaveEnrollment(with new properties)")
			want = describeEnrollments(got)
		})
		read(t, st, func(tx runtime.Tx) {
			if got := describeEnrollments(enrollments(t, tx, id)); got != want {
				t.Errorf("Enrollments(%d) after an enrollment's properties changed:\n got:\n%s want:\n%s", id, got, want)
			}
		})
	})

	t.Run("NewTokenInserted", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive, waiting("wait_a_day", at(24*time.Hour)))
		})
		var want string
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			added := e.AddToken(&runtime.Token{Element: "fork_b", State: runtime.StateAwaiting, DueAt: ptr(at(48 * time.Hour)), ArrivedAt: at(time.Hour),
				Data: runtime.TokenData{Event: "link_clicked"}})
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(with a new token)")
			if added.ID == 0 || added.ID == e.Tokens[0].ID {
				t.Errorf("SaveEnrollment gave the new token ID %d; want a new ID (the enrollment's other token is %d)", added.ID, e.Tokens[0].ID)
			}
			want = describeEnrollments([]*runtime.Enrollment{e})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := describeEnrollments(enrollments(t, tx, id)); got != want {
				t.Errorf("Enrollments(%d) after a token was added:\n got:\n%s want:\n%s", id, got, want)
			}
		})
	})

	t.Run("ChangedTokenUpdated", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive,
				waiting("wait_a_day", at(24*time.Hour)), stopped("thank_you"))
		})
		var want string
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			moved, cleared := e.Tokens[0], e.Tokens[1]
			moved.Element, moved.State, moved.DueAt, moved.ArrivedAt = "did_open", runtime.StateAwaiting, ptr(at(96*time.Hour)), at(24*time.Hour)
			moved.WaitingOn, moved.Data = 5, runtime.TokenData{Event: "email_opened", Fired: []string{"x", "y"}}
			moved.MarkChanged()
			cleared.Element, cleared.State, cleared.DueAt = "holding", runtime.StateHolding, nil
			cleared.MarkChanged()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(with changed tokens)")
			want = describeEnrollments([]*runtime.Enrollment{e})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := describeEnrollments(enrollments(t, tx, id)); got != want {
				t.Errorf("Enrollments(%d) after its tokens changed:\n got:\n%s want:\n%s", id, got, want)
			}
		})
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			e.Tokens[0].DueAt = nil
			e.Tokens[0].MarkChanged()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(with a due time cleared)")
		})
		read(t, st, func(tx runtime.Tx) {
			if due := theEnrollment(t, tx, id).Tokens[0].DueAt; due != nil {
				t.Errorf("a token saved without a due time loads with DueAt %s; want nil", stamp(*due))
			}
		})
	})

	t.Run("RemovedTokenDeleted", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive,
				waiting("path_a", at(time.Hour)), waiting("path_b", at(2*time.Hour)), stopped("path_c"))
		})
		var kept []int64
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			e.Tokens[1].MarkRemoved()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(with a removed token)")
			kept = []int64{e.Tokens[0].ID, e.Tokens[2].ID}
		})
		read(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			if got := tokenIDs(e); !slices.Equal(got, kept) {
				t.Errorf("after one of three tokens was removed, the enrollment has tokens %v; want %v", got, kept)
			}
		})
	})

	t.Run("NewAndRemovedNeverStored", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive, stopped("start"))
		})
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			e.AddToken(waiting("passing_through", at(time.Hour))).MarkRemoved()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(with a token added and removed in the same step)")
		})
		read(t, st, func(tx runtime.Tx) {
			if e := theEnrollment(t, tx, id); len(e.Tokens) != 1 {
				t.Errorf("a token added and removed before it was saved was stored: the enrollment has %d tokens, want 1:\n%s", len(e.Tokens), describeEnrollments([]*runtime.Enrollment{e}))
			}
			due, err := tx.Due(farFuture(), 10)
			ok(t, err, "Due")
			if len(due) != 0 {
				t.Errorf("Due lists %s; want nothing (the only waiting token was removed before it was saved)", describeDue(due))
			}
		})
	})

	t.Run("StatusAndReturnedUpdated", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive, stopped("start"))
		})
		var want string
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			e.Status, e.Returned = runtime.StatusEnded, true
			e.MarkChanged()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(ended)")
			want = describeEnrollments([]*runtime.Enrollment{e})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := describeEnrollments(enrollments(t, tx, id)); got != want {
				t.Errorf("Enrollments(%d) after the enrollment ended and returned:\n got:\n%s want:\n%s", id, got, want)
			}
		})
	})

	t.Run("InTheOrderCreated", func(t *testing.T) {
		st := s.open(t)
		var id int64
		var want []int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			// Names and times in reverse, so only creation order sorts them.
			for i, name := range []string{"zeta", "mu", "alpha"} {
				e := runtime.NewEnrollment(&runtime.Enrollment{ContactID: id, Kind: "campaign", Name: name, Status: runtime.StatusActive,
					EnteredAt: at(-time.Duration(i) * time.Hour), Entries: 1})
				ok(t, tx.SaveEnrollment(e), "SaveEnrollment(%s)", name)
				want = append(want, e.ID)
			}
		})
		var wantTokens []int64
		write(t, st, func(tx runtime.Tx) {
			e := enrollments(t, tx, id)[1]
			for i, el := range []string{"z", "m", "a"} {
				e.AddToken(waiting(el, at(-time.Duration(i)*time.Hour)))
			}
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(three new tokens)")
			wantTokens = tokenIDs(e)
		})
		read(t, st, func(tx runtime.Tx) {
			enrs := enrollments(t, tx, id)
			var got []int64
			for _, e := range enrs {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Enrollments(%d) lists enrollments %v; want %v, in the order they were created", id, got, want)
			}
			if got := tokenIDs(enrs[1]); !slices.Equal(got, wantTokens) {
				t.Errorf("enrollment %d lists tokens %v; want %v, in the order they were created", enrs[1].ID, got, wantTokens)
			}
		})
	})

	t.Run("OnlyTheContacts", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			enroll(t, tx, ada, "campaign", "welcome", runtime.StatusActive, stopped("start"))
			enroll(t, tx, bob, "campaign", "welcome", runtime.StatusActive, stopped("start"), stopped("other"))
		})
		read(t, st, func(tx runtime.Tx) {
			for _, e := range enrollments(t, tx, ada) {
				if e.ContactID != ada {
					t.Errorf("Enrollments(%d) lists an enrollment of contact %d", ada, e.ContactID)
				}
				for _, tok := range e.Tokens {
					if tok.ContactID != ada {
						t.Errorf("Enrollments(%d) lists token %d of contact %d", ada, tok.ID, tok.ContactID)
					}
				}
			}
			if n := len(theEnrollment(t, tx, ada).Tokens); n != 1 {
				t.Errorf("contact %d's enrollment loads with %d tokens; want its 1", ada, n)
			}
			if enrs := enrollments(t, tx, bob+ada+1000); len(enrs) != 0 {
				t.Errorf("Enrollments of a contact that does not exist = %s; want none", describeEnrollments(enrs))
			}
		})
	})
}

func tokenIDs(e *runtime.Enrollment) []int64 {
	var ids []int64
	for _, tok := range e.Tokens {
		ids = append(ids, tok.ID)
	}
	return ids
}

func (s *suite) contactsOn(t *testing.T) {
	t.Run("ActiveAndPausedOnly", func(t *testing.T) {
		st := s.open(t)
		ids := map[string]int64{}
		write(t, st, func(tx runtime.Tx) {
			// Created in reverse name order, so that the answer's order is
			// the IDs', not the creation's by accident.
			for _, who := range []string{"paused", "active_twice", "active", "ended", "exited", "other_campaign", "sequence_of_that_name"} {
				ids[who] = newContact(t, tx, who+"@example.com").ID
			}
			enroll(t, tx, ids["active"], "campaign", "welcome", runtime.StatusActive, stopped("start"))
			enroll(t, tx, ids["paused"], "campaign", "welcome", runtime.StatusPaused)
			enroll(t, tx, ids["active_twice"], "campaign", "welcome", runtime.StatusEnded)
			enroll(t, tx, ids["active_twice"], "campaign", "welcome", runtime.StatusActive)
			enroll(t, tx, ids["active_twice"], "campaign", "welcome", runtime.StatusPaused)
			enroll(t, tx, ids["ended"], "campaign", "welcome", runtime.StatusEnded)
			enroll(t, tx, ids["exited"], "campaign", "welcome", runtime.StatusExited)
			enroll(t, tx, ids["other_campaign"], "campaign", "welcome_back", runtime.StatusActive)
			enroll(t, tx, ids["sequence_of_that_name"], "sequence", "welcome", runtime.StatusActive)
		})
		want := []int64{ids["paused"], ids["active_twice"], ids["active"]}
		slices.Sort(want)
		read(t, st, func(tx runtime.Tx) {
			got, err := tx.ContactsOn("campaign", "welcome")
			ok(t, err, "ContactsOn")
			if !slices.Equal(got, want) {
				t.Errorf("ContactsOn(campaign, welcome) = %v; want %v: each contact with an active or paused enrollment in that campaign once, in ID order (of %s)", got, want, describeIDs(ids))
			}
			got, err = tx.ContactsOn("sequence", "welcome")
			ok(t, err, "ContactsOn")
			if want := []int64{ids["sequence_of_that_name"]}; !slices.Equal(got, want) {
				t.Errorf("ContactsOn(sequence, welcome) = %v; want %v, the contact on the sequence, not those on the campaign of that name", got, want)
			}
			got, err = tx.ContactsOn("campaign", "nobody_here")
			ok(t, err, "ContactsOn")
			if len(got) != 0 {
				t.Errorf("ContactsOn(campaign, nobody_here) = %v; want none", got)
			}
		})
	})

	t.Run("FollowsStatus", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive)
		})
		write(t, st, func(tx runtime.Tx) {
			e := theEnrollment(t, tx, id)
			e.Status = runtime.StatusExited
			e.MarkChanged()
			ok(t, tx.SaveEnrollment(e), "SaveEnrollment(exited)")
		})
		read(t, st, func(tx runtime.Tx) {
			got, err := tx.ContactsOn("campaign", "welcome")
			ok(t, err, "ContactsOn")
			if len(got) != 0 {
				t.Errorf("ContactsOn(campaign, welcome) = %v after the only contact exited; want none", got)
			}
		})
	})
}

func describeIDs(ids map[string]int64) string {
	var parts []string
	for who, id := range ids {
		parts = append(parts, fmt.Sprintf("%s=%d", who, id))
	}
	slices.Sort(parts)
	return fmt.Sprint(parts)
}
