package runtime

import "fmt"

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
		if err := s.tx.AddRecord(&Record{ContactID: s.c.ID, Kind: "purchase", Name: product, Status: "paid", Data: map[string]any{}, CreatedAt: s.now}); err != nil {
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
func (s *state) dispatch(ev Event) {
	key := ev.key()
	if ev.Kind == "task_completed" {
		s.completeTasks(ev.Args["task"])
	}
	for _, enr := range s.enrs {
		if enr.Kind != "campaign" || enr.Status != StatusActive || enr.gone {
			continue
		}
		camp := s.prog.Campaign(enr.Name)
		for _, t := range enr.liveTokens() {
			if t.State != StateAwaiting || t.Data.Event != key || camp == nil {
				continue
			}
			el := camp.Element(t.Element)
			if el == nil {
				continue
			}
			s.logElement(el, "yes: "+ev.String(), nil)
			t.set("", nil)
			t.Data.Event = ""
			s.advance(enr, t, el.edge("yes"))
		}
	}
	for _, goal := range s.prog.goals[key] {
		enr := s.enrollment("campaign", goal.Campaign.Name)
		if enr == nil || enr.Status != StatusActive || !s.where(goal) {
			continue
		}
		for _, t := range enr.liveTokens() {
			t.remove()
		}
		tok := s.newToken(enr, goal.Name)
		s.logElement(goal, "reached goal: "+ev.String(), nil)
		s.advance(enr, tok, goal.edge("next"))
	}
	for _, trigger := range s.prog.triggers[key] {
		if s.deleted {
			return
		}
		if s.where(trigger) {
			s.enter(trigger.Campaign, trigger)
		}
	}
	for _, r := range s.prog.rules[key] {
		if s.deleted {
			return
		}
		ok, err := r.If.Bool(s.env())
		if err != nil || !ok {
			continue
		}
		s.perform(r.Actions, nil, "rule:"+r.Name, "")
	}
}

// where checks a trigger's or goal's where condition.
func (s *state) where(el *Element) bool {
	ok, err := el.Where.Bool(s.env())
	if err != nil {
		s.logElement(el, "not entered: "+err.Error(), nil)
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
				if t.State == StateHolding && t.Data.Task == rec.ID {
					t.Data.Task = 0
					s.resume(enr, t)
				}
			}
		}
	}
}
