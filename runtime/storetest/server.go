package storetest

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// What journey server asks of a store beyond the engine's steps: events
// with idempotency keys, contacts found by email or external id, the
// outbox's attempts, counts per element, savepoints.

func (s *suite) server(t *testing.T) {
	t.Run("AddEvent/RepeatedKeyGetsTheFirstEvent", func(t *testing.T) {
		st := s.open(t)
		var first runtime.StoredEvent
		write(t, st, func(tx runtime.Tx) {
			c := newContact(t, tx, "ada@example.com")
			first = runtime.StoredEvent{ContactID: c.ID, Kind: "tag_added", Args: map[string]string{"tag": "vip"},
				Properties: map[string]any{"source": "web", "amount": 12.5}, Key: "k1", ReceivedAt: at(time.Minute)}
			stored, err := tx.AddEvent(&first)
			ok(t, err, "AddEvent(k1)")
			if !stored || first.ID == 0 {
				t.Fatalf("AddEvent of a new key = %v with ID %d; want true and the ID set", stored, first.ID)
			}
		})
		write(t, st, func(tx runtime.Tx) {
			again := runtime.StoredEvent{ContactID: first.ContactID, Kind: "api", Args: map[string]string{"name": "other"}, Key: "k1", ReceivedAt: at(time.Hour)}
			stored, err := tx.AddEvent(&again)
			ok(t, err, "AddEvent(k1 again)")
			if stored {
				t.Fatal("AddEvent stored a second event under a key it had: a repeated request must change nothing")
			}
			if again.ID != first.ID || again.Kind != "tag_added" || again.Args["tag"] != "vip" || again.Properties["amount"] != 12.5 || !again.ReceivedAt.Equal(first.ReceivedAt) {
				t.Errorf("AddEvent of a repeated key filled %+v; want the first event %+v", again, first)
			}
			for i := 0; i < 2; i++ {
				e := runtime.StoredEvent{ContactID: first.ContactID, Kind: "api", ReceivedAt: at(0)}
				stored, err := tx.AddEvent(&e)
				ok(t, err, "AddEvent(no key)")
				if !stored {
					t.Fatal("an event without a key was refused: only a repeated key makes a repeat")
				}
			}
		})
	})
	t.Run("ContactByEmail/TrimmedAndCaseInsensitive", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, " Ada@Example.COM ").ID
			newContact(t, tx, "bob@example.com")
		})
		read(t, st, func(tx runtime.Tx) {
			for _, email := range []string{"ada@example.com", "ADA@example.com ", " ada@EXAMPLE.com"} {
				got, err := tx.ContactByEmail(email)
				ok(t, err, "ContactByEmail(%q)", email)
				if got != id {
					t.Errorf("ContactByEmail(%q) = %d; want %d", email, got, id)
				}
			}
			if _, err := tx.ContactByEmail("nobody@example.com"); !errors.Is(err, runtime.ErrNoContact) {
				t.Errorf("ContactByEmail(an unknown address) = %v; want ErrNoContact", err)
			}
			if _, err := tx.ContactByEmail(""); !errors.Is(err, runtime.ErrNoContact) {
				t.Errorf("ContactByEmail(\"\") = %v; want ErrNoContact (contacts without an email are nobody's match)", err)
			}
		})
	})
	t.Run("ContactByExternalID/UniqueWhenSet", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			c := &runtime.Contact{ExternalID: "crm-1", Fields: map[string]any{}, CreatedAt: at(0)}
			ok(t, tx.CreateContact(c), "CreateContact(crm-1)")
			id = c.ID
			for i := 0; i < 2; i++ {
				ok(t, tx.CreateContact(&runtime.Contact{Fields: map[string]any{}, CreatedAt: at(0)}), "CreateContact(no external id)")
			}
		})
		read(t, st, func(tx runtime.Tx) {
			got, err := tx.ContactByExternalID("crm-1")
			ok(t, err, "ContactByExternalID(crm-1)")
			if got != id {
				t.Errorf("ContactByExternalID(crm-1) = %d; want %d", got, id)
			}
			if _, err := tx.ContactByExternalID(""); !errors.Is(err, runtime.ErrNoContact) {
				t.Errorf("ContactByExternalID(\"\") = %v; want ErrNoContact", err)
			}
		})
		tx := begin(t, st)
		if err := tx.CreateContact(&runtime.Contact{ExternalID: "crm-1", Fields: map[string]any{}, CreatedAt: at(0)}); err == nil {
			t.Error("a second contact with external id crm-1 was stored: an external id names one contact")
		}
	})
	t.Run("Delivery/AttemptsRoundTrip", func(t *testing.T) {
		st := s.open(t)
		var d *runtime.Delivery
		write(t, st, func(tx runtime.Tx) {
			c := newContact(t, tx, "ada@example.com")
			d = &runtime.Delivery{ContactID: c.ID, Kind: "email", Asset: "welcome", Source: "c/welcome", Key: "k", Marketing: true,
				Payload: map[string]any{"to": "ada@example.com"}, Status: runtime.DeliveryPending, CreatedAt: at(0)}
			_, err := tx.AddDelivery(d)
			ok(t, err, "AddDelivery")
		})
		sent := at(time.Minute)
		write(t, st, func(tx runtime.Tx) {
			d.Status, d.Attempts, d.LastError, d.MessageID = runtime.DeliverySent, 2, "421 try later", "<abc@example.com>"
			d.ResponseStatus, d.ResponseBody, d.SentAt, d.UpdatedAt = 250, "OK queued", &sent, sent
			ok(t, tx.UpdateDelivery(d), "UpdateDelivery")
		})
		read(t, st, func(tx runtime.Tx) {
			got, err := tx.Delivery(d.ID)
			ok(t, err, "Delivery(%d)", d.ID)
			if got.Status != d.Status || got.Attempts != 2 || got.LastError != d.LastError || got.MessageID != d.MessageID ||
				got.ResponseStatus != 250 || got.ResponseBody != d.ResponseBody || got.SentAt == nil || !got.SentAt.Equal(sent) ||
				!got.UpdatedAt.Equal(sent) || got.ContactID != d.ContactID || got.Key != "k" || !got.Marketing || got.Payload["to"] != "ada@example.com" {
				t.Errorf("Delivery(%d) = %+v; want what UpdateDelivery wrote: %+v", d.ID, got, d)
			}
			if _, err := tx.Delivery(d.ID + 1000); !errors.Is(err, runtime.ErrNoDelivery) {
				t.Errorf("Delivery(an unknown id) = %v; want ErrNoDelivery", err)
			}
			if err := tx.UpdateDelivery(&runtime.Delivery{ID: d.ID + 1000, Status: runtime.DeliverySent}); !errors.Is(err, runtime.ErrNoDelivery) {
				t.Errorf("UpdateDelivery(an unknown id) = %v; want ErrNoDelivery", err)
			}
		})
	})
	t.Run("ListDeliveries/Filters", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			for i, spec := range []struct {
				contact      int64
				kind, status string
			}{{ada, "email", "pending"}, {ada, "sms", "held"}, {bob, "email", "sent"}, {bob, "email", "pending"}, {ada, "webhook", "failed"}} {
				d := &runtime.Delivery{ContactID: spec.contact, Kind: spec.kind, Key: string(rune('a' + i)), Payload: map[string]any{}, Status: spec.status, CreatedAt: at(0)}
				_, err := tx.AddDelivery(d)
				ok(t, err, "AddDelivery")
			}
		})
		read(t, st, func(tx runtime.Tx) {
			count := func(f runtime.DeliveryFilter) (int, []int64) {
				ds, err := tx.ListDeliveries(f)
				ok(t, err, "ListDeliveries(%+v)", f)
				var ids []int64
				for _, d := range ds {
					ids = append(ids, d.ID)
				}
				return len(ds), ids
			}
			if n, ids := count(runtime.DeliveryFilter{}); n != 5 || !ascending(ids) {
				t.Errorf("ListDeliveries(no filter) = %v; want all 5, oldest first", ids)
			}
			if n, _ := count(runtime.DeliveryFilter{Status: "pending"}); n != 2 {
				t.Errorf("ListDeliveries(status pending) = %d; want 2", n)
			}
			if n, _ := count(runtime.DeliveryFilter{Kind: "email", ContactID: bob}); n != 2 {
				t.Errorf("ListDeliveries(bob's emails) = %d; want 2", n)
			}
			n, ids := count(runtime.DeliveryFilter{Limit: 2})
			if n != 2 {
				t.Fatalf("ListDeliveries(limit 2) = %d; want 2", n)
			}
			if m, rest := count(runtime.DeliveryFilter{AfterID: ids[1]}); m != 3 || rest[0] <= ids[1] {
				t.Errorf("ListDeliveries(after %d) = %v; want the 3 after it", ids[1], rest)
			}
		})
	})
	t.Run("ElementCounts/ActiveAndPausedEnrollmentsOnly", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			for i := 0; i < 3; i++ {
				c := newContact(t, tx, "")
				enroll(t, tx, c.ID, "campaign", "welcome", runtime.StatusActive, waiting("day", at(time.Hour)))
			}
			c := newContact(t, tx, "")
			enroll(t, tx, c.ID, "campaign", "welcome", runtime.StatusActive, stopped("done"), waiting("day", at(time.Hour)))
			gone := newContact(t, tx, "")
			enroll(t, tx, gone.ID, "campaign", "welcome", runtime.StatusEnded, stopped("done"))
			other := newContact(t, tx, "")
			enroll(t, tx, other.ID, "campaign", "other", runtime.StatusActive, waiting("day", at(time.Hour)))
		})
		read(t, st, func(tx runtime.Tx) {
			counts, err := tx.ElementCounts("campaign", "welcome")
			ok(t, err, "ElementCounts(campaign welcome)")
			want := []runtime.ElementCount{{Element: "day", State: runtime.StateWaiting, Count: 4}, {Element: "done", State: runtime.StateStopped, Count: 1}}
			if len(counts) != len(want) || counts[0] != want[0] || counts[1] != want[1] {
				t.Errorf("ElementCounts(campaign welcome) = %+v; want %+v (ended enrollments do not count)", counts, want)
			}
		})
	})
	t.Run("EnrollmentCounts/ByStatus", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			for _, status := range []string{runtime.StatusActive, runtime.StatusActive, runtime.StatusPaused, runtime.StatusEnded, runtime.StatusExited, runtime.StatusExited, runtime.StatusExited} {
				c := newContact(t, tx, "")
				enroll(t, tx, c.ID, "campaign", "welcome", status, stopped("done"))
			}
			c := newContact(t, tx, "")
			enroll(t, tx, c.ID, "campaign", "other", runtime.StatusActive, stopped("done"))
			enroll(t, tx, c.ID, "sequence", "welcome", runtime.StatusActive, stopped("done"))
		})
		read(t, st, func(tx runtime.Tx) {
			got, err := tx.EnrollmentCounts("campaign", "welcome")
			ok(t, err, "EnrollmentCounts(campaign welcome)")
			want := map[string]int{runtime.StatusActive: 2, runtime.StatusPaused: 1, runtime.StatusEnded: 1, runtime.StatusExited: 3}
			if !maps.Equal(got, want) {
				t.Errorf("EnrollmentCounts(campaign welcome) = %v; want %v (every status, this campaign's only)", got, want)
			}
			none, err := tx.EnrollmentCounts("campaign", "nobody")
			ok(t, err, "EnrollmentCounts(campaign nobody)")
			if len(none) != 0 {
				t.Errorf("EnrollmentCounts of a campaign nobody entered = %v; want none", none)
			}
		})
	})
	t.Run("Savepoint/RollbackToUndoesWhatFollowed", func(t *testing.T) {
		st := s.open(t)
		var kept, undone int64
		write(t, st, func(tx runtime.Tx) {
			kept = newContact(t, tx, "kept@example.com").ID
			ok(t, tx.Savepoint(), "Savepoint")
			undone = newContact(t, tx, "undone@example.com").ID
			ok(t, tx.RollbackTo(), "RollbackTo")
			ok(t, tx.Release(), "Release")
			ok(t, tx.Savepoint(), "Savepoint (again)")
			ok(t, tx.AddTimeline([]runtime.TimelineEntry{{ContactID: kept, At: at(0), Outcome: "after the second savepoint"}}), "AddTimeline")
			ok(t, tx.Release(), "Release")
		})
		read(t, st, func(tx runtime.Tx) {
			if _, err := tx.Contact(kept); err != nil {
				t.Errorf("the contact written before the savepoint is gone: %v", err)
			}
			if _, err := tx.Contact(undone); !errors.Is(err, runtime.ErrNoContact) {
				t.Errorf("the contact written after the savepoint and rolled back to it is there (%v)", err)
			}
			if got := timelineOf(t, tx, kept); len(got) != 1 {
				t.Errorf("what a released savepoint covered was not kept: %d timeline entries", len(got))
			}
		})
	})
	t.Run("DeleteContact/RemovesItsEvents", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			_, err := tx.AddEvent(&runtime.StoredEvent{ContactID: id, Kind: "api", Key: "gone", ReceivedAt: at(0)})
			ok(t, err, "AddEvent")
			ok(t, tx.DeleteContact(id), "DeleteContact")
		})
		write(t, st, func(tx runtime.Tx) {
			c := newContact(t, tx, "grace@example.com")
			e := runtime.StoredEvent{ContactID: c.ID, Kind: "api", Key: "gone", ReceivedAt: at(0)}
			stored, err := tx.AddEvent(&e)
			ok(t, err, "AddEvent")
			if !stored {
				t.Error("a deleted contact's event still holds its idempotency key: DeleteContact must remove every trace")
			}
		})
	})
}

