package runtime

import (
	"slices"
	"sort"
	"time"
)

// StateDone is a sequence token past the last step of a sequence that
// keeps its contacts: subscribed, with nothing left to send.
const StateDone = "done"

// subscribe adds the contact to a sequence and schedules its first step;
// fresh is false when it was subscribed already.
func (s *state) subscribe(seq *Sequence) (enr *Enrollment, fresh bool) {
	if cur := s.enrollment("sequence", seq.Name); cur != nil {
		return cur, false
	}
	enr = s.newEnrollment("sequence", seq.Name)
	tok := s.newToken(enr, "")
	s.log("sequence:"+seq.Name, "", "", "subscribed", nil)
	if seq.Kind == "date" {
		s.scheduleDate(enr, tok, seq)
	} else {
		s.scheduleStep(enr, tok, seq, 0, s.now)
	}
	return enr, true
}

// scheduleStep points the token at step i (or the next non-draft one) of a
// step sequence, due from prev; past the last step the sequence is done.
func (s *state) scheduleStep(enr *Enrollment, tok *Token, seq *Sequence, i int, prev time.Time) {
	tok.Data.LastFired = timePtr(prev)
	tok.dirty = true
	for ; i < len(seq.Steps) && seq.Steps[i].Draft; i++ {
		s.log("sequence:"+seq.Name, seq.Steps[i].Name, "step", "skipped: draft", nil)
	}
	if i >= len(seq.Steps) {
		s.finish(enr, tok, seq)
		return
	}
	st := seq.Steps[i]
	tok.Element = st.Name
	due, ok := s.prog.ScheduleDue(&st.Schedule, prev, s.c)
	if !ok {
		tok.set(StateStopped, nil)
		s.log("sequence:"+seq.Name, st.Name, "step", "waiting forever: the schedule can never fire", nil)
		return
	}
	tok.set(StateWaiting, timePtr(due))
}

// scheduleDate points the token at the date step due soonest from now.
func (s *state) scheduleDate(enr *Enrollment, tok *Token, seq *Sequence) {
	type cand struct {
		step *Step
		due  time.Time
	}
	var cands []cand
	for _, st := range seq.Steps {
		if st.Draft {
			continue
		}
		annual := st.Schedule.OnField != nil && st.Schedule.OnField.Annual
		if !annual && slices.Contains(tok.Data.Fired, st.Name) {
			continue
		}
		from := s.now
		for tries := 0; tries < 3; tries++ {
			due, ok := s.prog.DateStepDue(&st.Schedule, from, s.c)
			if !ok {
				break
			}
			if annual && slices.Contains(tok.Data.Fired, occurrence(st, due)) {
				from = due.Add(24 * time.Hour)
				continue
			}
			cands = append(cands, cand{st, due})
			break
		}
	}
	if len(cands) == 0 {
		s.finish(enr, tok, seq)
		return
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].due.Before(cands[j].due) })
	tok.Element = cands[0].step.Name
	tok.set(StateWaiting, timePtr(cands[0].due))
}

// occurrence names one year's firing of an annual step.
func occurrence(st *Step, due time.Time) string {
	return st.Name + "@" + due.UTC().Format("2006-01-02")
}

// finish handles a sequence with no step left: it lets the contact go when
// it unsubscribes after the last step, and keeps it otherwise.
func (s *state) finish(enr *Enrollment, tok *Token, seq *Sequence) {
	if seq.Unsubscribe {
		s.log("sequence:"+seq.Name, "", "", "unsubscribed after the last step", nil)
		s.leave(enr, StatusEnded)
		return
	}
	tok.Element = ""
	tok.set(StateDone, nil)
}

// fireStep performs a due sequence step and schedules the next.
func (s *state) fireStep(enr *Enrollment, tok *Token) error {
	seq := s.prog.Sequence(enr.Name)
	if seq == nil {
		tok.set(StateStopped, nil)
		return nil
	}
	var st *Step
	for _, cand := range seq.Steps {
		if cand.Name == tok.Element {
			st = cand
		}
	}
	if st == nil {
		tok.set(StateStopped, nil)
		return nil
	}
	where := "sequence:" + seq.Name
	if ok, err := st.If.Bool(s.env(nil)); !ok {
		detail := any(nil)
		if err != nil {
			detail = map[string]string{"error": err.Error()}
		}
		s.log(where, st.Name, "step", "skipped: its condition is false", detail)
	} else {
		s.perform(st.Actions, enr, nil, where, st.Name)
	}
	if s.deleted || tok.gone {
		return nil
	}
	if seq.Kind == "date" {
		mark := st.Name
		if st.Schedule.OnField != nil && st.Schedule.OnField.Annual {
			mark = occurrence(st, *tok.DueAt)
		}
		tok.Data.Fired = append(tok.Data.Fired, mark)
		s.scheduleDate(enr, tok, seq)
	} else {
		tok.Data.LastStep = st.Name
		s.scheduleStep(enr, tok, seq, st.Index+1, s.now)
	}
	if enr.Status == StatusPaused && tok.State == StateWaiting {
		// The step paused its own sequence: the next step keeps its time
		// and waits for the unpause.
		tok.Data.PausedState, tok.Data.PausedDue = StateWaiting, tok.DueAt
		tok.set(StatePaused, nil)
	}
	return nil
}
