package runtime

import (
	"fmt"

	"github.com/journeyhq/journey/compiler/plan"
)

// Actions that move the contact onto, off, or within other campaigns and
// sequences.
func membershipExecutors(t *executorTable) {
	register(t, linkAddToCampaign)
	register(t, linkRemoveFromCampaign)
	register(t, linkPauseCampaign)
	register(t, linkUnpauseCampaign)
	register(t, linkAddToSequence)
	register(t, linkRemoveFromSequence)
	register(t, linkPauseSequence)
	register(t, linkUnpauseSequence)
}

func linkAddToCampaign(p *Program, s *plan.AddToCampaign) (func(*actx) error, error) {
	name := s.Campaign
	return func(x *actx) error {
		c := x.s.prog.Campaign(name)
		if c == nil {
			return fmt.Errorf("no campaign %q in the plan", name)
		}
		// The first added_to_campaign() trigger whose where holds, as an
		// event's triggers are chosen.
		var trigger *Element
		found := false
		for _, el := range c.Elements {
			if el.Kind == "trigger" && !el.Draft && el.Event != nil && el.Event.Kind == "added_to_campaign" {
				found = true
				if x.s.where(el, nil) {
					trigger = el
					break
				}
			}
		}
		switch {
		case !found:
			return x.skip(fmt.Sprintf("campaign %q has no added_to_campaign() trigger", name))
		case trigger == nil:
			return x.skip(fmt.Sprintf("not added to campaign %q: no added_to_campaign() trigger's where holds for the contact", name))
		}
		enr := x.s.enter(c, trigger, nil)
		if enr == nil {
			return x.skip(fmt.Sprintf("not added to campaign %q (see its trigger)", name))
		}
		x.outcome, x.detail = "added", map[string]any{"campaign": name}
		if x.tok != nil {
			x.holdOn = enr
			if !enr.Returned {
				x.outcome = "added; waiting for the contact to come back"
			}
		}
		return nil
	}, nil
}

func linkAddToSequence(p *Program, s *plan.AddToSequence) (func(*actx) error, error) {
	name := s.Sequence
	return func(x *actx) error {
		seq := x.s.prog.Sequence(name)
		if seq == nil {
			return fmt.Errorf("no sequence %q in the plan", name)
		}
		enr, fresh := x.s.subscribe(seq)
		x.outcome, x.detail = "subscribed", map[string]any{"sequence": name}
		if !fresh {
			x.outcome = "already subscribed"
		}
		if x.tok != nil {
			x.holdOn = enr
			if !enr.Returned {
				x.outcome += "; waiting for the sequence to let the contact go"
			}
		}
		return nil
	}, nil
}

type membershipOp func(s *state, enr *Enrollment) string

func linkRemoveFromCampaign(p *Program, s *plan.RemoveFromCampaign) (func(*actx) error, error) {
	return changeMembership("campaign", s.Campaign, leaveIt), nil
}

func linkPauseCampaign(p *Program, s *plan.PauseCampaign) (func(*actx) error, error) {
	return changeMembership("campaign", s.Campaign, pauseIt), nil
}

func linkUnpauseCampaign(p *Program, s *plan.UnpauseCampaign) (func(*actx) error, error) {
	return changeMembership("campaign", s.Campaign, unpauseIt), nil
}

func linkRemoveFromSequence(p *Program, s *plan.RemoveFromSequence) (func(*actx) error, error) {
	return changeMembership("sequence", s.Sequence, leaveIt), nil
}

func linkPauseSequence(p *Program, s *plan.PauseSequence) (func(*actx) error, error) {
	return changeMembership("sequence", s.Sequence, pauseIt), nil
}

func linkUnpauseSequence(p *Program, s *plan.UnpauseSequence) (func(*actx) error, error) {
	return changeMembership("sequence", s.Sequence, unpauseIt), nil
}

// changeMembership removes, pauses or unpauses the contact's enrollment
// in a campaign or sequence: in a keyed campaign, every entry of it.
func changeMembership(kind, name string, op membershipOp) func(*actx) error {
	return func(x *actx) error {
		entries := x.s.entries(kind, name)
		if len(entries) == 0 {
			return x.skip(fmt.Sprintf("the contact is not on %s %q", kind, name))
		}
		for _, enr := range entries {
			x.outcome = op(x.s, enr)
		}
		x.detail = map[string]any{kind: name}
		if len(entries) > 1 {
			x.detail = map[string]any{kind: name, "entries": len(entries)}
		}
		return nil
	}
}

func leaveIt(s *state, enr *Enrollment) string {
	if enr.Kind == "sequence" {
		// As "subscribed" and "unsubscribed after the last step" are.
		s.log("sequence:"+enr.Name, "", "", "removed from the sequence", nil)
	}
	s.leave(enr, StatusExited)
	return "removed"
}

// pauseIt freezes the enrollment's timers; their due times are kept.
func pauseIt(s *state, enr *Enrollment) string {
	if enr.Status == StatusPaused {
		return "already paused"
	}
	enr.setStatus(StatusPaused)
	for _, t := range enr.liveTokens() {
		t.Data.PausedState, t.Data.PausedDue = t.State, t.DueAt
		t.set(StatePaused, nil)
	}
	return "paused"
}

// unpauseIt restores the timers; those that fell due while paused fire now.
func unpauseIt(s *state, enr *Enrollment) string {
	if enr.Status != StatusPaused {
		return "not paused"
	}
	enr.setStatus(StatusActive)
	for _, t := range enr.liveTokens() {
		if t.State != StatePaused {
			continue
		}
		due := t.Data.PausedDue
		if due != nil && due.Before(s.now) {
			due = timePtr(s.now)
		}
		t.set(t.Data.PausedState, due)
		t.Data.PausedState, t.Data.PausedDue = "", nil
	}
	return "unpaused"
}
