package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

func timelineOf(t *testing.T, tx runtime.Tx, contactID int64) []runtime.TimelineEntry {
	t.Helper()
	entries, err := tx.Timeline(contactID)
	ok(t, err, "Timeline(%d)", contactID)
	return entries
}

func describeTimeline(entries []runtime.TimelineEntry) string {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(describeEntry(e) + "\n")
	}
	return b.String()
}

func (s *suite) timeline(t *testing.T) {
	t.Run("InTheOrderWritten", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		var want []runtime.TimelineEntry
		n := 0
		entry := func(contactID int64) runtime.TimelineEntry {
			n++
			return runtime.TimelineEntry{ContactID: contactID, At: at(time.Duration(n%3) * time.Minute), Campaign: "welcome",
				Element: fmt.Sprintf("step_%02d", n), Kind: "wait", Outcome: fmt.Sprintf("outcome %d", n), PlanHash: "sha256:abc"}
		}
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
		})
		// Steps write 0 to many entries at once, often at the same instant;
		// their order is the order written, across steps too.
		for _, size := range []int{1, 0, 2, 3, 8, 9, 17, 5} {
			write(t, st, func(tx runtime.Tx) {
				var batch []runtime.TimelineEntry
				for range size {
					e := entry(ada)
					batch = append(batch, e)
					want = append(want, e)
				}
				ok(t, tx.AddTimeline(batch), "AddTimeline(%d entries)", size)
				ok(t, tx.AddTimeline([]runtime.TimelineEntry{entry(bob)}), "AddTimeline(another contact's entry)")
			})
		}
		read(t, st, func(tx runtime.Tx) {
			if got := timelineOf(t, tx, ada); describeTimeline(got) != describeTimeline(want) {
				t.Errorf("Timeline(%d) is not every entry written, in the order written:\n got:\n%s want:\n%s", ada, describeTimeline(got), describeTimeline(want))
			}
			if got := timelineOf(t, tx, bob); len(got) != 8 {
				t.Errorf("Timeline(%d) has %d entries; want the 8 written for that contact", bob, len(got))
			}
		})
	})

	t.Run("DetailRoundTrip", func(t *testing.T) {
		st := s.open(t)
		var id int64
		details := []json.RawMessage{
			nil,
			json.RawMessage(`{}`),
			json.RawMessage(`{"error":"division by zero","values":[1,2.5,"ü🎉",null,true],"nested":{"k":{}}}`),
			json.RawMessage(`"just text"`),
			json.RawMessage(`[1, 2,  3]`),
		}
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			var entries []runtime.TimelineEntry
			for i, d := range details {
				entries = append(entries, runtime.TimelineEntry{ContactID: id, At: at(0), Outcome: fmt.Sprint(i), Detail: d})
			}
			ok(t, tx.AddTimeline(entries), "AddTimeline")
		})
		read(t, st, func(tx runtime.Tx) {
			got := timelineOf(t, tx, id)
			if len(got) != len(details) {
				t.Fatalf("Timeline(%d) has %d entries; want %d", id, len(got), len(details))
			}
			for i, d := range details {
				if describeJSON(got[i].Detail) != describeJSON(d) {
					t.Errorf("timeline entry %d's Detail = %s; want %s (the same JSON value; an entry written without one has none)", i, describeJSON(got[i].Detail), describeJSON(d))
				}
			}
		})
	})
}

func deliveriesOf(t *testing.T, tx runtime.Tx, contactID int64) []*runtime.Delivery {
	t.Helper()
	ds, err := tx.Deliveries(contactID)
	ok(t, err, "Deliveries(%d)", contactID)
	return ds
}

func describeDeliveries(ds []*runtime.Delivery) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(describeDelivery(d) + "\n")
	}
	return b.String()
}

func delivery(contactID int64, key string) *runtime.Delivery {
	return &runtime.Delivery{ContactID: contactID, Kind: "email", Asset: "welcome", Source: "welcome/send_welcome", Key: key,
		Marketing: true, Payload: map[string]any{"subject": "Hello"}, Status: "pending", CreatedAt: at(0)}
}

func addDelivery(t *testing.T, tx runtime.Tx, d *runtime.Delivery) bool {
	t.Helper()
	stored, err := tx.AddDelivery(d)
	ok(t, err, "AddDelivery(key %q of contact %d)", d.Key, d.ContactID)
	return stored
}

