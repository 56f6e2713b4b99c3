package runtime

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// maxInstantSteps bounds how many elements a contact passes in one instant;
// validate's instant-loop rule keeps plans from reaching it.
const maxInstantSteps = 1000

// enter puts the contact on a campaign through a trigger with the
// properties of the event that fired it, as its re-entry setting allows,
// and returns the enrollment (nil when it did not enter). A keyed
// trigger's entry is the contact's under the event's key: one at a time
// per key, and re-entry counts per key.
func (s *state) enter(c *Campaign, trigger *Element, props map[string]any) *Enrollment {
	key := ""
	if trigger.Key != "" {
		if key = keyOf(props, trigger.Key); key == "" {
			s.logElement(trigger, fmt.Sprintf("not entered: the event carries no %s, the key that tells the contact's entries apart", trigger.Key), nil)
			return nil
		}
	}
	var detail any
	if key != "" {
		detail = map[string]string{"key": key}
	}
	if cur := s.entry("campaign", c.Name, key); cur != nil {
		s.logElement(trigger, "already on the campaign", detail)
		return nil
	}
	if last := s.lastEntry("campaign", c.Name, key); last != nil {
		switch c.Reentry.Mode {
		case "once":
			s.logElement(trigger, "not entered: the campaign takes a contact once", nil)
			return nil
		case "interval":
			if c.Reentry.After != nil {
				again := addDays(last.EnteredAt, s.prog.accountLoc, c.Reentry.After.Days).Add(time.Duration(c.Reentry.After.Minutes) * time.Minute)
				if s.now.Before(again) {
					s.logElement(trigger, fmt.Sprintf("not entered: it may enter again from %s", again.In(s.prog.accountLoc).Format(time.RFC3339)), nil)
					return nil
				}
			}
		}
	}
	enr := s.newEnrollment("campaign", c.Name)
	enr.Key, enr.Properties = key, props
	tok := s.newToken(enr, trigger.Name)
	s.logElement(trigger, "entered", detail)
	s.advance(enr, tok, trigger.edge("next"))
	return enr
}

