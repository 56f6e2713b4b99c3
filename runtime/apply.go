package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Applying a new plan version to contacts in flight (RUNTIME.md, "Applying
// a new version"). Contacts stand on element and step names, never on
// positions, so adding or reordering moves nobody; what a change does to
// the contacts on it is decided here, once, when the plan changes.

// FiredStep is a sequence step a contact has been sent, and when.
type FiredStep struct {
	Step  string
	Fired time.Time
}

// ImportSubscription subscribes a contact to a step sequence as if it had
// already been sent the given steps at the given times (a contact brought
// over from another tool mid-sequence); its next step is scheduled from the
// last of them.
func (e *Engine) ImportSubscription(ctx context.Context, contactID int64, sequence string, fired []FiredStep) error {
	return e.within(ctx, contactID, func(s *state) error {
		seq := s.prog.Sequence(sequence)
		if seq == nil {
			return fmt.Errorf("no sequence %q", sequence)
		}
		if s.enrollment("sequence", sequence) != nil {
			return fmt.Errorf("the contact is subscribed to %q already", sequence)
		}
		if seq.Kind != "step" || len(fired) == 0 {
			s.subscribe(seq)
			return nil
		}
		enr := s.newEnrollment("sequence", sequence)
		enr.EnteredAt = fired[0].Fired
		tok := s.newToken(enr, "")
		last := fired[len(fired)-1]
		idx := stepIndex(seq, last.Step)
		if idx < 0 {
			return fmt.Errorf("sequence %q has no step %q", sequence, last.Step)
		}
		tok.Data.LastStep = last.Step
		s.scheduleStep(enr, tok, seq, idx+1, last.Fired)
		return nil
	})
}

func stepIndex(seq *Sequence, name string) int {
	for i, st := range seq.Steps {
		if st.Name == name {
			return i
		}
	}
	return -1
}

func sameSteps(a, b *Sequence) bool {
	if len(a.Steps) != len(b.Steps) {
		return false
	}
	for i := range a.Steps {
		if a.Steps[i].Name != b.Steps[i].Name {
			return false
		}
	}
	return true
}

// migrateSequence re-points the contact's position in a changed sequence:
// the step after the last one it was sent, in the new order.
func (s *state) migrateSequence(seq *Sequence) error {
	enr := s.enrollment("sequence", seq.Name)
	if enr == nil {
		return nil
	}
	for _, tok := range enr.liveTokens() {
		if tok.Data.Task != 0 {
			if stepIndex(seq, tok.Element) >= 0 {
				continue // waiting for its step's task: it goes on from there once done
			}
			tok.Data.Task = 0 // its step is gone (drained): on to the step after the last one passed
		}
		if tok.Data.LastStep == "" || tok.Data.LastFired == nil {
			continue // nothing sent yet: the first step's schedule still holds
		}
		last := stepIndex(seq, tok.Data.LastStep)
		if last < 0 {
			continue // the step it was on is gone; apply's moved blocks decide
		}
		// A draft step keeps its place: the contact waits for it, and
		// passes it when it is due.
		nextIdx := last + 1
		switch {
		case nextIdx >= len(seq.Steps):
			continue // nothing after it: it stays where it is
		case tok.Element == seq.Steps[nextIdx].Name && tok.DueAt != nil:
			continue // the same next step: its due time is kept
		}
		st := seq.Steps[nextIdx]
		due, ok := s.prog.ScheduleDue(&st.Schedule, *tok.Data.LastFired, s.c)
		if !ok {
			tok.Element = st.Name
			tok.set(StateStopped, nil)
			continue
		}
		if due.Before(s.now) {
			due = s.catchUp(&st.Schedule)
		}
		tok.Element = st.Name
		if tok.State == StatePaused {
			// Still paused: the new step waits for the unpause.
			tok.Data.PausedState, tok.Data.PausedDue = StateWaiting, timePtr(due)
			tok.dirty = true
			continue
		}
		tok.set(StateWaiting, timePtr(due))
		s.log("sequence:"+seq.Name, st.Name, "step", "scheduled by the new plan", map[string]string{"at": s.display(due)})
	}
	return nil
}

// catchUp is when a step whose time passed before the plan reached the
// contact goes out: at its time of day if that is still ahead today or
// else tomorrow; a step without one, the next day at the default send
// time.
func (s *state) catchUp(sch *plan.Schedule) time.Time {
	loc := s.prog.zoneOf(sch.TimeZone, s.c)
	if sch.At != "" {
		due := parseClock(sch.At).next(s.now, loc)
		due, _ = adjust(due, sch.OnDays, nil, sch.At, loc)
		return due
	}
	due := s.prog.defaultSend.on(addDays(s.now, loc, 1), loc)
	due, _ = adjust(due, sch.OnDays, nil, "", loc)
	return due
}