func (s *suite) deliveries(t *testing.T) {
	t.Run("AddSetsIDAndRoundTrips", func(t *testing.T) {
		st := s.open(t)
		var id int64
		var want []*runtime.Delivery
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			for _, d := range []*runtime.Delivery{
				delivery(id, "k1"),
				{ContactID: id, Kind: "webhook", Source: "welcome/notify_crm", Key: "k2",
					Payload: map[string]any{"url": "https://example.com/hook?a=1&b=<2>", "body": map[string]any{"n": 2.0, "ok": true}},
					Status:  "sent", CreatedAt: at(time.Hour)},
			} {
				if !addDelivery(t, tx, d) {
					t.Fatalf("AddDelivery(key %q) of a new key = false; want true (stored)", d.Key)
				}
				if d.ID == 0 {
					t.Fatalf("AddDelivery(key %q) left the delivery's ID 0: it must set it", d.Key)
				}
				want = append(want, d)
			}
			if want[0].ID == want[1].ID {
				t.Errorf("AddDelivery gave two deliveries the same ID %d", want[0].ID)
			}
		})
		read(t, st, func(tx runtime.Tx) {
			if got := deliveriesOf(t, tx, id); describeDeliveries(got) != describeDeliveries(want) {
				t.Errorf("Deliveries(%d) does not list what was added, oldest first:\n got:\n%s want:\n%s", id, describeDeliveries(got), describeDeliveries(want))
			}
		})
	})

	t.Run("OldestFirst", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		var want []string
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
		})
		// Keys in reverse text order, so that only the order added sorts them.
		for i := range 6 {
			write(t, st, func(tx runtime.Tx) {
				key := fmt.Sprintf("%d/key-%d", ada, 9-i)
				addDelivery(t, tx, delivery(ada, key))
				addDelivery(t, tx, delivery(bob, fmt.Sprintf("%d/key-%d", bob, i)))
				want = append(want, key)
			})
		}
		read(t, st, func(tx runtime.Tx) {
			var got []string
			for _, d := range deliveriesOf(t, tx, ada) {
				got = append(got, d.Key)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Deliveries(%d) lists keys %q; want %q, that contact's, oldest first", ada, got, want)
			}
		})
	})

	t.Run("SameKeyStoredOnce", func(t *testing.T) {
		st := s.open(t)
		var id int64
		var first *runtime.Delivery
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			first = delivery(id, "1/welcome/send/abc/1")
			addDelivery(t, tx, first)
			again := delivery(id, first.Key)
			again.Payload = map[string]any{"subject": "a retry"}
			if addDelivery(t, tx, again) {
				t.Errorf("AddDelivery of a key the contact has already, in the same transaction = true; want false (not stored again)")
			}
		})
		write(t, st, func(tx runtime.Tx) {
			again := delivery(id, first.Key)
			again.Payload = map[string]any{"subject": "a retry after a crash"}
			if addDelivery(t, tx, again) {
				t.Errorf("AddDelivery of a key the contact has already, in a later transaction = true; want false (not stored again)")
			}
		})
		read(t, st, func(tx runtime.Tx) {
			if got := deliveriesOf(t, tx, id); describeDeliveries(got) != describeDeliveries([]*runtime.Delivery{first}) {
				t.Errorf("Deliveries(%d) after the same key was added three times:\n got:\n%s want the first only:\n%s", id, describeDeliveries(got), describeDeliveries([]*runtime.Delivery{first}))
			}
		})
	})

	t.Run("SameKeyOtherContactStored", func(t *testing.T) {
		st := s.open(t)
		write(t, st, func(tx runtime.Tx) {
			ada := newContact(t, tx, "ada@example.com").ID
			bob := newContact(t, tx, "bob@example.com").ID
			addDelivery(t, tx, delivery(ada, "same-key"))
			if !addDelivery(t, tx, delivery(bob, "same-key")) {
				t.Errorf("AddDelivery of another contact's key = false; want true: a key is unique per contact")
			}
			for _, id := range []int64{ada, bob} {
				if got := deliveriesOf(t, tx, id); len(got) != 1 || got[0].Key != "same-key" {
					t.Errorf("Deliveries(%d) =\n%s want its own delivery keyed same-key", id, describeDeliveries(got))
				}
			}
		})
	})
}

