package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// oddTime is a time as a caller may hold it: in another zone, with
// nanoseconds. A store gives it back in UTC, to the second.
func oddTime(d time.Duration) time.Time {
	return time.Date(2026, 3, 29, 1, 59, 59, 987654321, time.FixedZone("UTC-04:30", -(4*3600+1800))).Add(d)
}

func (s *suite) times(t *testing.T) {
	st := s.open(t)
	var c *runtime.Contact
	var e *runtime.Enrollment
	var rec *runtime.Record
	write(t, st, func(tx runtime.Tx) {
		c = &runtime.Contact{Fields: map[string]any{}, CreatedAt: oddTime(0)}
		ok(t, tx.CreateContact(c), "CreateContact")
		e = runtime.NewEnrollment(&runtime.Enrollment{ContactID: c.ID, Kind: "campaign", Name: "welcome", Status: runtime.StatusActive,
			EnteredAt: oddTime(time.Minute), Entries: 1, Tokens: []*runtime.Token{{
				Element: "wait", State: runtime.StateWaiting, DueAt: ptr(oddTime(time.Hour)), ArrivedAt: oddTime(2 * time.Minute),
				Data: runtime.TokenData{PausedDue: ptr(oddTime(2 * time.Hour)), LastFired: ptr(oddTime(-time.Hour))}}}})
		ok(t, tx.SaveEnrollment(e), "SaveEnrollment")
		ok(t, tx.AddTimeline([]runtime.TimelineEntry{{ContactID: c.ID, At: oddTime(3 * time.Minute), Outcome: "entered"}}), "AddTimeline")
		addDelivery(t, tx, &runtime.Delivery{ContactID: c.ID, Kind: "email", Key: "k", Status: "pending", CreatedAt: oddTime(4 * time.Minute)})
		rec = addRecord(t, tx, &runtime.Record{ContactID: c.ID, Kind: "appointment", At: ptr(oddTime(24 * time.Hour)), CreatedAt: oddTime(5 * time.Minute)})
	})
	tok := e.Tokens[0]

	var got struct {
		contact  *runtime.Contact
		enr      *runtime.Enrollment
		timeline []runtime.TimelineEntry
		delivery []*runtime.Delivery
		records  []*runtime.Record
		due      []runtime.DueToken
		next     *time.Time
	}
	read(t, st, func(tx runtime.Tx) {
		got.contact = loadContact(t, tx, c.ID)
		got.enr = theEnrollment(t, tx, c.ID)
		got.timeline = timelineOf(t, tx, c.ID)
		got.delivery = deliveriesOf(t, tx, c.ID)
		got.records = recordsOf(t, tx, c.ID, "appointment")
		got.due = dueAt(t, tx, farFuture(), 10)
		var err error
		got.next, err = tx.NextDue()
		ok(t, err, "NextDue")
	})
	if len(got.enr.Tokens) != 1 || len(got.timeline) != 1 || len(got.delivery) != 1 || len(got.records) != 1 || len(got.due) != 1 {
		t.Fatalf("the store does not give back the one token, timeline entry, delivery, record and due token written (%d, %d, %d, %d, %d)",
			len(got.enr.Tokens), len(got.timeline), len(got.delivery), len(got.records), len(got.due))
	}
	gotTok := got.enr.Tokens[0]
	for _, tc := range []struct {
		name      string
		got, sent *time.Time
	}{
		{"Contact.CreatedAt", &got.contact.CreatedAt, &c.CreatedAt},
		{"Enrollment.EnteredAt", &got.enr.EnteredAt, &e.EnteredAt},
		{"Token.DueAt", gotTok.DueAt, tok.DueAt},
		{"Token.ArrivedAt", &gotTok.ArrivedAt, &tok.ArrivedAt},
		{"TokenData.PausedDue", gotTok.Data.PausedDue, tok.Data.PausedDue},
		{"TokenData.LastFired", gotTok.Data.LastFired, tok.Data.LastFired},
		{"TimelineEntry.At", &got.timeline[0].At, ptr(oddTime(3 * time.Minute))},
		{"Delivery.CreatedAt", &got.delivery[0].CreatedAt, ptr(oddTime(4 * time.Minute))},
		{"Record.At", got.records[0].At, rec.At},
		{"Record.CreatedAt", &got.records[0].CreatedAt, &rec.CreatedAt},
		{"DueToken.DueAt", &got.due[0].DueAt, tok.DueAt},
		{"NextDue", got.next, tok.DueAt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.sent.Truncate(time.Second).UTC()
			if tc.got == nil {
				t.Fatalf("%s = nil; want %s (written as %s)", tc.name, stamp(want), stamp(*tc.sent))
			}
			if !tc.got.Equal(want) || tc.got.Location() != time.UTC {
				t.Errorf("%s = %s; want %s: a time comes back in UTC, to the second (written as %s)", tc.name, stamp(*tc.got), stamp(want), stamp(*tc.sent))
			}
		})
	}

	t.Run("ZeroStaysZero", func(t *testing.T) {
		st := s.open(t)
		zero := &runtime.Contact{Fields: map[string]any{}}
		write(t, st, func(tx runtime.Tx) { ok(t, tx.CreateContact(zero), "CreateContact") })
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, zero.ID).CreatedAt; !got.IsZero() {
				t.Errorf("a contact created with a zero CreatedAt loads with %s; want the zero time", stamp(got))
			}
		})
	})
}

