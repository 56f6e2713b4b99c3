package runtime

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/words"
)

// explainer says why an expectation did not hold, from what the engine
// recorded on the timeline and in its own words.
type explainer struct {
	prog *Program
	res  *Result
	sc   *plan.Scenario
	show func(time.Time) string
}

// sender is a place of the program that sends a message: a campaign
// element, a sequence step or a rule, with the kind of its send action.
type sender struct {
	campaign, sequence, rule string
	// element is the element's or step's name; kind is the element's kind
	// or the step's or rule's send action.
	element, kind string
}

// maxEntriesShown bounds what is quoted from the timeline for one sender:
// a loop may pass an element many times.
const maxEntriesShown = 3

// notSent says why a message was never sent: what each element, step or
// rule that sends it recorded, or where the contact was instead.
func (x *explainer) notSent(kind, name string) string {
	senders := x.senders(kind, name)
	if len(senders) == 0 {
		return fmt.Sprintf("no element, sequence step or rule of the workspace sends %s %s", kind, name)
	}
	var parts []string
	for _, s := range senders {
		var entries []TimelineEntry
		for _, e := range x.res.Timeline {
			if s.recorded(e) && !sentAnother(e, kind, name) {
				entries = append(entries, e)
			}
		}
		if len(entries) == 0 {
			parts = append(parts, x.neverReached(s))
			continue
		}
		for i, e := range entries {
			if i == maxEntriesShown {
				parts = append(parts, "and "+words.Count(len(entries)-i, "more time"))
				break
			}
			parts = append(parts, x.recordedAt(x.name(s), e))
		}
	}
	return strings.Join(parts, "; ")
}

// senders lists, in plan order, the campaign elements, sequence steps and
// rules whose actions send the message.
func (x *explainer) senders(kind, name string) []sender {
	var out []sender
	for _, c := range x.prog.Campaigns {
		for _, el := range c.Elements {
			if sends(el.Action, kind, name) {
				out = append(out, sender{campaign: c.Name, element: el.Name, kind: el.Kind})
			}
		}
	}
	for _, seq := range x.prog.Sequences {
		for _, st := range seq.Steps {
			for _, a := range st.allActions() {
				if sends(a, kind, name) {
					out = append(out, sender{sequence: seq.Name, element: st.Name, kind: a.Kind})
					break
				}
			}
		}
	}
	for _, r := range x.prog.Rules {
		for _, a := range r.Actions {
			if sends(a, kind, name) {
				out = append(out, sender{rule: r.Name, kind: a.Kind})
				break
			}
		}
	}
	return out
}

// sends reports whether an action sends the message name of the channel
// kind (as the deliveries of journey test count them: a notification that
// sends an email asset sends that email).
func sends(a *Action, kind, name string) bool {
	if a == nil {
		return false
	}
	s, ok := a.Settings.(plan.SendsMessage)
	if !ok {
		return false
	}
	channel, sent := s.SentMessage()
	return channel == kind && sent == name
}

// sentAnother reports whether the entry is a send of another message of
// the channel (a split step's other path): it says nothing of this one.
func sentAnother(e TimelineEntry, channel, name string) bool {
	if e.Outcome != "sent" {
		return false
	}
	var d map[string]any
	_ = json.Unmarshal(e.Detail, &d)
	sent, _ := d[channel].(string)
	return sent != "" && sent != name
}

// recorded reports whether a timeline entry is the sender's: its element,
// or its step or rule and the send action or what stopped it.
func (s sender) recorded(e TimelineEntry) bool {
	switch {
	case s.campaign != "":
		return e.Campaign == s.campaign && e.Sequence == "" && e.Element == s.element
	case s.sequence != "":
		return e.Sequence == s.sequence && e.Element == s.element && (e.Kind == s.kind || e.Kind == "step")
	}
	return e.Campaign == "" && e.Sequence == "" && e.Element == s.rule &&
		(e.Kind == s.kind || e.Kind == "rule" && strings.HasPrefix(e.Outcome, "skipped"))
}

