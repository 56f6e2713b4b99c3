package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// at is a moment of the suite's day: a whole second in UTC, so what a store
// gives back can be compared as it is.
func at(d time.Duration) time.Time {
	return time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC).Add(d)
}

// farFuture is after every due time the suite writes.
func farFuture() time.Time { return at(100 * 365 * 24 * time.Hour) }

func ptr[T any](v T) *T { return &v }

// begin starts a transaction that is rolled back when the test ends, unless
// it was committed first (so a failing subtest never leaves one open).
func begin(t *testing.T, st runtime.Store) runtime.Tx {
	t.Helper()
	tx, err := st.Begin(t.Context())
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

// write runs fn in a transaction and commits it.
func write(t *testing.T, st runtime.Store, fn func(tx runtime.Tx)) {
	t.Helper()
	tx := begin(t, st)
	fn(tx)
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// read runs fn in a transaction and rolls it back.
func read(t *testing.T, st runtime.Store, fn func(tx runtime.Tx)) {
	t.Helper()
	tx := begin(t, st)
	fn(tx)
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
}

// ok fails the test when a store call failed; call says which.
func ok(t *testing.T, err error, call string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(call, args...), err)
	}
}

// newContact stores a contact with an email and returns it (ID set).
func newContact(t *testing.T, tx runtime.Tx, email string) *runtime.Contact {
	t.Helper()
	c := &runtime.Contact{Fields: map[string]any{"email": email}, CreatedAt: at(0)}
	ok(t, tx.CreateContact(c), "CreateContact(%s)", email)
	if c.ID == 0 {
		t.Fatalf("CreateContact(%s) left the contact's ID 0: it must set the new contact's ID", email)
	}
	return c
}

// enroll stores a new enrollment of the contact with its tokens.
func enroll(t *testing.T, tx runtime.Tx, contactID int64, kind, name, status string, tokens ...*runtime.Token) *runtime.Enrollment {
	t.Helper()
	e := runtime.NewEnrollment(&runtime.Enrollment{ContactID: contactID, Kind: kind, Name: name, Status: status,
		EnteredAt: at(0), Entries: 1, Tokens: tokens})
	ok(t, tx.SaveEnrollment(e), "SaveEnrollment(new %s %s of contact %d)", kind, name, contactID)
	return e
}

// waiting is a token waiting on a timer due at due.
func waiting(element string, due time.Time) *runtime.Token {
	return &runtime.Token{Element: element, State: runtime.StateWaiting, DueAt: &due, ArrivedAt: at(0)}
}

// stopped is a token with no due time.
func stopped(element string) *runtime.Token {
	return &runtime.Token{Element: element, State: runtime.StateStopped, ArrivedAt: at(0)}
}

// enrollments loads a contact's enrollments.
func enrollments(t *testing.T, tx runtime.Tx, contactID int64) []*runtime.Enrollment {
	t.Helper()
	enrs, err := tx.Enrollments(contactID)
	ok(t, err, "Enrollments(%d)", contactID)
	return enrs
}

// theEnrollment loads a contact's only enrollment.
func theEnrollment(t *testing.T, tx runtime.Tx, contactID int64) *runtime.Enrollment {
	t.Helper()
	enrs := enrollments(t, tx, contactID)
	if len(enrs) != 1 {
		t.Fatalf("Enrollments(%d) = %d enrollments; want the 1 saved:\n%s", contactID, len(enrs), describeEnrollments(enrs))
	}
	return enrs[0]
}

// tokenOn finds the enrollment's token on an element.
func tokenOn(t *testing.T, e *runtime.Enrollment, element string) *runtime.Token {
	t.Helper()
	for _, tok := range e.Tokens {
		if tok.Element == element {
			return tok
		}
	}
	t.Fatalf("enrollment %d has no token on %q:\n%s", e.ID, element, describeEnrollments([]*runtime.Enrollment{e}))
	return nil
}