// richValue is every shape a JSON value of the engine's takes.
func richValue() map[string]any {
	return map[string]any{
		"integer":    42.0,
		"negative":   -7.25,
		"tiny":       1e-9,
		"large":      1e21,
		"max_exact":  float64(1 << 53),
		"zero":       0.0,
		"text":       "Zoë 🎉 中文 עברית <b>&amp;</b> \"quoted\" back\\slash\nnew line\ttab \u2028",
		"empty_text": "",
		"yes":        true,
		"no":         false,
		"null":       nil,
		"list":       []any{"a", 1.5, true, nil, []any{"nested"}, map[string]any{"k": "v"}},
		"empty_list": []any{},
		"map":        map[string]any{"inner": map[string]any{"deeper": []any{1.0, 2.0}}},
		"empty_map":  map[string]any{},
		"ключ 🔑 key": "a key in unicode",
	}
}

// unicodeText is text with everything a plain text column must keep.
const unicodeText = "Zoë 🎉 中文 עברית \"q\" \\ <b>&amp;</b>\nline 2\t"

func (s *suite) json(t *testing.T) {
	t.Run("ContactFields", func(t *testing.T) {
		st := s.open(t)
		c := &runtime.Contact{Fields: richValue(), CreatedAt: at(0)}
		write(t, st, func(tx runtime.Tx) { ok(t, tx.CreateContact(c), "CreateContact") })
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, c.ID).Fields; !sameValue(got, richValue()) {
				t.Errorf("Contact.Fields does not come back as created:\n got %#v\nwant %#v", got, richValue())
			}
		})
		write(t, st, func(tx runtime.Tx) {
			c := loadContact(t, tx, c.ID)
			c.Fields["map"].(map[string]any)["added"] = []any{"x"}
			ok(t, tx.SaveContact(c), "SaveContact")
		})
		want := richValue()
		want["map"].(map[string]any)["added"] = []any{"x"}
		read(t, st, func(tx runtime.Tx) {
			if got := loadContact(t, tx, c.ID).Fields; !sameValue(got, want) {
				t.Errorf("Contact.Fields does not come back as saved:\n got %#v\nwant %#v", got, want)
			}
		})
	})

	t.Run("RecordData", func(t *testing.T) {
		st := s.open(t)
		var r *runtime.Record
		write(t, st, func(tx runtime.Tx) {
			id := newContact(t, tx, "ada@example.com").ID
			r = addRecord(t, tx, &runtime.Record{ContactID: id, Kind: "fulfillment", Name: "welcome_kit", Status: "pending", Data: richValue(), CreatedAt: at(0)})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := recordsOf(t, tx, r.ContactID, "fulfillment")[0].Data; !sameValue(got, richValue()) {
				t.Errorf("Record.Data does not come back as added:\n got %#v\nwant %#v", got, richValue())
			}
		})
	})

	t.Run("DeliveryPayload", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			addDelivery(t, tx, &runtime.Delivery{ContactID: id, Kind: "webhook", Key: "k", Payload: richValue(), Status: "pending", CreatedAt: at(0)})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := deliveriesOf(t, tx, id)[0].Payload; !sameValue(got, richValue()) {
				t.Errorf("Delivery.Payload does not come back as added:\n got %#v\nwant %#v", got, richValue())
			}
		})
	})

	t.Run("TokenData", func(t *testing.T) {
		st := s.open(t)
		data := runtime.TokenData{PausedDue: ptr(at(time.Hour)), PausedState: runtime.StateAwaiting, Event: "link_clicked(" + unicodeText + ")",
			Fired: []string{"step_1", "birthday@2026-06-10", unicodeText}, LastStep: "step_1", LastFired: ptr(at(-time.Hour)), Task: 1 << 40}
		var id int64
		write(t, st, func(tx runtime.Tx) {
			id = newContact(t, tx, "ada@example.com").ID
			enroll(t, tx, id, "sequence", "nurture", runtime.StatusPaused,
				&runtime.Token{Element: "step_2", State: runtime.StatePaused, ArrivedAt: at(0), Data: data})
		})
		read(t, st, func(tx runtime.Tx) {
			if got := theEnrollment(t, tx, id).Tokens[0].Data; describeTokenData(got) != describeTokenData(data) {
				t.Errorf("Token.Data does not come back as saved:\n got %s\nwant %s", describeTokenData(got), describeTokenData(data))
			}
		})
	})

	t.Run("UnicodeText", func(t *testing.T) {
		st := s.open(t)
		text := unicodeText
		c := &runtime.Contact{ExternalID: text, Fields: map[string]any{}, Tags: []string{text}, Stage: text, Owner: text, DNC: []string{text}, CreatedAt: at(0)}
		write(t, st, func(tx runtime.Tx) {
			ok(t, tx.CreateContact(c), "CreateContact")
			enroll(t, tx, c.ID, text, text, text, &runtime.Token{Element: text, State: text, ArrivedAt: at(0)})
			ok(t, tx.AddTimeline([]runtime.TimelineEntry{{ContactID: c.ID, At: at(0), Campaign: text, Sequence: text, Element: text, Kind: text, Outcome: text, PlanHash: text}}), "AddTimeline")
			addDelivery(t, tx, &runtime.Delivery{ContactID: c.ID, Kind: text, Asset: text, Source: text, Key: text, Status: text, CreatedAt: at(0)})
			addRecord(t, tx, &runtime.Record{ContactID: c.ID, Kind: text, Name: text, Status: text, CreatedAt: at(0)})
			markSent(t, tx, c.ID, text)
			nextInTurn(t, tx, text, 2)
		})
		read(t, st, func(tx runtime.Tx) {
			got := loadContact(t, tx, c.ID)
			e := theEnrollment(t, tx, c.ID)
			tl, ds, rs := timelineOf(t, tx, c.ID), deliveriesOf(t, tx, c.ID), recordsOf(t, tx, c.ID, text)
			if len(got.Tags) != 1 || len(got.DNC) != 1 || len(e.Tokens) != 1 || len(tl) != 1 || len(ds) != 1 || len(rs) != 1 {
				t.Fatalf("the store does not give back the one tag, do-not-contact channel, token, timeline entry, delivery and record written (%d, %d, %d, %d, %d, %d)",
					len(got.Tags), len(got.DNC), len(e.Tokens), len(tl), len(ds), len(rs))
			}
			for _, field := range []struct{ name, got string }{
				{"Contact.ExternalID", got.ExternalID}, {"Contact.Tags[0]", got.Tags[0]}, {"Contact.Stage", got.Stage},
				{"Contact.Owner", got.Owner}, {"Contact.DNC[0]", got.DNC[0]},
				{"Enrollment.Kind", e.Kind}, {"Enrollment.Name", e.Name}, {"Enrollment.Status", e.Status},
				{"Token.Element", e.Tokens[0].Element}, {"Token.State", e.Tokens[0].State},
				{"TimelineEntry.Campaign", tl[0].Campaign}, {"TimelineEntry.Sequence", tl[0].Sequence}, {"TimelineEntry.Element", tl[0].Element},
				{"TimelineEntry.Kind", tl[0].Kind}, {"TimelineEntry.Outcome", tl[0].Outcome}, {"TimelineEntry.PlanHash", tl[0].PlanHash},
				{"Delivery.Kind", ds[0].Kind}, {"Delivery.Asset", ds[0].Asset}, {"Delivery.Source", ds[0].Source},
				{"Delivery.Key", ds[0].Key}, {"Delivery.Status", ds[0].Status},
				{"Record.Kind", rs[0].Kind}, {"Record.Name", rs[0].Name}, {"Record.Status", rs[0].Status},
			} {
				if field.got != text {
					t.Errorf("%s = %q; want %q, as written", field.name, field.got, text)
				}
			}
			if markSent(t, tx, c.ID, text) {
				t.Errorf("MarkSent of an email named in unicode = true the second time; want false")
			}
			if i := nextInTurn(t, tx, text, 2); i != 1 {
				t.Errorf("NextInTurn of a router named in unicode = %d the second time; want 1", i)
			}
		})
	})

	// Nil and empty are the same to the engine at the top of a value; it
	// writes into a loaded contact's Fields and a loaded record's Data, so
	// those always come back as maps. Inside a value, [] and {} and null
	// each stay what they were (richValue).
	t.Run("NilComesBackEmpty", func(t *testing.T) {
		st := s.open(t)
		c := &runtime.Contact{CreatedAt: at(0)}
		var id int64
		write(t, st, func(tx runtime.Tx) {
			ok(t, tx.CreateContact(c), "CreateContact(nil Fields, Tags and DNC)")
			id = c.ID
			addRecord(t, tx, &runtime.Record{ContactID: id, Kind: "note", CreatedAt: at(0)})
			addDelivery(t, tx, &runtime.Delivery{ContactID: id, Kind: "email", Key: "nil", Status: "pending", CreatedAt: at(0)})
			addDelivery(t, tx, &runtime.Delivery{ContactID: id, Kind: "email", Key: "empty", Payload: map[string]any{}, Status: "pending", CreatedAt: at(0)})
			enroll(t, tx, id, "campaign", "welcome", runtime.StatusActive, &runtime.Token{Element: "start", ArrivedAt: at(0), Data: runtime.TokenData{Fired: []string{}}})
		})
		read(t, st, func(tx runtime.Tx) {
			got := loadContact(t, tx, id)
			if got.Fields == nil || len(got.Fields) != 0 {
				t.Errorf("a contact created with nil Fields loads with Fields %#v; want an empty map", got.Fields)
			}
			if len(got.Tags) != 0 || len(got.DNC) != 0 {
				t.Errorf("a contact created with nil Tags and DNC loads with Tags %q, DNC %q; want none", got.Tags, got.DNC)
			}
			if r := recordsOf(t, tx, id, "note")[0]; r.Data == nil || len(r.Data) != 0 || r.At != nil {
				t.Errorf("a record added with nil Data and At loads with Data %#v, At %s; want an empty map and nil", r.Data, stampPtr(r.At))
			}
			for _, d := range deliveriesOf(t, tx, id) {
				if len(d.Payload) != 0 {
					t.Errorf("delivery %q loads with Payload %#v; want none", d.Key, d.Payload)
				}
			}
			if d := theEnrollment(t, tx, id).Tokens[0].Data; describeTokenData(d) != describeTokenData(runtime.TokenData{}) {
				t.Errorf("a token saved with empty Data loads with %s; want nothing set", describeTokenData(d))
			}
		})
	})

	// A value JSON cannot hold is refused: stored as something else, it
	// would lose the contact's other fields.
	t.Run("UnencodableRefused", func(t *testing.T) {
		st := s.open(t)
		var id int64
		write(t, st, func(tx runtime.Tx) { id = newContact(t, tx, "ada@example.com").ID })
		for _, bad := range []float64{math.NaN(), math.Inf(1)} {
			fields := map[string]any{"email": "ada@example.com", "score": bad}
			for _, tc := range []struct {
				what string
				call func(tx runtime.Tx) error
			}{
				{"CreateContact", func(tx runtime.Tx) error {
					return tx.CreateContact(&runtime.Contact{Fields: fields, CreatedAt: at(0)})
				}},
				{"SaveContact", func(tx runtime.Tx) error {
					return tx.SaveContact(&runtime.Contact{ID: id, Fields: fields, CreatedAt: at(0)})
				}},
				{"AddRecord", func(tx runtime.Tx) error {
					return tx.AddRecord(&runtime.Record{ContactID: id, Kind: "note", Data: fields, CreatedAt: at(0)})
				}},
				{"UpdateRecord", func(tx runtime.Tx) error {
					r := &runtime.Record{ContactID: id, Kind: "note", CreatedAt: at(0)}
					ok(t, tx.AddRecord(r), "AddRecord")
					r.Data = fields
					return tx.UpdateRecord(r)
				}},
				{"AddDelivery", func(tx runtime.Tx) error {
					_, err := tx.AddDelivery(&runtime.Delivery{ContactID: id, Kind: "webhook", Key: "k", Payload: fields, Status: "pending", CreatedAt: at(0)})
					return err
				}},
			} {
				read(t, st, func(tx runtime.Tx) {
					if err := tc.call(tx); err == nil {
						t.Errorf("%s with a value %v returned no error; want one: JSON cannot hold %v, and a store that writes something else instead loses the value, or all of them", tc.what, bad, bad)
					}
				})
			}
		}
	})
}
