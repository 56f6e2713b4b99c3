package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/journeyhq/journey/internal/words"
)

// Migrating the contacts in flight when a new plan version is applied
// (RUNTIME.md, "Applying a new version"). Contacts stand on element and
// step names, so an added or reordered element moves nobody; what a
// change does to the contacts already there is decided here, in the
// apply's one transaction.

// ApplyOptions are the operator's choices for what the policy leaves open.
type ApplyOptions struct {
	// Drain sends the contacts on a removed element to its next (the
	// first way out, through removed elements to one the new plan has),
	// and makes the contacts of a removed campaign or sequence leave it.
	Drain bool
	// RecomputeWaits recomputes the due times of the contacts on a changed
	// wait from when they arrived; without it they are kept.
	RecomputeWaits bool
}

// ApplyReport says what an apply did to the contacts in flight (or, in a
// preview rolled back, would do).
type ApplyReport struct {
	// Counts are the contacts on each element (campaign/element) and step
	// (sequence/step) of the old plan before the apply.
	Counts map[string]int `json:"counts"`
	// Moved are the renames moved blocks carried.
	Moved []Carried `json:"moved,omitempty"`
	// Drained are the removed elements whose contacts went to their next,
	// and the removed campaigns and sequences they left.
	Drained []Carried `json:"drained,omitempty"`
	// Waits are the changed waits and the contacts on them, their due
	// times kept or recomputed.
	Waits []ChangedWait `json:"waits,omitempty"`
	// NewSteps are the steps added to sequences with subscribers: how
	// many will get each, and when the first of them will.
	NewSteps []NewStep `json:"new_steps,omitempty"`
}

// Carried is a group of positions an apply moved: from an element (or a
// campaign or sequence) to another, or out ("" To).
type Carried struct {
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Contacts int    `json:"contacts"`
}

// ChangedWait is a wait whose timer changed, with the contacts on it.
type ChangedWait struct {
	Element    string `json:"element"`
	Contacts   int    `json:"contacts"`
	Recomputed bool   `json:"recomputed"`
}

// NewStep is a step added to a sequence: the contacts that will get it
// (those at or before its place) and the first time one of them will (for
// a contact before it, when it would reach it staying subscribed).
type NewStep struct {
	Step     string     `json:"step"`
	Contacts int        `json:"contacts"`
	First    *time.Time `json:"first,omitempty"`
}

// Stranded is a removed element, campaign or sequence that contacts stand
// on, with where --drain would send them ("" when nowhere).
type Stranded struct {
	Where    string `json:"where"`
	Contacts int    `json:"contacts"`
	DrainTo  string `json:"drain_to,omitempty"`
	Why      string `json:"why"`
}

// ApplyRefused is an apply the policy refuses: contacts would be left on
// what the new plan no longer has.
type ApplyRefused struct {
	Stranded []Stranded
}

func (r *ApplyRefused) Error() string {
	var b strings.Builder
	total := 0
	for _, s := range r.Stranded {
		total += s.Contacts
	}
	fmt.Fprintf(&b, "the new plan would strand %s:", words.Count(total, "contact"))
	for _, s := range r.Stranded {
		fmt.Fprintf(&b, "\n  %s on %s, which %s", words.Count(s.Contacts, "contact"), s.Where, s.Why)
		if s.DrainTo != "" {
			fmt.Fprintf(&b, " (--drain would send them to %s)", s.DrainTo)
		}
	}
	b.WriteString("\nadd a moved block naming where they go, or apply with --drain")
	return b.String()
}