func loadContact(t *testing.T, tx runtime.Tx, id int64) *runtime.Contact {
	t.Helper()
	c, err := tx.Contact(id)
	ok(t, err, "Contact(%d)", id)
	return c
}

func stamp(tm time.Time) string { return tm.Format(time.RFC3339Nano) }

func stampPtr(tm *time.Time) string {
	if tm == nil {
		return "none"
	}
	return stamp(*tm)
}

func describeContact(c *runtime.Contact) string {
	return fmt.Sprintf("id=%d external_id=%q fields=%v tags=%q points=%v stage=%q owner=%q dnc=%q created=%s",
		c.ID, c.ExternalID, c.Fields, c.Tags, c.Points, c.Stage, c.Owner, c.DNC, stamp(c.CreatedAt))
}

func describeEnrollments(enrs []*runtime.Enrollment) string {
	var b strings.Builder
	for _, e := range enrs {
		props, _ := json.Marshal(e.Properties) // sorted keys: a map marshals in key order
		if len(e.Properties) == 0 {
			props = []byte("{}")
		}
		fmt.Fprintf(&b, "enrollment id=%d contact=%d %s %q key=%q %s entered=%s entries=%d returned=%v properties=%s\n",
			e.ID, e.ContactID, e.Kind, e.Name, e.Key, e.Status, stamp(e.EnteredAt), e.Entries, e.Returned, props)
		for _, tok := range e.Tokens {
			fmt.Fprintf(&b, "  %s\n", describeToken(tok))
		}
	}
	if b.Len() == 0 {
		return "(none)\n"
	}
	return b.String()
}

func describeToken(tok *runtime.Token) string {
	return fmt.Sprintf("token id=%d enrollment=%d contact=%d element=%q state=%q due=%s arrived=%s waiting_on=%d data=%s",
		tok.ID, tok.EnrollmentID, tok.ContactID, tok.Element, tok.State, stampPtr(tok.DueAt), stamp(tok.ArrivedAt),
		tok.WaitingOn, describeTokenData(tok.Data))
}

func describeTokenData(d runtime.TokenData) string {
	return fmt.Sprintf("{paused_due=%s paused_state=%q event=%q fired=%q last_step=%q last_fired=%s task=%d}",
		stampPtr(d.PausedDue), d.PausedState, d.Event, d.Fired, d.LastStep, stampPtr(d.LastFired), d.Task)
}

func describeDue(due []runtime.DueToken) string {
	parts := make([]string, len(due))
	for i, d := range due {
		parts[i] = fmt.Sprintf("token %d of contact %d at %s", d.TokenID, d.ContactID, stamp(d.DueAt))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func describeRecord(r *runtime.Record) string {
	return fmt.Sprintf("id=%d contact=%d kind=%q name=%q status=%q at=%s data=%v created=%s",
		r.ID, r.ContactID, r.Kind, r.Name, r.Status, stampPtr(r.At), r.Data, stamp(r.CreatedAt))
}

func describeDelivery(d *runtime.Delivery) string {
	return fmt.Sprintf("id=%d contact=%d kind=%q asset=%q source=%q key=%q marketing=%v payload=%v status=%q created=%s",
		d.ID, d.ContactID, d.Kind, d.Asset, d.Source, d.Key, d.Marketing, d.Payload, d.Status, stamp(d.CreatedAt))
}

// describeEntry shows a timeline entry with its detail decoded, so that
// two spellings of the same JSON read the same.
func describeEntry(e runtime.TimelineEntry) string {
	return fmt.Sprintf("contact=%d at=%s campaign=%q sequence=%q element=%q kind=%q outcome=%q detail=%s plan=%q",
		e.ContactID, stamp(e.At), e.Campaign, e.Sequence, e.Element, e.Kind, e.Outcome, describeJSON(e.Detail), e.PlanHash)
}

func describeJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "none"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Sprintf("invalid JSON %q (%v)", raw, err)
	}
	return fmt.Sprintf("%#v", v)
}

// sameValue compares values as a caller reads them, types included.
func sameValue(got, want any) bool { return reflect.DeepEqual(got, want) }
