package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

func (s *suite) contacts(t *testing.T) {
	t.Run("CreateSetsID", func(t *testing.T) {
		st := s.open(t)
		var ada, bob *runtime.Contact
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com")
			bob = newContact(t, tx, "bob@example.com")
		})
		if ada.ID == bob.ID {
			t.Fatalf("CreateContact gave two contacts the same ID %d", ada.ID)
		}
		read(t, st, func(tx runtime.Tx) {
			for _, c := range []*runtime.Contact{ada, bob} {
				if got := loadContact(t, tx, c.ID).StringField("email"); got != c.StringField("email") {
					t.Errorf("Contact(%d) has email %q; want %q, the contact created with that ID", c.ID, got, c.StringField("email"))
				}
			}
		})
	})

	t.Run("RoundTrip", func(t *testing.T) {
		st := s.open(t)
		want := &runtime.Contact{
			ExternalID: "crm-42",
			Fields:     map[string]any{"email": "ada@example.com", "first_name": "Ada", "score": 12.5},
			Tags:       []string{"newsletter", "vip"},
			Points:     17.25,
			Stage:      "lead",
			Owner:      "grace",
			DNC:        []string{"sms"},
			CreatedAt:  at(-48 * time.Hour),
		}
		write(t, st, func(tx runtime.Tx) { ok(t, tx.CreateContact(want), "CreateContact") })
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, want.ID); describeContact(got) != describeContact(want) {
				t.Errorf("Contact(%d) does not load as created:\n got %s\nwant %s", want.ID, describeContact(got), describeContact(want))
			}
		})
	})

	t.Run("UnknownIsErrNoContact", func(t *testing.T) {
		st := s.open(t)
		var ada *runtime.Contact
		write(t, st, func(tx runtime.Tx) { ada = newContact(t, tx, "ada@example.com") })
		read(t, st, func(tx runtime.Tx) {
			for _, id := range []int64{ada.ID + 1000, 0, -1} {
				if c, err := tx.Contact(id); !errors.Is(err, runtime.ErrNoContact) {
					t.Errorf("Contact(%d) of a store without it = %v, %v; want an error that errors.Is runtime.ErrNoContact", id, c, err)
				}
			}
		})
	})

	t.Run("SaveWritesEveryMember", func(t *testing.T) {
		st := s.open(t)
		var ada, bob *runtime.Contact
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com")
			ada.Fields["first_name"] = "Ada"
			ok(t, tx.SaveContact(ada), "SaveContact")
			bob = newContact(t, tx, "bob@example.com")
		})
		want := *ada
		write(t, st, func(tx runtime.Tx) {
			c := loadContact(t, tx, ada.ID)
			c.Fields = map[string]any{"email": "ada@lovelace.org", "plan": "pro"} // first_name removed
			c.Tags, c.Points, c.Stage, c.Owner, c.DNC = []string{"customer"}, 3, "customer", "alan", []string{"all"}
			ok(t, tx.SaveContact(c), "SaveContact")
			want = *c
		})
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, ada.ID); describeContact(got) != describeContact(&want) {
				t.Errorf("after SaveContact, Contact(%d) does not load as saved:\n got %s\nwant %s", ada.ID, describeContact(got), describeContact(&want))
			}
			if got := loadContact(t, tx, bob.ID); describeContact(got) != describeContact(bob) {
				t.Errorf("SaveContact of contact %d changed contact %d:\n got %s\nwant %s", ada.ID, bob.ID, describeContact(got), describeContact(bob))
			}
		})
	})

	t.Run("SaveTwiceInOneTransaction", func(t *testing.T) {
		st := s.open(t)
		var ada *runtime.Contact
		write(t, st, func(tx runtime.Tx) { ada = newContact(t, tx, "ada@example.com") })
		write(t, st, func(tx runtime.Tx) {
			c := loadContact(t, tx, ada.ID)
			c.Fields["email"], c.Stage = "ada@lovelace.org", "lead"
			ok(t, tx.SaveContact(c), "SaveContact")
			c.Fields["email"], c.Stage = "ada@example.com", "customer"
			ok(t, tx.SaveContact(c), "SaveContact (again)")
			if got := loadContact(t, tx, ada.ID); got.StringField("email") != "ada@example.com" || got.Stage != "customer" {
				t.Errorf("in the transaction that saved it twice, Contact(%d) has email %q, stage %q; want the last saved, ada@example.com and customer",
					ada.ID, got.StringField("email"), got.Stage)
			}
		})
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, ada.ID); got.StringField("email") != "ada@example.com" || got.Stage != "customer" {
				t.Errorf("Contact(%d) has email %q, stage %q; want the last saved, ada@example.com and customer", ada.ID, got.StringField("email"), got.Stage)
			}
		})
	})

	// An ID names a person outside the store too (the API, a retried
	// event, a job in a queue): given again, it would name someone else.
	t.Run("IDNeverReusedAfterDelete", func(t *testing.T) {
		st := s.open(t)
		used := map[int64]string{}
		var last *runtime.Contact
		write(t, st, func(tx runtime.Tx) {
			used[newContact(t, tx, "ada@example.com").ID] = "ada@example.com"
			last = newContact(t, tx, "bob@example.com")
			used[last.ID] = "bob@example.com"
		})
		write(t, st, func(tx runtime.Tx) { ok(t, tx.DeleteContact(last.ID), "DeleteContact(%d)", last.ID) })
		write(t, st, func(tx runtime.Tx) {
			c := newContact(t, tx, "cy@example.com")
			if who, ok := used[c.ID]; ok {
				t.Errorf("CreateContact gave the new contact ID %d, the ID of %s (deleted): an ID must never name two people; give IDs from a sequence that deletes do not rewind (SQLite: AUTOINCREMENT)", c.ID, who)
			}
		})
	})

	t.Run("ExternalIDKept", func(t *testing.T) {
		st := s.open(t)
		c := &runtime.Contact{ExternalID: "ext-ü-1", Fields: map[string]any{}, CreatedAt: at(0)}
		write(t, st, func(tx runtime.Tx) { ok(t, tx.CreateContact(c), "CreateContact") })
		write(t, st, func(tx runtime.Tx) {
			got := loadContact(t, tx, c.ID)
			got.Stage = "lead"
			ok(t, tx.SaveContact(got), "SaveContact")
		})
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, c.ID); got.ExternalID != c.ExternalID {
				t.Errorf("Contact(%d).ExternalID = %q after a save; want %q, as created", c.ID, got.ExternalID, c.ExternalID)
			}
		})
	})
}