// keyOf is an event's key property as text ("" when the event does not
// carry it): an id written as a number, 42, is the key "42".
func keyOf(props map[string]any, property string) string {
	switch v := props[property].(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// advance moves a token onto el and on, through every element that takes no
// time, until it rests (a wait, a decision, a hold), stops (no next) or
// ends.
func (s *state) advance(enr *Enrollment, tok *Token, el *Element) {
	camp := s.prog.Campaign(enr.Name)
	for steps := 0; ; steps++ {
		if s.deleted || tok.gone || enr.gone || enr.Status == StatusExited {
			return
		}
		if el == nil {
			from := camp.Element(tok.Element)
			tok.set(StateStopped, nil)
			if from != nil {
				s.logElement(from, "stopped: nothing comes after it", nil)
			}
			return
		}
		if enr.Status == StatusPaused {
			// The campaign was paused on the way (by an action on this
			// path or another): the contact waits before el and arrives
			// there when the campaign is unpaused.
			tok.Element, tok.ArrivedAt = el.Name, s.now
			tok.Data.PausedState, tok.Data.PausedDue = StateArriving, timePtr(s.now)
			tok.set(StatePaused, nil)
			s.logElement(el, "paused before it: the campaign is paused", nil)
			return
		}
		if steps >= maxInstantSteps {
			tok.set(StateStopped, nil)
			s.logElement(el, "stopped: a loop with no wait", nil)
			return
		}
		tok.Element, tok.ArrivedAt, tok.dirty = el.Name, s.now, true
		next, rest := s.arrive(enr, tok, el)
		if rest {
			return
		}
		el = next
	}
}

// arrive performs an element. It returns where the token goes next, or
// rest = true when the token stays (waits, holds, ended).
func (s *state) arrive(enr *Enrollment, tok *Token, el *Element) (next *Element, rest bool) {
	if el.Draft {
		s.logElement(el, "skipped: draft", nil)
		if len(el.Edges) == 0 {
			return nil, false
		}
		return el.Edges[0].To, false
	}
	switch el.Kind {
	case "trigger", "goal":
		return el.edge("next"), false
	case "wait":
		due, ok := s.prog.timerDue(el.Timer, s.now, s.c, enr.Properties)
		if !ok {
			tok.set(StateStopped, nil)
			s.logElement(el, "waiting forever: the timer can never fire", nil)
			return nil, true
		}
		if !due.After(s.now) {
			s.logElement(el, "waited", nil)
			return el.edge("next"), false
		}
		tok.set(StateWaiting, timePtr(due))
		s.logElement(el, "waiting", map[string]string{"until": s.display(due)})
		return nil, true
	case "decision":
		due := s.deadline(el, s.now, enr.Properties)
		if el.Deadline != nil && !due.After(s.now) {
			// A date already past, or an empty date field: the contact
			// has no time left to act, as a wait on it would not hold.
			s.logElement(el, "no: "+s.noTimeLeft(el, enr.Properties), nil)
			return el.edge("no"), false
		}
		tok.set(StateAwaiting, timePtr(due))
		tok.Data.Event = el.eventKey
		s.logElement(el, "waiting for "+el.Event.String(), map[string]string{"until": s.display(due)})
		return nil, true
	case "condition":
		ok, err := el.If.Bool(s.env(enr.Properties))
		label := "then"
		if !ok {
			label = "else"
		}
		var detail any
		if err != nil {
			detail = map[string]string{"error": err.Error()}
		}
		s.logElement(el, label, detail)
		return el.edge(label), false
	case "fork":
		// The paths run in the order they are written: a new token for
		// each but the last, which this token takes.
		s.logElement(el, fmt.Sprintf("forked into %d paths", len(el.Edges)), nil)
		if len(el.Edges) == 0 {
			return nil, false
		}
		last := len(el.Edges) - 1
		for _, ed := range el.Edges[:last] {
			branch := s.newToken(enr, el.Name)
			s.advance(enr, branch, ed.To)
		}
		return el.Edges[last].To, false
	case "split":
		ed := s.splitPath(el)
		if ed == nil {
			return nil, false
		}
		s.logElement(el, ed.Label, nil)
		return ed.To, false
	case "end":
		s.end(enr, tok, el)
		return nil, true
	}
	return s.act(enr, tok, el)
}

// deadline is when a decision reached at arrival takes no: within after
// the arrival, or the date of its deadline timer (the arrival itself for
// an empty date field or property, and for a date already past).
func (s *state) deadline(el *Element, arrival time.Time, props map[string]any) time.Time {
	if el.Deadline != nil {
		if due, ok := s.prog.timerDue(el.Deadline, arrival, s.c, props); ok {
			return due
		}
		return arrival
	}
	var within plan.Duration
	if el.Within != nil {
		within = *el.Within
	}
	return addDays(arrival, s.prog.accountLoc, within.Days).Add(time.Duration(within.Minutes) * time.Minute)
}

// noTimeLeft says why a decision's deadline had passed when the contact
// arrived: its date field (or the event's property) held no date, or the
// date was behind it.
func (s *state) noTimeLeft(el *Element, props map[string]any) string {
	d := el.Deadline
	loc := s.prog.zoneOf(d.TimeZone, s.c)
	var date time.Time
	switch {
	case d.Until != nil:
		date, _ = dateAt(d.Until.Date, d.Until.Time, loc)
	case d.UntilField != nil:
		var ok bool
		if date, ok = s.prog.fieldDate(d.UntilField, s.now, s.c, loc); !ok {
			return fmt.Sprintf("contact.%s holds no date, so there was no time to wait for %s", d.UntilField.Field, el.Event)
		}
	case d.UntilEvent != nil:
		var ok bool
		if date, ok = eventDate(d.UntilEvent, props, loc); !ok {
			return fmt.Sprintf("event.%s holds no date, so there was no time to wait for %s", d.UntilEvent.Property, el.Event)
		}
	}
	return fmt.Sprintf("the deadline, %s, had passed when the contact arrived", s.display(date))
}

// splitPath picks a split's path for the contact: by weight, and always the
// same path for the same contact.
func (s *state) splitPath(el *Element) *Edge {
	weights := make([]float64, len(el.Edges))
	for i, ed := range el.Edges {
		weights[i] = ed.Weight
	}
	i := stableChoice(el.ID, s.c.Identity(), weights)
	if i < 0 {
		return nil
	}
	return el.Edges[i]
}

// stableChoice picks an index by weight for a contact, the same one every
// time for the same chooser (a split's element ID, a router) and identity,
// on any store and in any run; -1 when no weight is positive. SHA-256 makes
// identities that differ in one character (person1@, person2@...) land
// anywhere in [0, 1), so the shares follow the weights.
func stableChoice(chooser, identity string, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	if total <= 0 {
		return -1
	}
	sum := sha256.Sum256([]byte(chooser + "\x00" + identity))
	point := float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53) * total
	for i, w := range weights {
		if point < w {
			return i
		}
		point -= w
	}
	return len(weights) - 1
}

// end finishes a path: the contact leaves the campaign when it exits or no
// other path is left, and whoever added it gets it back.
func (s *state) end(enr *Enrollment, tok *Token, el *Element) {
	tok.remove()
	if el.Exit {
		s.logElement(el, "exited", nil)
		s.leave(enr, StatusExited)
		return
	}
	s.logElement(el, "ended", nil)
	s.release(enr)
	if len(enr.liveTokens()) == 0 {
		enr.setStatus(StatusEnded)
	}
}

// leave takes the contact off an enrollment entirely.
func (s *state) leave(enr *Enrollment, status string) {
	for _, t := range enr.liveTokens() {
		t.remove()
	}
	enr.setStatus(status)
	s.release(enr)
}

// release lets the tokens holding for an enrollment move on: the contact
// came back from the campaign or sequence.
func (s *state) release(child *Enrollment) {
	if child.Returned {
		return
	}
	child.Returned, child.dirty = true, true
	for _, enr := range s.enrs {
		for _, t := range enr.liveTokens() {
			if t.holdsFor(child) {
				s.letGo(enr, t)
			}
		}
	}
}

// holdsFor reports whether the token holds for the enrollment.
func (t *Token) holdsFor(child *Enrollment) bool {
	return t.holdingFor == child || (child.ID != 0 && t.WaitingOn == child.ID)
}

// letGo lets a token that holds (for a campaign, a sequence or a task) go
// on: at once, or when its campaign is unpaused.
func (s *state) letGo(enr *Enrollment, t *Token) {
	switch {
	case t.State == StateHolding:
		s.resume(enr, t)
	case t.State == StatePaused && t.Data.PausedState == StateHolding:
		t.returnWhenUnpaused(s.now)
	}
}

// returnWhenUnpaused marks a held token of a paused campaign as free to go
// on: it does when the campaign is unpaused.
func (t *Token) returnWhenUnpaused(now time.Time) {
	t.WaitingOn, t.holdingFor, t.Data.Task = 0, nil, 0
	t.Data.PausedState, t.Data.PausedDue = StateReturning, timePtr(now)
	t.dirty = true
}

// resume moves a held token on to its element's next, or its sequence's
// next step.
func (s *state) resume(enr *Enrollment, t *Token) {
	t.WaitingOn, t.holdingFor, t.Data.Task = 0, nil, 0
	t.set("", nil)
	if enr.Kind == "sequence" {
		s.resumeStep(enr, t)
		return
	}
	camp := s.prog.Campaign(enr.Name)
	if camp == nil {
		t.set(StateStopped, nil)
		return
	}
	el := camp.Element(t.Element)
	if el == nil {
		t.set(StateStopped, nil)
		return
	}
	s.logElement(el, "returned", nil)
	s.advance(enr, t, el.edge("next"))
}

// dueToken is the position a due token names while it is still due: an
// earlier step of the batch may have moved it (a goal, an exit), or, on
// PostgreSQL, another node's step that committed as the batch was
// claimed.
func (s *state) dueToken(tokenID int64) (*Enrollment, *Token) {
	enr, tok := s.tokenByID(tokenID)
	if tok == nil || tok.DueAt == nil || tok.DueAt.After(s.now) {
		return nil, nil
	}
	return enr, tok
}

// fire runs a due token: a wait elapsed, a decision timed out, a sequence
// step is due.
func (s *state) fire(tokenID int64) error {
	enr, tok := s.dueToken(tokenID)
	if tok == nil {
		return nil
	}
	switch {
	case enr.Kind == "sequence" && tok.State == StateReturning:
		// Its task was completed while the sequence was paused.
		s.resume(enr, tok)
		return nil
	case enr.Kind == "sequence":
		return s.fireStep(enr, tok)
	case enr.Kind == datesKind:
		s.fireDate(enr, tok)
		return nil
	}
	camp := s.prog.Campaign(enr.Name)
	if camp == nil {
		tok.set(StateStopped, nil)
		return nil
	}
	el := camp.Element(tok.Element)
	if el == nil {
		tok.set(StateStopped, nil)
		return nil
	}
	switch tok.State {
	case StateWaiting:
		s.logElement(el, "waited", nil)
		tok.set("", nil)
		s.advance(enr, tok, el.edge("next"))
	case StateArriving:
		tok.set("", nil)
		s.advance(enr, tok, el)
	case StateReturning:
		s.resume(enr, tok)
	case StateAwaiting:
		s.logElement(el, "no: "+el.Event.String()+" did not happen in time", nil)
		tok.set("", nil)
		tok.Data.Event = ""
		s.advance(enr, tok, el.edge("no"))
	}
	return nil
}

// park stops a due position whose step failed: it stays where it is,
// failed, with the error on the timeline, until an operator moves it.
func (s *state) park(tokenID int64, cause error) error {
	enr, tok := s.tokenByID(tokenID)
	if tok == nil {
		return nil
	}
	where := enr.Kind + ":" + enr.Name // campaign:NAME, sequence:NAME (or the date watches)
	tok.set(StateFailed, nil)
	s.log(where, tok.Element, "", "failed: the step could not run", map[string]string{"error": cause.Error()})
	return nil
}

// display shows an instant in the account's zone.
func (s *state) display(t time.Time) string {
	return t.In(s.prog.accountLoc).Format(time.RFC3339)
}

// env is what an expression reads: the contact (with what the step knows
// of it: its segments, its purchases), the users (for owner.NAME), and the
// properties of the event in scope (nil where there is none).
func (s *state) env(event map[string]any) *evalEnv {
	return &evalEnv{contact: s.c, event: event, fields: s.prog.fields, users: s.prog.assets.User, now: s.now, loc: s.prog.accountLoc, facts: s}
}