func markSent(t *testing.T, tx runtime.Tx, contactID int64, email string) bool {
	t.Helper()
	first, err := tx.MarkSent(contactID, email)
	ok(t, err, "MarkSent(%d, %s)", contactID, email)
	return first
}

func (s *suite) markSent(t *testing.T) {
	t.Run("OncePerContactAndEmail", func(t *testing.T) {
		st := s.open(t)
		var ada, bob int64
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			if !markSent(t, tx, ada, "newsletter") {
				t.Errorf("MarkSent(ada, newsletter) the first time = false; want true")
			}
			if markSent(t, tx, ada, "newsletter") {
				t.Errorf("MarkSent(ada, newsletter) the second time, in the same transaction = true; want false")
			}
			if !markSent(t, tx, ada, "promo_ü") {
				t.Errorf("MarkSent(ada, promo_ü) after newsletter = false; want true (another email)")
			}
			if !markSent(t, tx, bob, "newsletter") {
				t.Errorf("MarkSent(bob, newsletter) after ada had it = false; want true (another contact)")
			}
		})
		read(t, st, func(tx runtime.Tx) {
			if markSent(t, tx, ada, "newsletter") {
				t.Errorf("MarkSent(ada, newsletter) in a later transaction = true; want false (sent before)")
			}
		})
	})
	t.Run("AddMarketingDeliveryIsMarkSentThenAddDelivery", func(t *testing.T) {
		st := s.open(t)
		add := func(tx runtime.Tx, d *runtime.Delivery) (bool, bool) {
			t.Helper()
			first, stored, err := tx.AddMarketingDelivery(d)
			ok(t, err, "AddMarketingDelivery(%s)", describeDelivery(d))
			if stored && d.ID == 0 {
				t.Errorf("AddMarketingDelivery stored %s but left its ID 0: it must set it", describeDelivery(d))
			}
			return first, stored
		}
		var ada, bob int64
		var want *runtime.Delivery
		write(t, st, func(tx runtime.Tx) {
			ada = newContact(t, tx, "ada@example.com").ID
			bob = newContact(t, tx, "bob@example.com").ID
			want = delivery(ada, "k1")
			if first, stored := add(tx, want); !first || !stored {
				t.Errorf("AddMarketingDelivery(ada, welcome) the first time = %v, %v; want true, true", first, stored)
			}
			if first, stored := add(tx, delivery(ada, "k2")); first || stored {
				t.Errorf("AddMarketingDelivery(ada, welcome) again, another key = %v, %v; want false, false (sent before, nothing stored)", first, stored)
			}
			markSent(t, tx, bob, "welcome")
			if first, stored := add(tx, delivery(bob, "k3")); first || stored {
				t.Errorf("AddMarketingDelivery(bob, welcome) after MarkSent(bob, welcome) = %v, %v; want false, false", first, stored)
			}
			if !addDelivery(t, tx, delivery(bob, "k4")) {
				t.Fatalf("AddDelivery(bob, k4) = false; want true")
			}
			promo := delivery(bob, "k4")
			promo.Asset = "promo"
			if first, stored := add(tx, promo); !first || stored {
				t.Errorf("AddMarketingDelivery(bob, promo) keyed as a stored delivery = %v, %v; want true, false (marked sent, the key exists)", first, stored)
			}
		})
		read(t, st, func(tx runtime.Tx) {
			if got := deliveriesOf(t, tx, ada); len(got) != 1 || describeDelivery(got[0]) != describeDelivery(want) {
				t.Errorf("Deliveries(ada) =\n%s want only\n%s", describeDeliveries(got), describeDelivery(want))
			}
			if got := deliveriesOf(t, tx, bob); len(got) != 1 || got[0].Key != "k4" || got[0].Asset != "welcome" {
				t.Errorf("Deliveries(bob) =\n%s want only k4, of welcome", describeDeliveries(got))
			}
			for _, c := range []struct {
				id    int64
				email string
			}{{ada, "welcome"}, {bob, "welcome"}, {bob, "promo"}} {
				if markSent(t, tx, c.id, c.email) {
					t.Errorf("MarkSent(%d, %s) after AddMarketingDelivery = true; want false (marked sent)", c.id, c.email)
				}
			}
		})
	})
}
