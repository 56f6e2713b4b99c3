package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// statementCounter is a pgx tracer counting the statements sent to
// PostgreSQL: on a network database each is a round trip, and a step's
// round trips bound how many steps a node runs a second.
type statementCounter struct {
	mu  sync.Mutex
	sql []string
}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sql = append(c.sql, data.SQL)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the statements counted since the last take.
func (c *statementCounter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.sql
	c.sql = nil
	return out
}

// A step's timeline entries (a handful: "waited", "sent", "ended"...) go
// to PostgreSQL in one statement, and any number of entries in one
// statement per eight, in the order written.
func TestTimelineEntriesGoInOneStatementPerEight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counter := &statementCounter{}
	store, err := sqlstore.OpenPostgresTraced(ctx, pgtest.NewURL(t), counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 2, 3, 5, 7, 8, 9, 11, 17} {
		tx, err := store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := &runtime.Contact{Fields: map[string]any{"email": fmt.Sprintf("n%d@example.com", n)}, CreatedAt: at}
		if err := tx.CreateContact(c); err != nil {
			t.Fatal(err)
		}
		var entries []runtime.TimelineEntry
		for i := range n {
			entries = append(entries, runtime.TimelineEntry{ContactID: c.ID, At: at.Add(time.Duration(i) * time.Minute),
				Campaign: "c", Element: fmt.Sprintf("e%d", i), Kind: "wait", Outcome: "waited", PlanHash: "sha256:00"})
		}
		counter.take()
		if err := tx.AddTimeline(entries); err != nil {
			t.Fatal(err)
		}
		if got, want := len(counter.take()), (n+7)/8; got != want {
			t.Errorf("%d timeline entries took %d statements, want %d", n, got, want)
		}
		stored, err := tx.Timeline(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(stored, entries, func(a, b runtime.TimelineEntry) bool {
			return a.Element == b.Element && a.At.Equal(b.At)
		}) {
			t.Errorf("%d timeline entries came back as %+v", n, stored)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
}

// A step loads its contact, then the contact's enrollments: on PostgreSQL,
// for a contact whose due wait the transaction claimed (and locked), both
// come in one statement, as the two queries would give them.
func TestAContactAndItsEnrollmentsLoadInOneStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counter := &statementCounter{}
	store, err := sqlstore.OpenPostgresTraced(ctx, pgtest.NewURL(t), counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	due := at.Add(time.Hour)
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ada := &runtime.Contact{Fields: map[string]any{"email": "ada@example.com", "first_name": "Ada"}, Tags: []string{"go"}, CreatedAt: at}
	bare := &runtime.Contact{Fields: map[string]any{"email": "bob@example.com"}, CreatedAt: at}
	for _, c := range []*runtime.Contact{ada, bare} {
		if err := tx.CreateContact(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []*runtime.Enrollment{
		{ContactID: ada.ID, Kind: "campaign", Name: "a", Key: "appt-7", Properties: map[string]any{"room": "B"},
			Status: runtime.StatusActive, EnteredAt: at, Entries: 1, Tokens: []*runtime.Token{
				{Element: "wait", State: runtime.StateWaiting, DueAt: &due, ArrivedAt: at},
				{Element: "hold", State: runtime.StateHolding, ArrivedAt: at, WaitingOn: 7, Data: runtime.TokenData{Event: "form_submitted:signup"}}}},
		{ContactID: ada.ID, Kind: "sequence", Name: "s", Status: runtime.StatusEnded, EnteredAt: at, Entries: 2, Returned: true},
	} {
		if err := tx.SaveEnrollment(runtime.NewEnrollment(e)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		c          *runtime.Contact
		statements int
	}{
		{ada, 1},  // its wait is due: Due claims it, and locks it
		{bare, 2}, // no wait: locked by one query, read by the next
	} {
		tx, err := store.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Due(due, 10); err != nil {
			t.Fatal(err)
		}
		counter.take()
		got, err := tx.Contact(tc.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		enrs, err := tx.Enrollments(tc.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(counter.take()); n != tc.statements {
			t.Errorf("contact %s and its enrollments took %d statements, want %d", tc.c.StringField("email"), n, tc.statements)
		}
		again, err := tx.Enrollments(tc.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(describe(enrs)) != fmt.Sprint(describe(again)) || got.StringField("email") != tc.c.StringField("email") || fmt.Sprint(got.Tags) != fmt.Sprint(tc.c.Tags) {
			t.Errorf("read with the contact: %+v %s; read alone: %s; stored: %+v", got, describe(enrs), describe(again), tc.c)
		}
		tx.Rollback()
	}
	if n := len(describeOf(t, store, ada.ID)); n != 2 {
		t.Errorf("ada has %d enrollments, want 2", n)
	}

	// A write between the two reads is seen by the second.
	tx, err = store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Due(due, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Contact(ada.ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.SaveEnrollment(runtime.NewEnrollment(&runtime.Enrollment{ContactID: ada.ID, Kind: "campaign", Name: "late",
		Status: runtime.StatusActive, EnteredAt: at, Entries: 1})); err != nil {
		t.Fatal(err)
	}
	if enrs, err := tx.Enrollments(ada.ID); err != nil || len(enrs) != 3 || enrs[2].Name != "late" {
		t.Errorf("after an enrollment was written: %s, %v; want the new one third", describe(enrs), err)
	}
}

// describe writes enrollments and their tokens as text, to compare them.
func describe(enrs []*runtime.Enrollment) []string {
	var out []string
	for _, e := range enrs {
		s := fmt.Sprintf("%d %s %s key=%q %v %s %s %d %v:", e.ID, e.Kind, e.Name, e.Key, e.Properties, e.Status, e.EnteredAt.Format(time.RFC3339), e.Entries, e.Returned)
		for _, tok := range e.Tokens {
			s += fmt.Sprintf(" [%d %s %s %v %s %d %+v]", tok.ID, tok.Element, tok.State, tok.DueAt, tok.ArrivedAt.Format(time.RFC3339), tok.WaitingOn, tok.Data)
		}
		out = append(out, s)
	}
	return out
}

func describeOf(t *testing.T, store *sqlstore.Store, contactID int64) []string {
	t.Helper()
	tx, err := store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	enrs, err := tx.Enrollments(contactID)
	if err != nil {
		t.Fatal(err)
	}
	return describe(enrs)
}

// A step that ends an enrollment also moves, removes or adds one of its
// tokens: on PostgreSQL the enrollment's row and that token's go in one
// statement, and both are written as two statements would.
func TestAnEnrollmentsUpdateRidesWithItsTokensWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counter := &statementCounter{}
	store, err := sqlstore.OpenPostgresTraced(ctx, pgtest.NewURL(t), counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	due := at.Add(time.Hour)
	for _, tc := range []struct {
		name       string
		write      func(e *runtime.Enrollment)
		statements int
		want       string
	}{
		{"token removed", func(e *runtime.Enrollment) { e.Tokens[0].MarkRemoved() }, 1, "ended props=map[room:C]:"},
		{"token moved", func(e *runtime.Enrollment) {
			e.Tokens[0].Element, e.Tokens[0].State, e.Tokens[0].DueAt = "end", runtime.StateDone, nil
			e.Tokens[0].MarkChanged()
		}, 1, "ended props=map[room:C]: [end done <nil>]"},
		{"token added", func(e *runtime.Enrollment) {
			e.Tokens[0].MarkRemoved()
			e.AddToken(&runtime.Token{ContactID: e.ContactID, Element: "again", State: runtime.StateWaiting, DueAt: &due, ArrivedAt: at})
		}, 2, "ended props=map[room:C]: [again waiting 2026-03-02 10:00:00 +0000 UTC]"},
		{"no token written", func(*runtime.Enrollment) {}, 1, "ended props=map[room:C]: [wait waiting 2026-03-02 10:00:00 +0000 UTC]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := store.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			c := &runtime.Contact{Fields: map[string]any{"email": "ada@example.com"}, CreatedAt: at}
			if err := tx.CreateContact(c); err != nil {
				t.Fatal(err)
			}
			e := runtime.NewEnrollment(&runtime.Enrollment{ContactID: c.ID, Kind: "campaign", Name: "a", Properties: map[string]any{"room": "B"},
				Status: runtime.StatusActive, EnteredAt: at, Entries: 1, Tokens: []*runtime.Token{
					{ContactID: c.ID, Element: "wait", State: runtime.StateWaiting, DueAt: &due, ArrivedAt: at}}})
			if err := tx.SaveEnrollment(e); err != nil {
				t.Fatal(err)
			}
			enrs, err := tx.Enrollments(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			e = enrs[0]
			e.Status, e.Properties = runtime.StatusEnded, map[string]any{"room": "C"}
			e.MarkChanged()
			tc.write(e)
			counter.take()
			if err := tx.SaveEnrollment(e); err != nil {
				t.Fatal(err)
			}
			if n := len(counter.take()); n != tc.statements {
				t.Errorf("ending the enrollment took %d statements, want %d", n, tc.statements)
			}
			if enrs, err = tx.Enrollments(c.ID); err != nil || len(enrs) != 1 {
				t.Fatalf("Enrollments = %s, %v; want the one", describe(enrs), err)
			}
			got := fmt.Sprintf("%s props=%v:", enrs[0].Status, enrs[0].Properties)
			for _, tok := range enrs[0].Tokens {
				got += fmt.Sprintf(" [%s %s %v]", tok.Element, tok.State, tok.DueAt)
			}
			if got != tc.want {
				t.Errorf("stored: %s\nwant    %s", got, tc.want)
			}
		})
	}
}

// A marketing email is marked sent to its contact and its delivery stored
// in one statement on PostgreSQL, whether it goes out, was sent before or
// its key is taken.
func TestAMarketingEmailsMarkAndDeliveryGoInOneStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counter := &statementCounter{}
	store, err := sqlstore.OpenPostgresTraced(ctx, pgtest.NewURL(t), counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	c := &runtime.Contact{Fields: map[string]any{"email": "ada@example.com"}, CreatedAt: at}
	if err := tx.CreateContact(c); err != nil {
		t.Fatal(err)
	}
	email := func(asset, key string) *runtime.Delivery {
		return &runtime.Delivery{ContactID: c.ID, Kind: "email", Asset: asset, Source: "welcome/send", Key: key, Marketing: true,
			Payload: map[string]any{"subject": "Hi"}, Status: "pending", CreatedAt: at}
	}
	for _, tc := range []struct {
		d             *runtime.Delivery
		first, stored bool
	}{
		{email("newsletter", "k1"), true, true},
		{email("newsletter", "k2"), false, false},
		{email("promo", "k1"), true, false},
	} {
		counter.take()
		first, stored, err := tx.AddMarketingDelivery(tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(counter.take()); n != 1 {
			t.Errorf("AddMarketingDelivery(%s, %s) took %d statements, want 1", tc.d.Asset, tc.d.Key, n)
		}
		if first != tc.first || stored != tc.stored || (stored && tc.d.ID == 0) {
			t.Errorf("AddMarketingDelivery(%s, %s) = %v, %v (id %d); want %v, %v", tc.d.Asset, tc.d.Key, first, stored, tc.d.ID, tc.first, tc.stored)
		}
	}
	if ds, err := tx.Deliveries(c.ID); err != nil || len(ds) != 1 || ds[0].Asset != "newsletter" || ds[0].Payload["subject"] != "Hi" || !ds[0].Marketing {
		t.Errorf("Deliveries = %+v, %v; want the newsletter's alone", ds, err)
	}
}

// An event for a new contact creates it, then loads it and its
// enrollments twice (contact_created, then the event), storing the event
// between: none of those loads is a statement, and each reads what a
// query would. A write in between is seen.
func TestAContactCreatedInTheTransactionLoadsWithoutAStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counter := &statementCounter{}
	store, err := sqlstore.OpenPostgresTraced(ctx, pgtest.NewURL(t), counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tx, err := store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	c := &runtime.Contact{ExternalID: "crm-7", Fields: map[string]any{"email": " Ada@Example.com ", "visits": 3, "plan": map[string]any{"seats": 2}},
		Tags: []string{"go"}, Points: 1.5, Stage: "lead", Owner: "sam", CreatedAt: at.Add(time.Second / 2).In(time.FixedZone("x", 3600))}
	if err := tx.CreateContact(c); err != nil {
		t.Fatal(err)
	}
	load := func() string {
		t.Helper()
		got, err := tx.Contact(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		enrs, err := tx.Enrollments(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v %s", *got, describe(enrs))
	}
	counter.take()
	fromMemory := load()
	if _, err := tx.AddEvent(&runtime.StoredEvent{ContactID: c.ID, Kind: "form_submitted", Args: map[string]string{"form": "signup"}, Key: "k1", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	again := load()
	if n := len(counter.take()); n != 1 {
		t.Errorf("two loads of a contact created in the transaction, the event between, took %d statements, want 1 (the event)", n)
	}
	if err := tx.SaveEnrollment(runtime.NewEnrollment(&runtime.Enrollment{ContactID: c.ID, Kind: "campaign", Name: "a",
		Status: runtime.StatusActive, EnteredAt: at, Entries: 1})); err != nil {
		t.Fatal(err)
	}
	afterWrite := load()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx, err = store.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := load()
	if fromMemory != again || !strings.HasPrefix(stored, strings.TrimSuffix(fromMemory, " []")) || !strings.Contains(afterWrite, "campaign a") || afterWrite != stored {
		t.Errorf("loaded from memory: %s\nagain: %s\nafter an enrollment was written: %s\nstored: %s", fromMemory, again, afterWrite, stored)
	}
}