// Migrate moves the contacts in flight from prev's plan to next's, inside
// tx, as the policy says, and reports what it did. It refuses with an
// *ApplyRefused when contacts stand on what next removes and neither a
// moved block nor Drain says where they go. It does not switch the
// engine's program: the caller stores the deployment in tx, commits, and
// then calls SetDeployment. prev may be nil (the first deployment).
func (e *Engine) Migrate(tx Tx, prev, next *Program, opts ApplyOptions) (*ApplyReport, error) {
	rep := &ApplyReport{Counts: map[string]int{}}
	if prev == nil {
		return rep, nil
	}
	m := &migration{e: e, tx: tx, prev: prev, next: next, opts: opts, rep: rep, moves: movesOf(next)}
	for _, c := range prev.Campaigns {
		if err := m.campaign(c); err != nil {
			return nil, err
		}
	}
	for _, seq := range prev.Sequences {
		if err := m.sequence(seq); err != nil {
			return nil, err
		}
	}
	if len(m.stranded) > 0 {
		return nil, &ApplyRefused{Stranded: m.stranded}
	}
	for _, fn := range m.deferred {
		if err := fn(); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

type migration struct {
	e          *Engine
	tx         Tx
	prev, next *Program
	opts       ApplyOptions
	rep        *ApplyReport
	moves      map[string]string // campaign.C.KIND.E or sequence.S.step.T -> the new one
	stranded   []Stranded
	// deferred are the changes made once nothing is stranded: a refused
	// apply changes nothing, not even in its own transaction.
	deferred []func() error
}

// movesOf reads a plan's moved blocks: address to address.
func movesOf(p *Program) map[string]string {
	out := map[string]string{}
	for _, mv := range p.Plan.Moved {
		out[mv.From] = mv.To
	}
	return out
}

// counts reads the positions on each element of a campaign or sequence.
func (m *migration) counts(kind, name string) (map[string]int, error) {
	rows, err := m.tx.ElementCounts(kind, name)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Element] += r.Count
	}
	return out, nil
}

func (m *migration) campaign(old *Campaign) error {
	counts, err := m.counts("campaign", old.Name)
	if err != nil {
		return err
	}
	total := 0
	for el, n := range counts {
		m.rep.Counts[old.Name+"/"+el] = n
		total += n
	}
	cur := m.next.Campaign(old.Name)
	if cur == nil {
		if total == 0 {
			return nil
		}
		m.removed("campaign", old.Name, total, "left: the campaign was removed by the new plan")
		return nil
	}
	for _, el := range old.Elements {
		n := counts[el.Name]
		now := cur.Element(el.Name)
		switch {
		case now != nil && now.Kind == el.Kind:
			if err := m.changedWait(old, el, now, n); err != nil {
				return err
			}
			continue
		case n == 0:
			continue
		}
		id := old.Name + "/" + el.Name
		if to, ok := m.moves["campaign."+old.Name+"."+el.Kind+"."+el.Name]; ok {
			target := movedElement(cur, to)
			if target == nil {
				m.stranded = append(m.stranded, Stranded{Where: id, Contacts: n, Why: fmt.Sprintf("a moved block sends to %s, which the new plan does not have", to)})
				continue
			}
			from, name, kind := el.Name, target.Name, target.Kind
			m.rep.Moved = append(m.rep.Moved, Carried{From: id, To: old.Name + "/" + name, Contacts: n})
			m.deferred = append(m.deferred, func() error {
				// Set-based, whatever the number of contacts: the rename
				// is told on each timeline, then carried.
				entry := TimelineEntry{At: m.e.clock.Now(), Campaign: old.Name, Element: name, Kind: kind,
					Outcome: "moved by the new plan from " + from, PlanHash: m.next.Plan.Hash}
				if _, err := m.tx.AddTimelineOn("campaign", old.Name, from, entry); err != nil {
					return err
				}
				_, err := m.tx.MoveTokens("campaign", old.Name, from, name)
				return err
			})
			continue
		}
		why := "the new plan removes"
		if now != nil {
			why = fmt.Sprintf("the new plan makes a %s", now.Kind)
		}
		target := drainTarget(el, cur)
		s := Stranded{Where: id, Contacts: n, Why: why}
		if target != nil {
			s.DrainTo = old.Name + "/" + target.Name
		}
		if !m.opts.Drain || target == nil {
			if target == nil {
				s.Why += ", and it has no next the new plan keeps"
			}
			m.stranded = append(m.stranded, s)
			continue
		}
		m.rep.Drained = append(m.rep.Drained, Carried{From: id, To: s.DrainTo, Contacts: n})
		from, to := el.Name, target.Name
		m.deferred = append(m.deferred, func() error { return m.drainElement(old.Name, from, to) })
	}
	return nil
}

