package runtime

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
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

// scheduleStep points the token at step i of a step sequence, due from
// prev (the subscription, or when the step before was due); past the last
// step the sequence is done. A draft step is scheduled like any other, and
// passed without doing anything when it is due, so that the steps after it
// keep their days.
func (s *state) scheduleStep(enr *Enrollment, tok *Token, seq *Sequence, i int, prev time.Time) {
	tok.Data.LastFired = timePtr(prev)
	tok.dirty = true
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
	// The steps after this one count from when it was due: a step the
	// engine reached late (a busy server) does not push them back. One
	// that fell due while its sequence was paused is due at the unpause.
	due := s.now
	if tok.DueAt != nil && tok.DueAt.Before(s.now) {
		due = *tok.DueAt
	}
	if st.Draft {
		s.log(where, st.Name, "step", "skipped: draft", nil)
	} else if ok, err := st.If.Bool(s.env(nil)); !ok {
		detail := any(nil)
		if err != nil {
			detail = map[string]string{"error": err.Error()}
		}
		s.log(where, st.Name, "step", "skipped: its condition is false", detail)
	} else if task := s.perform(s.stepActions(st), enr, nil, true, where, st.Name); task != 0 && !s.deleted && !tok.gone {
		// The step waits for its task: it is passed, and the next one
		// scheduled, when the task is completed (resumeStep).
		tok.Data.Task = task
		tok.set(StateHolding, nil)
		s.holdIfPaused(enr, tok)
		return nil
	}
	if s.deleted || tok.gone {
		return nil
	}
	if seq.Kind == "date" {
		if st.Draft {
			// A date step made a draft by a new plan: not sent, and sent
			// on its date once it is published again.
			s.scheduleDate(enr, tok, seq)
			return nil
		}
		mark := st.Name
		if st.Schedule.OnField != nil && st.Schedule.OnField.Annual {
			mark = occurrence(st, *tok.DueAt)
		}
		tok.Data.Fired = append(tok.Data.Fired, mark)
		s.scheduleDate(enr, tok, seq)
	} else {
		tok.Data.LastStep = st.Name
		s.scheduleStep(enr, tok, seq, st.Index+1, due)
	}
	s.holdIfPaused(enr, tok)
	return nil
}

// stepActions are the actions a step performs for the contact: its own,
// or the action of the path of its split the contact takes (by weight,
// always the same path for the same contact: the step's ID and the
// contact's identity pick it, as a campaign split's element ID does).
func (s *state) stepActions(st *Step) []*Action {
	if len(st.Paths) == 0 {
		return st.Actions
	}
	weights := make([]float64, len(st.Paths))
	for i, p := range st.Paths {
		weights[i] = p.Weight
	}
	i := stableChoice(st.ID, s.c.Identity(), weights)
	if i < 0 {
		s.log("sequence:"+st.Sequence.Name, st.Name, "step", "skipped: no path of the split has a weight", nil)
		return nil
	}
	path := st.Paths[i]
	detail := map[string]any{"weight": path.Weight}
	if m, ok := path.Action.Settings.(plan.SendsMessage); ok {
		channel, name := m.SentMessage()
		detail[channel] = name
	}
	s.log("sequence:"+st.Sequence.Name, st.Name, "step", fmt.Sprintf("took path %d of %d", i+1, len(st.Paths)), detail)
	return []*Action{path.Action}
}

// holdIfPaused pauses a position a step has just left waiting or holding
// when that step paused its own sequence: it keeps its time, or its task,
// and waits for the unpause.
func (s *state) holdIfPaused(enr *Enrollment, tok *Token) {
	if enr.Status == StatusPaused && (tok.State == StateWaiting || tok.State == StateHolding) {
		tok.Data.PausedState, tok.Data.PausedDue = tok.State, tok.DueAt
		tok.set(StatePaused, nil)
	}
}

// resumeStep moves a sequence position that held for its step's task on
// to the next step, which counts its days from now (the completion, or
// the unpause of a sequence paused meanwhile).
func (s *state) resumeStep(enr *Enrollment, tok *Token) {
	seq := s.prog.Sequence(enr.Name)
	i := -1
	if seq != nil {
		i = stepIndex(seq, tok.Element)
	}
	if i < 0 {
		tok.set(StateStopped, nil)
		return
	}
	s.log("sequence:"+seq.Name, tok.Element, "step", "task completed", nil)
	tok.Data.LastStep = tok.Element
	s.scheduleStep(enr, tok, seq, i+1, s.now)
}
