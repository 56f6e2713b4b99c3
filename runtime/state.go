package runtime

import (
	"encoding/json"
	"time"
)

// state is one contact's state inside one transaction: what the engine
// reads, changes, and then writes back.
type state struct {
	e        *Engine
	prog     *Program
	tx       Tx
	now      time.Time
	c        *Contact
	cDirty   bool
	enrs     []*Enrollment
	timeline []TimelineEntry
	queue    []Event
	raised   int
	deleted  bool
	// members are the contact's segment memberships (nil until read);
	// memberChanges what the step changed of them, to write.
	members       map[string]bool
	memberChanges map[string]bool
	// purchases are the products the contact bought (read when asked).
	purchases     []string
	purchasesRead bool
}

func (e *Engine) load(tx Tx, contactID int64, prog *Program) (*state, error) {
	c, err := tx.Contact(contactID)
	if err != nil {
		return nil, err
	}
	enrs, err := tx.Enrollments(contactID)
	if err != nil {
		return nil, err
	}
	return &state{e: e, prog: prog, tx: tx, now: e.clock.Now(), c: c, enrs: enrs}, nil
}

// flush writes what changed.
func (s *state) flush() error {
	if s.deleted {
		return s.tx.DeleteContact(s.c.ID)
	}
	if s.cDirty {
		if err := s.tx.SaveContact(s.c); err != nil {
			return err
		}
	}
	if err := s.flushMemberships(); err != nil {
		return err
	}
	// New enrollments get their IDs first, so that the holds waiting on
	// them can name them.
	for _, enr := range s.enrs {
		if enr.isNew {
			if err := s.tx.SaveEnrollment(enr); err != nil {
				return err
			}
			enr.saved()
		}
	}
	for _, enr := range s.enrs {
		for _, t := range enr.Tokens {
			if t.holdingFor != nil && t.WaitingOn != t.holdingFor.ID {
				t.WaitingOn, t.dirty = t.holdingFor.ID, true
			}
		}
	}
	for _, enr := range s.enrs {
		if enr.dirty || enr.isNew || anyTokenChanged(enr) {
			if err := s.tx.SaveEnrollment(enr); err != nil {
				return err
			}
			enr.saved()
		}
	}
	if len(s.timeline) > 0 {
		return s.tx.AddTimeline(s.timeline)
	}
	return nil
}

func anyTokenChanged(enr *Enrollment) bool {
	for _, t := range enr.Tokens {
		if t.dirty || t.isNew || t.gone {
			return true
		}
	}
	return false
}

// log appends a timeline entry.
func (s *state) log(where, element, kind, outcome string, detail any) {
	entry := TimelineEntry{ContactID: s.c.ID, At: s.now, Element: element, Kind: kind, Outcome: outcome, PlanHash: s.prog.Plan.Hash}
	if camp, seq, ok := splitWhere(where); ok {
		entry.Campaign, entry.Sequence = camp, seq
	}
	if detail != nil {
		entry.Detail, _ = json.Marshal(detail)
	}
	s.timeline = append(s.timeline, entry)
}

// where names a campaign as "campaign:NAME" and a sequence as
// "sequence:NAME".
func splitWhere(where string) (campaign, sequence string, ok bool) {
	switch {
	case len(where) > 9 && where[:9] == "campaign:":
		return where[9:], "", true
	case len(where) > 9 && where[:9] == "sequence:":
		return "", where[9:], true
	}
	return "", "", false
}

func (s *state) logElement(el *Element, outcome string, detail any) {
	s.log("campaign:"+el.Campaign.Name, el.Name, el.Kind, outcome, detail)
}

// enrollment returns the contact's current (active or paused) enrollment
// in a sequence, or in a campaign without keys, or nil.
func (s *state) enrollment(kind, name string) *Enrollment {
	return s.entry(kind, name, "")
}

// current reports an enrollment the contact is on now: active or paused.
func (e *Enrollment) current() bool {
	return !e.gone && (e.Status == StatusActive || e.Status == StatusPaused)
}

// entry returns the contact's current enrollment in a campaign or
// sequence under a key ("" in a campaign without keys), or nil.
func (s *state) entry(kind, name, key string) *Enrollment {
	for _, enr := range s.enrs {
		if enr.Kind == kind && enr.Name == name && enr.Key == key && enr.current() {
			return enr
		}
	}
	return nil
}

// entries returns the contact's current enrollments in a campaign or
// sequence: one, or in a keyed campaign one per key. What acts on "the
// contact on a campaign" (pausing it, removing the contact, an apply's
// migration) acts on each.
func (s *state) entries(kind, name string) []*Enrollment {
	var out []*Enrollment
	for _, enr := range s.enrs {
		if enr.Kind == kind && enr.Name == name && enr.current() {
			out = append(out, enr)
		}
	}
	return out
}

// lastEntry returns the contact's latest enrollment under a key, of any
// status: what re-entry counts from.
func (s *state) lastEntry(kind, name, key string) *Enrollment {
	var last *Enrollment
	for _, enr := range s.enrs {
		if enr.Kind == kind && enr.Name == name && enr.Key == key && !enr.gone && later(enr, last) {
			last = enr
		}
	}
	return last
}

// later reports whether enr entered after last (or last is nil).
func later(enr, last *Enrollment) bool {
	return last == nil || enr.EnteredAt.After(last.EnteredAt) || (enr.EnteredAt.Equal(last.EnteredAt) && enr.Entries > last.Entries)
}

// newEnrollment starts an enrollment. Its Entries counts the contact's
// entries of the campaign or sequence under every key, so that two
// entries' deliveries never share an idempotency key.
func (s *state) newEnrollment(kind, name string) *Enrollment {
	entries := 1
	for _, enr := range s.enrs {
		if enr.Kind == kind && enr.Name == name && !enr.gone && enr.Entries >= entries {
			entries = enr.Entries + 1
		}
	}
	enr := &Enrollment{ContactID: s.c.ID, Kind: kind, Name: name, Status: StatusActive, EnteredAt: s.now, Entries: entries, isNew: true}
	s.enrs = append(s.enrs, enr)
	return enr
}

func (s *state) newToken(enr *Enrollment, element string) *Token {
	t := &Token{EnrollmentID: enr.ID, ContactID: s.c.ID, Element: element, ArrivedAt: s.now, isNew: true}
	enr.Tokens = append(enr.Tokens, t)
	return t
}

// tokenByID finds a live token and its enrollment.
func (s *state) tokenByID(id int64) (*Enrollment, *Token) {
	for _, enr := range s.enrs {
		for _, t := range enr.Tokens {
			if t.ID == id && !t.gone {
				return enr, t
			}
		}
	}
	return nil, nil
}

func (t *Token) set(state string, due *time.Time) {
	t.State, t.DueAt, t.dirty = state, due, true
}

func (t *Token) remove() { t.gone, t.dirty = true, true }

func (e *Enrollment) setStatus(status string) { e.Status, e.dirty = status, true }

// liveTokens are the enrollment's tokens that have not been removed.
func (e *Enrollment) liveTokens() []*Token {
	var out []*Token
	for _, t := range e.Tokens {
		if !t.gone {
			out = append(out, t)
		}
	}
	return out
}

func timePtr(t time.Time) *time.Time { return &t }