// movedElement is the element a moved block's address names in a
// campaign of the new plan: campaign.C.KIND.NAME.
func movedElement(c *Campaign, address string) *Element {
	parts := strings.Split(address, ".")
	if len(parts) != 4 || parts[0] != "campaign" || parts[1] != c.Name {
		return nil
	}
	el := c.Element(parts[3])
	if el == nil || el.Kind != parts[2] {
		return nil
	}
	return el
}

// drainTarget is where --drain sends the contacts on a removed element:
// its first way out in the old plan, through elements the new plan
// removes too, to the first one it keeps; nil when there is none.
func drainTarget(el *Element, cur *Campaign) *Element {
	seen := map[*Element]bool{}
	for at := el; at != nil && !seen[at]; {
		seen[at] = true
		if len(at.Edges) == 0 || at.Edges[0].To == nil {
			return nil
		}
		at = at.Edges[0].To
		if kept := cur.Element(at.Name); kept != nil && kept.Kind == at.Kind {
			return kept
		}
	}
	return nil
}

// drainElement sends every contact on a removed element to the element the
// new plan keeps: it arrives there now, as the scheduler runs it.
func (m *migration) drainElement(campaign, from, to string) error {
	return m.eachOn("campaign", campaign, func(s *state) {
		for _, enr := range s.entries("campaign", campaign) {
			for _, tok := range enr.liveTokens() {
				if tok.Element != from {
					continue
				}
				tok.Element = to
				tok.Data.Event = ""
				if tok.State == StatePaused {
					tok.Data.PausedState, tok.Data.PausedDue = StateArriving, timePtr(s.now)
					tok.dirty = true
				} else {
					tok.set(StateArriving, timePtr(s.now))
				}
				s.log("campaign:"+campaign, from, "", "drained by the new plan to "+to, nil)
			}
		}
	})
}

// changedWait handles the contacts on a wait (or a decision) whose timer
// the new plan changes: their due times are kept, or recomputed from when
// they arrived.
func (m *migration) changedWait(c *Campaign, old, now *Element, n int) error {
	var changed bool
	switch old.Kind {
	case "wait":
		changed = !reflect.DeepEqual(old.Timer, now.Timer)
	case "decision":
		// A deadline that changed kind (within to a date, or back) is a
		// change like any other: the due time is kept, or recomputed
		// from the arrival by the new deadline.
		changed = !reflect.DeepEqual(old.Within, now.Within) || !reflect.DeepEqual(old.Deadline, now.Deadline)
	}
	if !changed || n == 0 {
		return nil
	}
	id := c.Name + "/" + old.Name
	m.rep.Waits = append(m.rep.Waits, ChangedWait{Element: id, Contacts: n, Recomputed: m.opts.RecomputeWaits})
	if !m.opts.RecomputeWaits {
		return nil
	}
	m.deferred = append(m.deferred, func() error {
		return m.eachOn("campaign", c.Name, func(s *state) {
			for _, enr := range s.entries("campaign", c.Name) {
				for _, tok := range enr.liveTokens() {
					if tok.Element != now.Name || (tok.DueAt == nil && tok.Data.PausedDue == nil) {
						continue
					}
					due, ok := s.dueFrom(now, tok.ArrivedAt, enr.Properties)
					if !ok {
						continue
					}
					if tok.State == StatePaused {
						tok.Data.PausedDue = timePtr(due)
						tok.dirty = true
					} else {
						tok.set(tok.State, timePtr(due))
					}
					s.log("campaign:"+c.Name, now.Name, now.Kind, "due time recomputed by the new plan", map[string]string{"until": s.display(due)})
				}
			}
		})
	})
	return nil
}