// name is how a failure names a sender; an element of another campaign
// than the scenario's says which.
func (x *explainer) name(s sender) string {
	switch {
	case s.sequence != "":
		return fmt.Sprintf("step %s of sequence %s", s.element, s.sequence)
	case s.rule != "":
		return "rule " + s.rule
	case s.campaign != x.sc.Campaign:
		return fmt.Sprintf("%s %s of campaign %s", s.kind, s.element, s.campaign)
	}
	return s.kind + " " + s.element
}

// recordedAt says one timeline entry of who.
func (x *explainer) recordedAt(who string, e TimelineEntry) string {
	when := x.show(e.At)
	switch {
	case strings.HasPrefix(e.Outcome, "skipped: "):
		return fmt.Sprintf("%s skipped it at %s: %s", who, when, strings.TrimPrefix(e.Outcome, "skipped: "))
	case e.Outcome == "failed":
		var d struct{ Error string }
		_ = json.Unmarshal(e.Detail, &d)
		return fmt.Sprintf("%s failed at %s: %s", who, when, d.Error)
	}
	return fmt.Sprintf("%s at %s: %s", who, when, e.Outcome)
}

// neverReached says why a sender has no entry at all.
func (x *explainer) neverReached(s sender) string {
	who, end := x.name(s), x.show(x.sc.Until)
	switch {
	case s.sequence != "":
		var last *TimelineEntry
		for i, e := range x.res.Timeline {
			if e.Sequence == s.sequence {
				last = &x.res.Timeline[i]
			}
		}
		if last == nil {
			return fmt.Sprintf("%s was never reached: the contact was never subscribed to sequence %s", who, s.sequence)
		}
		what := last.Outcome
		if last.Element != "" {
			what = fmt.Sprintf("step %s: %s", last.Element, last.Outcome)
		}
		return fmt.Sprintf("%s was never reached before the run ended at %s: the last entry of sequence %s was %s at %s", who, end, s.sequence, what, x.show(last.At))
	case s.rule != "":
		return fmt.Sprintf("%s never ran: its event never happened, or its if was false", who)
	}
	if !x.entered(s.campaign, x.sc.Until) {
		return fmt.Sprintf("%s was never reached: the contact never entered campaign %s", who, s.campaign)
	}
	return fmt.Sprintf("%s was never reached: when the run ended at %s, the contact was %s", who, end, x.standing(s.campaign, x.sc.Until))
}

// entered reports whether the timeline has an entry of the campaign by t.
func (x *explainer) entered(campaign string, t time.Time) bool {
	for _, e := range x.res.Timeline {
		if !e.At.After(t) && e.Campaign == campaign {
			return true
		}
	}
	return false
}

// standing says where the contact stood in a campaign at t, to follow
// "the contact was": waiting at an element (until when), or waiting
// nowhere, with the last thing the campaign recorded.
func (x *explainer) standing(campaign string, t time.Time) string {
	var last *TimelineEntry
	latest := map[string]*TimelineEntry{}
	for i := range x.res.Timeline {
		e := &x.res.Timeline[i]
		if e.At.After(t) {
			break
		}
		if e.Campaign == campaign && e.Element != "" {
			last, latest[e.Element] = e, e
		}
	}
	if last == nil {
		return "never in campaign " + campaign
	}
	var at []string
	for _, el := range restingAt(x.res.Timeline, campaign, t) {
		at = append(at, x.waiting(latest[el]))
	}
	if len(at) > 0 {
		return strings.Join(at, ", and ")
	}
	return fmt.Sprintf("waiting nowhere in campaign %s: its last step there was %s %s at %s: %s", campaign, last.Kind, last.Element, x.show(last.At), last.Outcome)
}

// waiting says what an element the contact rests on recorded: a wait or
// decision with its due time (and whether that is after the run's end),
// or a hold in the engine's words.
func (x *explainer) waiting(e *TimelineEntry) string {
	var d struct{ Until string }
	_ = json.Unmarshal(e.Detail, &d)
	until, err := time.Parse(time.RFC3339, d.Until)
	if err != nil {
		return fmt.Sprintf("at %s %s: %s", e.Kind, e.Element, e.Outcome)
	}
	s := waitingUntil(e.Outcome, e.Kind+" "+e.Element, x.show(until))
	if until.After(x.sc.Until) {
		s += " (after the run's end: lengthen the scenario's for to see what follows)"
	}
	return s
}