func ascending(ids []int64) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			return false
		}
	}
	return true
}

func (s *suite) deployments(t *testing.T) {
	t.Run("Head/MovesWithEachDeployment", func(t *testing.T) {
		st := s.open(t)
		read(t, st, func(tx runtime.Tx) {
			head, err := tx.DeploymentHead()
			ok(t, err, "DeploymentHead")
			if head != 0 {
				t.Errorf("DeploymentHead of a new store = %d; want 0", head)
			}
		})
		for serial := int64(1); serial <= 3; serial++ {
			write(t, st, func(tx runtime.Tx) {
				head, err := tx.LockDeploymentHead()
				ok(t, err, "LockDeploymentHead")
				if head != serial-1 {
					t.Fatalf("LockDeploymentHead = %d; want %d", head, serial-1)
				}
				ok(t, tx.AddDeployment(&runtime.Deployment{Serial: serial, Hash: "sha256:" + string(rune('a'+serial)), Plan: []byte(`{"n": 1}`),
					AppliedAt: at(time.Duration(serial) * time.Hour), AppliedBy: "ci", Summary: map[string]any{"change": float64(serial)}}), "AddDeployment(%d)", serial)
			})
		}
		read(t, st, func(tx runtime.Tx) {
			head, err := tx.DeploymentHead()
			ok(t, err, "DeploymentHead")
			if head != 3 {
				t.Errorf("DeploymentHead after three deployments = %d; want 3", head)
			}
			d, err := tx.Deployment(2)
			ok(t, err, "Deployment(2)")
			if d.Serial != 2 || d.Hash != "sha256:c" || string(d.Plan) != `{"n": 1}` || !d.AppliedAt.Equal(at(2*time.Hour)) || d.AppliedBy != "ci" || d.Summary["change"] != 2.0 {
				t.Errorf("Deployment(2) = %+v", d)
			}
			if _, err := tx.Deployment(9); !errors.Is(err, runtime.ErrNoDeployment) {
				t.Errorf("Deployment(an unknown serial) = %v; want ErrNoDeployment", err)
			}
			list, err := tx.Deployments(2)
			ok(t, err, "Deployments(2)")
			if len(list) != 2 || list[0].Serial != 3 || list[1].Serial != 2 || list[0].Plan != nil {
				t.Errorf("Deployments(2) = %+v; want serials 3 and 2, newest first, without plans", list)
			}
		})
	})
	t.Run("AddDeployment/SerialIsUnique", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			ok(t, tx.AddDeployment(&runtime.Deployment{Serial: 1, Hash: "sha256:a", Plan: []byte("{}"), AppliedAt: at(0)}), "AddDeployment(1)")
		})
		tx := begin(t, st)
		if err := tx.AddDeployment(&runtime.Deployment{Serial: 1, Hash: "sha256:b", Plan: []byte("{}"), AppliedAt: at(0)}); err == nil {
			t.Error("a second deployment 1 was stored: two applies made against the same serial must not both commit")
		}
	})
	t.Run("MoveTokens/ActiveAndPausedPositionsOfOneMap", func(t *testing.T) {
		st := s.open(t)
		var ids []int64
		write(t, st, func(tx runtime.Tx) {
			for _, status := range []string{runtime.StatusActive, runtime.StatusPaused, runtime.StatusEnded} {
				c := newContact(t, tx, "")
				ids = append(ids, c.ID)
				enroll(t, tx, c.ID, "campaign", "welcome", status, waiting("day", at(time.Hour)), stopped("other"))
			}
			c := newContact(t, tx, "")
			ids = append(ids, c.ID)
			enroll(t, tx, c.ID, "campaign", "elsewhere", runtime.StatusActive, waiting("day", at(time.Hour)))
		})
		write(t, st, func(tx runtime.Tx) {
			n, err := tx.MoveTokens("campaign", "welcome", "day", "first_day")
			ok(t, err, "MoveTokens")
			if n != 2 {
				t.Errorf("MoveTokens moved %d positions; want the 2 of active and paused enrollments", n)
			}
		})
		read(t, st, func(tx runtime.Tx) {
			for i, want := range []string{"first_day", "first_day", "day", "day"} {
				e := theEnrollment(t, tx, ids[i])
				if tok := tokenOnOrNil(e, want); tok == nil {
					t.Errorf("contact %d (%s %s): no position on %s after the move: %s", ids[i], e.Status, e.Name, want, describeEnrollments([]*runtime.Enrollment{e}))
				}
				if tokenOnOrNil(e, "other") == nil && e.Name == "welcome" {
					t.Errorf("contact %d: the position on another element moved too", ids[i])
				}
			}
		})
	})
	t.Run("AddTimelineOn/TheContactsOnAnElementOfOneMap", func(t *testing.T) {
		st := s.open(t)
		var ids []int64
		write(t, st, func(tx runtime.Tx) {
			for _, status := range []string{runtime.StatusActive, runtime.StatusPaused, runtime.StatusEnded} {
				c := newContact(t, tx, "")
				ids = append(ids, c.ID)
				enroll(t, tx, c.ID, "campaign", "welcome", status, waiting("day", at(time.Hour)))
			}
			c := newContact(t, tx, "")
			ids = append(ids, c.ID)
			enroll(t, tx, c.ID, "campaign", "welcome", runtime.StatusActive, waiting("other", at(time.Hour)))
		})
		entry := runtime.TimelineEntry{At: at(0), Campaign: "welcome", Element: "first_day", Kind: "wait", Outcome: "moved by the new plan from day", PlanHash: "sha256:new"}
		write(t, st, func(tx runtime.Tx) {
			n, err := tx.AddTimelineOn("campaign", "welcome", "day", entry)
			ok(t, err, "AddTimelineOn")
			if n != 2 {
				t.Errorf("AddTimelineOn wrote %d entries; want the 2 of the active and paused enrollments on day", n)
			}
		})
		read(t, st, func(tx runtime.Tx) {
			for i, want := range []int{1, 1, 0, 0} {
				tl, err := tx.Timeline(ids[i])
				ok(t, err, "Timeline")
				if len(tl) != want {
					t.Errorf("contact %d has %d timeline entries; want %d", ids[i], len(tl), want)
					continue
				}
				if want == 1 {
					got := tl[0]
					got.ContactID = 0
					if got.Outcome != entry.Outcome || got.Element != entry.Element || got.PlanHash != entry.PlanHash || !got.At.Equal(entry.At) {
						t.Errorf("contact %d's entry %+v; want %+v", ids[i], got, entry)
					}
				}
			}
		})
	})
}

func tokenOnOrNil(e *runtime.Enrollment, element string) *runtime.Token {
	for _, tok := range e.Tokens {
		if tok.Element == element {
			return tok
		}
	}
	return nil
}