// dueFrom is when a wait or a decision reached at arrived is due under
// the element's current settings, for an entry with the event's
// properties.
func (s *state) dueFrom(el *Element, arrived time.Time, props map[string]any) (time.Time, bool) {
	if el.Kind == "decision" {
		return s.deadline(el, arrived, props), true
	}
	return s.prog.timerDue(el.Timer, arrived, s.c, props)
}

// removed handles a campaign or sequence the new plan drops while total
// contacts stand in it: stranded (the apply is refused) unless --drain,
// which takes them out with the timeline line why.
func (m *migration) removed(kind, name string, total int, why string) {
	where := fmt.Sprintf("%s %q", kind, name)
	if !m.opts.Drain {
		m.stranded = append(m.stranded, Stranded{Where: where, Contacts: total, Why: "the new plan removes"})
		return
	}
	m.rep.Drained = append(m.rep.Drained, Carried{From: where, Contacts: total})
	m.deferred = append(m.deferred, func() error {
		return m.leaveAll(kind, name, why)
	})
}

func (m *migration) sequence(old *Sequence) error {
	counts, err := m.counts("sequence", old.Name)
	if err != nil {
		return err
	}
	total := 0
	for step, n := range counts {
		if step != "" {
			m.rep.Counts[old.Name+"/"+step] = n
		}
		total += n
	}
	cur := m.next.Sequence(old.Name)
	if cur == nil {
		if total == 0 {
			return nil
		}
		m.removed("sequence", old.Name, total, "unsubscribed: the sequence was removed by the new plan")
		return nil
	}
	renames := map[string]string{}
	for _, st := range old.Steps {
		if stepIndex(cur, st.Name) >= 0 {
			continue
		}
		to, moved := m.moves["sequence."+old.Name+".step."+st.Name]
		if moved {
			parts := strings.Split(to, ".")
			if len(parts) == 4 && parts[0] == "sequence" && parts[1] == old.Name && parts[2] == "step" && stepIndex(cur, parts[3]) >= 0 {
				renames[st.Name] = parts[3]
				if n := counts[st.Name]; n > 0 {
					m.rep.Moved = append(m.rep.Moved, Carried{From: old.Name + "/" + st.Name, To: old.Name + "/" + parts[3], Contacts: n})
				}
				continue
			}
		}
		n := counts[st.Name]
		if n == 0 {
			continue
		}
		id := old.Name + "/" + st.Name
		if !m.opts.Drain {
			why := "the new plan removes"
			if moved {
				why = fmt.Sprintf("a moved block sends to %s, which the new plan does not have", to)
			}
			m.stranded = append(m.stranded, Stranded{Where: id, Contacts: n, Why: why, DrainTo: old.Name + ": the step after the last one sent"})
			continue
		}
		m.rep.Drained = append(m.rep.Drained, Carried{From: id, To: old.Name + ": the step after the last one sent", Contacts: n})
	}
	if sameSteps(old, cur) && len(renames) == 0 {
		return nil
	}
	var added []string
	for _, st := range cur.Steps {
		if stepIndex(old, st.Name) < 0 && !slices.Contains(mapValues(renames), st.Name) {
			added = append(added, st.Name)
		}
	}
	m.deferred = append(m.deferred, func() error {
		reach := map[string]*NewStep{}
		err := m.eachOn("sequence", old.Name, func(s *state) {
			enr := s.enrollment("sequence", cur.Name)
			if enr == nil {
				return
			}
			s.renameSteps(enr, renames)
			s.repoint(enr, cur)
			for _, tok := range enr.liveTokens() {
				at := stepIndex(cur, tok.Element)
				if at < 0 {
					continue
				}
				for _, name := range added {
					// A contact at or before the new step's place gets
					// it; when, only the one whose next step it is says.
					if stepIndex(cur, name) < at {
						continue
					}
					r := reach[name]
					if r == nil {
						r = &NewStep{Step: cur.Name + "/" + name}
						reach[name] = r
					}
					r.Contacts++
					due, ok := s.projectedDue(tok, cur, at, stepIndex(cur, name))
					if ok && (r.First == nil || due.Before(*r.First)) {
						r.First = timePtr(due)
					}
				}
			}
		})
		for _, name := range added {
			if r := reach[name]; r != nil {
				m.rep.NewSteps = append(m.rep.NewSteps, *r)
			}
		}
		return err
	})
	return nil
}

