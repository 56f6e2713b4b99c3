package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about timers: waits, sequence step schedules, appointment times,
// decisions' deadlines.

// timerSite is one timer of the workspace with the words that name it.
type timerSite struct {
	what  string // `wait "later"`, `the at block of create_appointment "demo"`
	timer *compiler.Timer
	// appointment: the timer is when an appointment is booked for; no
	// contact waits on it.
	appointment bool
	// deadline: the timer is when a decision stops waiting for its event.
	deadline bool
}

// timers lists the timers of the campaigns' elements. Drafts are left out:
// contacts skip them, so their timers hold no one.
func timers(p *compiler.Program) []timerSite {
	var out []timerSite
	for _, c := range p.Campaigns {
		for _, el := range c.Elements {
			if el.Timer != nil && !el.Draft {
				deadline := el.Kind.Has(kinds.Deadline)
				out = append(out, timerSite{lang.Describe(el.Timer.Block), el.Timer, !el.Kind.Has(kinds.Timer) && !deadline, deadline})
			}
		}
	}
	return out
}

// waitedSteps lists the steps whose schedules contacts wait for: every
// step of a step sequence (a draft keeps its place, and is passed on its
// day), the steps of a date sequence that run.
func waitedSteps(s *compiler.Sequence) []*compiler.Step {
	if s.Kind == "date" {
		return liveSteps(s)
	}
	return s.Steps
}

// liveSteps lists a sequence's steps that run (not drafts).
func liveSteps(s *compiler.Sequence) []*compiler.Step {
	var out []*compiler.Step
	for _, st := range s.Steps {
		if !st.Draft {
			out = append(out, st)
		}
	}
	return out
}

func unconfiguredTimer() Rule {
	return Rule{
		Name: "unconfigured-timer", Severity: Error,
		Summary: "a wait, step schedule or appointment time with none of " + strings.Join(kinds.TimerSettings(), ", "),
		Check: func(p *Pass) {
			for _, t := range timers(p.Program) {
				if !t.timer.Configured {
					what := "contacts would stop here forever, and nothing behind it would ever run"
					if t.appointment {
						what = "the appointment gets no time, so it is never booked"
					}
					p.Report(t.timer.Block.DefRange,
						fmt.Sprintf("%s has no timer settings: %s", t.what, what),
						"set "+words.JoinOr(kinds.TimerSettings()))
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range waitedSteps(s) {
					if st.ScheduleBlock != nil && !st.Configured {
						p.Report(st.ScheduleBlock.DefRange,
							fmt.Sprintf("the schedule of step %q in sequence %q is empty: contacts would stop before it forever, and no later step would run", st.Name, s.Name),
							"set "+words.JoinOr(kinds.ScheduleSettings())+", or remove the empty schedule block to fire at the default send time")
					}
				}
			}
		},
	}
}

func emptyWindow() Rule {
	return Rule{
		Name: "empty-window", Severity: Error,
		Summary: "on_days = [], a between window that does not open before it closes, an at outside the between window: the timer can never fire",
		Check: func(p *Pass) {
			for _, t := range timers(p.Program) {
				if t.timer.EmptyWhy != "" {
					what := "contacts would wait here forever, and nothing behind it would ever run"
					if t.appointment {
						what = "no time fits it, so the appointment is never booked"
					}
					p.Report(t.timer.EmptyRange,
						fmt.Sprintf("%s can never fire (%s): %s", t.what, t.timer.EmptyWhy, what),
						"allow at least one day, and keep at inside a window that opens before it closes")
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range waitedSteps(s) {
					if st.EmptyWhy != "" {
						p.Report(st.EmptyRange,
							fmt.Sprintf("step %q of sequence %q can never fire (%s): contacts would wait before it forever, and no later step would run", st.Name, s.Name, st.EmptyWhy),
							"allow at least one day")
					}
				}
			}
		},
	}
}

func pastDate() Rule {
	return Rule{
		Name: "past-date", Severity: Warning,
		Summary: "an absolute until (of a wait, a decision or an appointment) or step date that is already past at validation time",
		Check: func(p *Pass) {
			for _, t := range timers(p.Program) {
				if at, ok := instant(t.timer.Until, t.timer.TimeZone); ok && at.Before(p.Now) {
					msg := fmt.Sprintf("%s waits until %s %s, which has passed: contacts go straight on", t.what, t.timer.Until.Date, t.timer.Until.Time)
					hint := "set a future date, or remove the wait"
					switch {
					case t.deadline:
						msg = fmt.Sprintf("%s waits for its event until %s %s, which has passed: every contact takes no at once", t.what, t.timer.Until.Date, t.timer.Until.Time)
						hint = "set a future date, or a deadline relative to the contact's arrival (within)"
					case t.appointment:
						msg = fmt.Sprintf("%s books the appointment for %s %s, which has passed: every contact gets an appointment in the past", t.what, t.timer.Until.Date, t.timer.Until.Time)
						hint = "set a future date, or a time relative to the contact's arrival (for, at)"
					}
					p.Report(t.timer.Block.Attr("until").Range(), msg, hint)
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range liveSteps(s) {
					if st.Schedule == nil || st.ScheduleBlock == nil {
						continue
					}
					if at, ok := instant(st.Schedule.Date, st.Schedule.TimeZone); ok && at.Before(p.Now) {
						p.Report(st.ScheduleBlock.Attr("date").Range(),
							fmt.Sprintf("step %q of sequence %q is dated %s, which has passed: no contact will get it", st.Name, s.Name, st.Schedule.Date.Date),
							"set a future date, or remove the step")
					}
				}
			}
		},
	}
}

// instant is an absolute date-time in its zone (a contact zone counts in
// its fallback, the account's).
func instant(d *plan.DateTime, z plan.Zone) (time.Time, bool) {
	if d == nil {
		return time.Time{}, false
	}
	loc, err := time.LoadLocation(z.Name)
	if err != nil {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", d.Date+" "+d.Time, loc)
	return t, err == nil
}

func consecutiveWaits() Rule {
	return Rule{
		Name: "consecutive-waits", Severity: Warning,
		Summary: "a wait whose next is another wait",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if !el.Kind.Has(kinds.Timer) || el.Draft {
						continue
					}
					for _, to := range liveNext(el) {
						if to.Kind.Has(kinds.Timer) && to != el {
							p.Report(el.Block.DefRange,
								fmt.Sprintf("%s is followed at once by %s: one wait says the same, and reviewers misread two", label(el), label(to)),
								"merge them into one wait",
								Related{Message: "the second wait", Range: to.Block.DefRange})
						}
					}
				}
			}
		},
	}
}

// liveNext returns the elements a contact reaches next from el: its next
// elements, with drafts passed over (contacts skip a draft and go straight
// to its next). A draft that branches or forks is not looked through.
func liveNext(el *compiler.Element) []*compiler.Element {
	var out []*compiler.Element
	seen := map[*compiler.Element]bool{el: true}
	for _, to := range el.Next() {
		for to != nil && to.Draft && !seen[to] {
			seen[to] = true
			next := to.Next()
			if len(next) != 1 {
				to = nil
				break
			}
			to = next[0]
		}
		if to != nil && !to.Draft {
			out = append(out, to)
		}
	}
	return out
}
