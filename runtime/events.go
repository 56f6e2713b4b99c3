package runtime

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// raise queues an event for the contact; it is handled after the current
// step, so that a step's own changes settle first.
func (s *state) raise(ev Event) {
	s.queue = append(s.queue, ev)
}

// receive takes an event from outside: what it says about the contact (a
// tag added, a field changed, a purchase) is recorded first, which raises
// the event itself.
func (s *state) receive(ev Event) {
	switch ev.Kind {
	case "tag_added":
		if !s.addTag(ev.Args["tag"]) {
			s.log("", "", ev.Kind, "the contact had the tag already", map[string]string{"tag": ev.Args["tag"]})
		}
	case "tag_removed":
		s.removeTag(ev.Args["tag"])
	case "field_changed":
		s.setField(ev.Args["field"], ev.Value)
	case "product_purchased":
		product := ev.Args["product"]
		if err := s.recordPurchase(product, map[string]any{}); err != nil {
			s.log("", "", ev.Kind, "failed", map[string]string{"error": err.Error()})
		}
		s.raise(ev)
	default:
		s.raise(ev)
	}
}

// drainEvents handles queued events, and the events they raise in turn, up
// to the engine's cascade bound.
func (s *state) drainEvents() error {
	for len(s.queue) > 0 && !s.deleted {
		ev := s.queue[0]
		s.queue = s.queue[1:]
		s.raised++
		if s.raised > s.e.MaxCascade {
			s.log("", "", ev.Kind, fmt.Sprintf("event dropped: more than %d events in one step (a loop of campaigns tagging each other?)", s.e.MaxCascade), nil)
			s.queue = nil
			return nil
		}
		s.dispatch(ev)
	}
	return nil
}

// dispatch routes one event: tasks completed, decisions answered, goals
// reached, campaigns entered, rules run, in that order and in plan order.
// A page visit goes to every pattern its URL matches.
func (s *state) dispatch(ev Event) {
	keys := s.prog.routes(ev)
	props := ev.properties()
	if ev.Kind == "task_completed" {
		s.completeTasks(ev.Args["task"])
	}
	for _, enr := range s.enrs {
		if enr.Kind != "campaign" || enr.Status != StatusActive || enr.gone {
			continue
		}
		camp := s.prog.Campaign(enr.Name)
		for _, t := range enr.liveTokens() {
			if t.State != StateAwaiting || !slices.Contains(keys, t.Data.Event) || camp == nil {
				continue
			}
			el := camp.Element(t.Element)
			if el == nil || el.Key != "" && keyOf(props, el.Key) != enr.Key {
				continue // a keyed decision answers its own entry only
			}
			s.logElement(el, "yes: "+ev.String(), nil)
			t.set("", nil)
			t.Data.Event = ""
			s.advance(enr, t, el.edge("yes"))
		}
	}
	for _, key := range keys {
		for _, goal := range s.prog.goals[key] {
			s.reachGoal(goal, ev, props)
		}
	}
	for _, key := range keys {
		for _, trigger := range s.prog.triggers[key] {
			if s.deleted {
				return
			}
			if s.where(trigger, props) {
				s.enter(trigger.Campaign, trigger, props)
			}
		}
	}
	for _, key := range keys {
		for _, r := range s.prog.rules[key] {
			if s.deleted {
				return
			}
			ok, err := r.If.Bool(s.env(props))
			if err != nil {
				s.log("", r.Name, "rule", "skipped: "+err.Error(), nil)
			}
			if !ok {
				continue
			}
			// A rule's steps are on the timeline under the rule's name.
			s.log("", r.Name, "rule", "ran: "+ev.String(), nil)
			s.perform(r.Actions, nil, props, false, "rule:"+r.Name, r.Name)
		}
	}
}

// reachGoal moves the contact's entries of the goal's campaign to the
// goal: every entry, or with a key the one its event names. The goal's
// event becomes the entry's: what event.NAME reads from there on.
func (s *state) reachGoal(goal *Element, ev Event, props map[string]any) {
	entries := s.entries("campaign", goal.Campaign.Name)
	if goal.Key != "" {
		key := keyOf(props, goal.Key)
		if key == "" {
			if len(entries) > 0 {
				s.logElement(goal, fmt.Sprintf("goal not taken: the event carries no %s, the key of the entry it moves", goal.Key), nil)
			}
			return
		}
		entries = nil
		if enr := s.entry("campaign", goal.Campaign.Name, key); enr != nil {
			entries = []*Enrollment{enr}
		}
	}
	for _, enr := range entries {
		if enr.Status != StatusActive || !s.where(goal, props) {
			continue
		}
		for _, t := range enr.liveTokens() {
			t.remove()
		}
		enr.Properties, enr.dirty = props, true
		tok := s.newToken(enr, goal.Name)
		var detail any
		if enr.Key != "" {
			detail = map[string]string{"key": enr.Key}
		}
		s.logElement(goal, "reached goal: "+ev.String(), detail)
		s.advance(enr, tok, goal.edge("next"))
	}
}