// projectedDue is when a contact waiting for step at of a sequence would
// get step to (at or after it) if it stays subscribed: its due time, then
// each step's schedule from the one before.
func (s *state) projectedDue(tok *Token, seq *Sequence, at, to int) (time.Time, bool) {
	due := tok.DueAt
	if due == nil {
		due = tok.Data.PausedDue
	}
	if due == nil {
		return time.Time{}, false
	}
	t := *due
	for i := at + 1; i <= to; i++ {
		if seq.Steps[i].Draft {
			continue
		}
		next, ok := s.prog.ScheduleDue(&seq.Steps[i].Schedule, t, s.c)
		if !ok {
			return time.Time{}, false
		}
		t = next
	}
	return t, true
}

// repoint moves a contact's positions in a changed sequence to where the
// new steps put them: a step sequence by the seed's scenarios (the step
// after the last one sent), a date sequence to its soonest date step; a
// position on a removed step (a drained one) goes the same way.
func (s *state) repoint(enr *Enrollment, seq *Sequence) {
	if seq.Kind == "date" {
		for _, tok := range enr.liveTokens() {
			if tok.State == StateWaiting {
				s.scheduleDate(enr, tok, seq)
			}
		}
		return
	}
	for _, tok := range enr.liveTokens() {
		if tok.Element != "" && stepIndex(seq, tok.Element) < 0 && tok.Data.LastStep == "" {
			// Waiting for a first step the new plan removed (or for the
			// task of one).
			tok.Data.Task = 0
			s.scheduleStep(enr, tok, seq, 0, enr.EnteredAt)
		}
	}
	s.migrateSequence(seq)
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// renameSteps carries a contact's position in a sequence, and what it
// remembers of the steps sent, over renamed steps.
func (s *state) renameSteps(enr *Enrollment, renames map[string]string) {
	for _, tok := range enr.liveTokens() {
		if to, ok := renames[tok.Element]; ok {
			tok.Element, tok.dirty = to, true
		}
		if to, ok := renames[tok.Data.LastStep]; ok {
			tok.Data.LastStep, tok.dirty = to, true
		}
		for i, f := range tok.Data.Fired {
			name, occurrence, _ := strings.Cut(f, "@")
			if to, ok := renames[name]; ok {
				tok.Data.Fired[i] = to
				if occurrence != "" {
					tok.Data.Fired[i] += "@" + occurrence
				}
				tok.dirty = true
			}
		}
	}
}

// leaveAll makes every contact on a removed campaign or sequence leave it
// (exited), releasing whoever waits for it to come back.
func (m *migration) leaveAll(kind, name, why string) error {
	return m.eachOn(kind, name, func(s *state) {
		for _, enr := range s.entries(kind, name) {
			s.log(kind+":"+name, "", "", why, nil)
			s.leave(enr, StatusExited)
		}
	})
}

// eachOn runs fn over the state of every contact on a campaign or
// sequence, with the new plan's program.
func (m *migration) eachOn(kind, name string, fn func(s *state)) error {
	ids, err := m.tx.ContactsOn(kind, name)
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := m.e.withinTxProg(m.tx, id, m.next, func(s *state) error {
			fn(s)
			return nil
		})
		if err != nil && !errors.Is(err, ErrNoContact) {
			return fmt.Errorf("contact %d: %w", id, err)
		}
	}
	return nil
}
