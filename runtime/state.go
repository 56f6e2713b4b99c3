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
// in a campaign or sequence, or nil.
func (s *state) enrollment(kind, name string) *Enrollment {
	for _, enr := range s.enrs {
		if enr.Kind == kind && enr.Name == name && !enr.gone && (enr.Status == StatusActive || enr.Status == StatusPaused) {
			return enr
		}
	}
	return nil
}

// lastEnrollment returns the contact's latest enrollment of any status.
func (s *state) lastEnrollment(kind, name string) *Enrollment {
	var last *Enrollment
	for _, enr := range s.enrs {
		if enr.Kind == kind && enr.Name == name && !enr.gone {
			if last == nil || enr.EnteredAt.After(last.EnteredAt) || (enr.EnteredAt.Equal(last.EnteredAt) && enr.Entries > last.Entries) {
				last = enr
			}
		}
	}
	return last
}

func (s *state) newEnrollment(kind, name string) *Enrollment {
	entries := 1
	if last := s.lastEnrollment(kind, name); last != nil {
		entries = last.Entries + 1
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