// properties are what the event carries: its properties, and an argument
// that is also a property of its kind (page_visited's url).
func (ev Event) properties() map[string]any {
	k, _ := plan.LookupEvent(ev.Kind)
	var out map[string]any
	for _, p := range k.Properties {
		v := ev.Args[p.Name]
		if v == "" {
			continue
		}
		if out == nil {
			out = maps.Clone(ev.Properties)
			if out == nil {
				out = map[string]any{}
			}
		}
		out[p.Name] = v
	}
	if out == nil {
		return ev.Properties
	}
	return out
}

// where checks a trigger's or goal's where condition, over its event.
func (s *state) where(el *Element, props map[string]any) bool {
	ok, err := el.Where.Bool(s.env(props))
	if err != nil {
		what := "not entered: "
		if el.Kind == "goal" {
			what = "goal not taken: "
		}
		s.logElement(el, what+err.Error(), nil)
	}
	return ok
}

// completeTasks closes the contact's open tasks of that kind and lets the
// contacts waiting for them go on.
func (s *state) completeTasks(task string) {
	tasks, err := s.tx.Records(s.c.ID, "task")
	if err != nil {
		return
	}
	for _, rec := range tasks {
		if rec.Name != task || rec.Status != "open" {
			continue
		}
		rec.Status = "completed"
		if err := s.tx.UpdateRecord(rec); err != nil {
			return
		}
		for _, enr := range s.enrs {
			for _, t := range enr.liveTokens() {
				if t.Data.Task == rec.ID {
					s.letGo(enr, t)
				}
			}
		}
	}
}

// date_reached is raised by the runtime itself. Each contact has one
// enrollment of kind "dates" whose tokens, one per date_reached event the
// plan listens for, wait for the contact's next such date; a token that
// has nothing ahead is done, and is scheduled again when its field
// changes.
const datesKind = "dates"

// datesEnrollment is the contact's dates enrollment (created when asked).
func (s *state) datesEnrollment(create bool) *Enrollment {
	for _, enr := range s.enrs {
		if enr.Kind == datesKind && !enr.gone {
			return enr
		}
	}
	if !create {
		return nil
	}
	return s.newEnrollment(datesKind, "date_reached")
}

func (e *Enrollment) tokenOn(element string) *Token {
	for _, t := range e.liveTokens() {
		if t.Element == element {
			return t
		}
	}
	return nil
}

// watchDates gives the contact a token for every date_reached event of
// the plan it has none for yet (a new contact, or a plan that added one).
func (s *state) watchDates() {
	if len(s.prog.dates) == 0 {
		return
	}
	enr := s.datesEnrollment(false)
	for _, w := range s.prog.dates {
		if enr != nil && enr.tokenOn(w.key) != nil {
			continue
		}
		if enr == nil {
			enr = s.datesEnrollment(true)
		}
		s.scheduleDateWatch(s.newToken(enr, w.key), w)
	}
}

// rescheduleDates follows a change of a date field.
func (s *state) rescheduleDates(field string) {
	var enr *Enrollment
	for _, w := range s.prog.dates {
		if w.fd.Field != field {
			continue
		}
		if enr == nil {
			enr = s.datesEnrollment(true)
		}
		tok := enr.tokenOn(w.key)
		if tok == nil {
			tok = s.newToken(enr, w.key)
		}
		s.scheduleDateWatch(tok, w)
	}
}

// scheduleDateWatch points the token at the next occurrence of its date
// that it has not raised yet; a date already past is never raised.
func (s *state) scheduleDateWatch(tok *Token, w *dateWatch) {
	loc := s.prog.accountLoc
	due, ok := s.prog.fieldDate(&w.fd, s.now, s.c, loc)
	for tries := 0; ok && tries < 3 && slices.Contains(tok.Data.Fired, dateMark(due)); tries++ {
		if !w.fd.Annual {
			ok = false
			break
		}
		due, ok = s.prog.fieldDate(&w.fd, due.Add(time.Minute), s.c, loc)
	}
	if !ok || due.Before(s.now.Truncate(time.Minute)) || slices.Contains(tok.Data.Fired, dateMark(due)) {
		tok.set(StateDone, nil)
		return
	}
	if due.Before(s.now) {
		due = s.now
	}
	tok.set(StateWaiting, timePtr(due))
}

func dateMark(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// fireDate raises a date_reached event and schedules the next occurrence.
func (s *state) fireDate(enr *Enrollment, tok *Token) {
	w := s.prog.dateKeys[tok.Element]
	if w == nil {
		tok.remove() // the plan no longer listens for it
		return
	}
	tok.Data.Fired = append(tok.Data.Fired, dateMark(*tok.DueAt))
	if n := len(tok.Data.Fired); n > 10 {
		tok.Data.Fired = tok.Data.Fired[n-10:]
	}
	args := map[string]string{"field": w.fd.Field}
	if !w.fd.Offset.IsZero() {
		args["offset"] = w.fd.Offset.String()
	}
	if w.fd.Annual {
		args["annual"] = "true"
	}
	ev := Event{Kind: "date_reached", Args: args}
	s.log("", "", ev.Kind, "date reached: "+ev.String(), map[string]string{"date": s.c.StringField(w.fd.Field)})
	s.scheduleDateWatch(tok, w)
	s.raise(ev)
}
