package runtime

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// NewContact builds a contact from field values by name: tags, points,
// stage, owner and created_at go to their own members; external_id is also
// the contact's ExternalID.
func NewContact(fields map[string]any) *Contact {
	c := &Contact{Fields: map[string]any{}}
	for name, v := range fields {
		if name == "external_id" {
			c.ExternalID, _ = v.(string)
		}
		switch name {
		case "tags":
			switch t := v.(type) {
			case []string:
				c.Tags = append([]string(nil), t...)
			case []any:
				for _, it := range t {
					if s, ok := it.(string); ok {
						c.Tags = append(c.Tags, s)
					}
				}
			}
		case "points":
			c.Points, _ = v.(float64)
		case "stage":
			c.Stage, _ = v.(string)
		case "owner":
			c.Owner, _ = v.(string)
		case "created_at":
			if s, ok := v.(string); ok {
				c.CreatedAt, _ = time.Parse(time.RFC3339, s)
			}
		default:
			if v != nil {
				c.Fields[name] = v
			}
		}
	}
	return c
}

// ScenarioResult is a scenario's outcome: its failures (none: it passed)
// and what happened.
type ScenarioResult struct {
	Scenario *plan.Scenario
	Failures []Failure
	Result   *Result
	// Want and Got are the expected and actual sends, one line each in
	// time order, for a diff when a send expectation fails. A sent
	// expectation that held is the line of the send that met it, so that
	// only what failed differs; never_sent adds no line (a send it forbids
	// shows as an actual one).
	Want, Got []string
}

// Failure is an expectation that did not hold, or a run that could not be
// trusted (Kind "").
type Failure struct {
	Source plan.Source
	// Kind is the expectation's: sent, never_sent, at_element, has_tag,
	// lacks_tag, fields or status.
	Kind    string
	Message string
}

// FailedOnSends reports whether a sent or never_sent expectation failed:
// then the sends diff shows what went out.
func (r *ScenarioResult) FailedOnSends() bool {
	for _, f := range r.Failures {
		if f.Kind == "sent" || f.Kind == "never_sent" {
			return true
		}
	}
	return false
}

// RunScenario runs a scenario on a private store from newStore and checks
// its expectations. Each failure says why, from what the engine recorded.
func RunScenario(ctx context.Context, prog *Program, store Store, sc *plan.Scenario) (*ScenarioResult, error) {
	return runScenario(ctx, prog, NewSimulation(prog, store, sc.Start), sc)
}

func runScenario(ctx context.Context, prog *Program, sim *Simulation, sc *plan.Scenario) (*ScenarioResult, error) {
	var events []TimedEvent
	for _, ev := range sc.Events {
		events = append(events, TimedEvent{At: ev.At, Event: Event{Kind: ev.Kind, Args: ev.Args, Value: ev.Value, Properties: ev.Properties}})
	}
	entry := Entry{Campaign: sc.Campaign, Trigger: sc.Trigger, Properties: sc.Properties}
	res, err := sim.Run(ctx, NewContact(sc.Contact), entry, events, sc.Until)
	if err != nil {
		return nil, err
	}
	out := &ScenarioResult{Scenario: sc, Result: res}
	loc := prog.AccountLocation()
	show := func(t time.Time) string { return t.In(loc).Format("Mon 02 Jan 2006 15:04 MST") }
	why := &explainer{prog: prog, res: res, sc: sc, show: show}
	sends := map[string][]time.Time{}
	for _, d := range res.Deliveries {
		if d.Asset != "" {
			key := deliveryKind(d.Kind) + " " + d.Asset
			sends[key] = append(sends[key], d.CreatedAt)
			out.Got = append(out.Got, sentLine(show(d.CreatedAt), key))
		}
	}
	var want wantedSends
	fail := func(x plan.Expectation, format string, args ...any) {
		out.Failures = append(out.Failures, Failure{Source: x.Source, Kind: x.Kind, Message: fmt.Sprintf(format, args...)})
	}
	if res.Truncated {
		out.Failures = append(out.Failures, Failure{Source: sc.Source, Message: fmt.Sprintf(
			"the run stopped after %d steps, before its end at %s (a loop of short waits?): nothing was checked; shorten the scenario's for", sim.MaxSteps, show(sc.Until))})
		return out, nil
	}
	for _, x := range sc.Expects {
		key := x.MessageKind + " " + x.Name
		switch x.Kind {
		case "sent":
			times := sends[key]
			switch {
			case x.At != nil:
				want.add(*x.At, sentLine(show(*x.At), key))
				if !slices.ContainsFunc(times, x.At.Equal) {
					fail(x, "expected %s at %s; %s", key, show(*x.At), sentWhen(times, show, func() string { return why.notSent(x.MessageKind, x.Name) }))
				}
			case x.Within != nil:
				by := sc.Start.AddDate(0, 0, x.Within.Days).Add(time.Duration(x.Within.Minutes) * time.Minute)
				if len(times) > 0 && !times[0].After(by) {
					want.add(times[0], sentLine(show(times[0]), key))
				} else {
					want.add(by, sentLine("by "+show(by), key))
					fail(x, "expected %s within %s (by %s); %s", key, x.Within, show(by), sentWhen(times, show, func() string { return why.notSent(x.MessageKind, x.Name) }))
				}
			default:
				if len(times) > 0 {
					want.add(times[0], sentLine(show(times[0]), key))
				} else {
					want.add(sc.Until, sentLine("any time", key))
					fail(x, "expected %s to be sent; it never was: %s", key, why.notSent(x.MessageKind, x.Name))
				}
			}
		case "never_sent":
			if times := sends[key]; len(times) > 0 {
				fail(x, "expected %s never to be sent; %s", key, sentWhen(times, show, nil))
			}
		case "at_element":
			at := sc.Until
			if x.At != nil {
				at = *x.At
			}
			if where := restingAt(res.Timeline, sc.Campaign, at); !slices.Contains(where, x.Name) {
				fail(x, "expected the contact at %s at %s; it was %s", x.Name, show(at), why.standing(sc.Campaign, at))
			}
		case "has_tag", "lacks_tag":
			has := res.Contact != nil && res.Contact.HasTag(x.Name)
			if has != (x.Kind == "has_tag") {
				verb := "to have"
				if x.Kind == "lacks_tag" {
					verb = "not to have"
				}
				tags := "none"
				if list := tagsOf(res.Contact); len(list) > 0 {
					tags = strings.Join(list, ", ")
				}
				fail(x, "expected the contact %s tag %s at the end; its tags are %s", verb, x.Name, tags)
			}
		case "fields":
			for _, name := range sortedKeys(x.Fields) {
				var got any
				if res.Contact != nil {
					got = res.Contact.Field(name)
				}
				if !sameValue(got, x.Fields[name]) {
					fail(x, "expected field %s = %v at the end; it is %v", name, show2(x.Fields[name]), show2(got))
				}
			}
		case "status":
			if res.Final.Status != x.Status {
				at := ""
				if res.Final.Element != "" {
					at = " (at " + res.Final.Element + ")"
				}
				fail(x, "expected status %s at the end; it is %s%s", x.Status, res.Final.Status, at)
			}
		}
	}
	out.Want = want.text
	return out, nil
}

// sentLine is one line of the sends diff.
func sentLine(when, key string) string { return when + "  sent " + key }

// wantedSends are the lines of the expected sends, each once, by time.
type wantedSends struct {
	at   []time.Time
	text []string
}

func (w *wantedSends) add(at time.Time, text string) {
	if slices.Contains(w.text, text) {
		return
	}
	i := sort.Search(len(w.at), func(i int) bool { return w.at[i].After(at) })
	w.at, w.text = slices.Insert(w.at, i, at), slices.Insert(w.text, i, text)
}

// deliveryKind is the channel a delivery of a message asset went on: its
// kind, or, for an action's own kind of delivery (notify_email), the
// action's channel, so that a notification that sends an email sends that
// email.
func deliveryKind(kind string) string {
	if s, ok := plan.NewElementSettings(kind).(interface{ Channel() string }); ok {
		return s.Channel()
	}
	return kind
}

// sentWhen says when a message was sent, or, never sent, why (when why is
// given).
func sentWhen(times []time.Time, show func(time.Time) string, why func() string) string {
	if len(times) == 0 {
		if why == nil {
			return "it was never sent"
		}
		return "it was never sent: " + why()
	}
	var parts []string
	for _, t := range times {
		parts = append(parts, show(t))
	}
	return "it was sent at " + strings.Join(parts, ", ")
}

// restingAt lists the elements of a campaign the contact stands on at t, as
// its timeline tells: where it waits, holds or stopped.
func restingAt(timeline []TimelineEntry, campaign string, t time.Time) []string {
	resting := map[string]bool{}
	for _, e := range timeline {
		if e.At.After(t) {
			break
		}
		if e.Campaign != campaign || e.Element == "" {
			continue
		}
		o := e.Outcome
		switch {
		case e.Kind == "end" && o == "exited":
			resting = map[string]bool{}
		case strings.HasPrefix(o, "waiting"), strings.Contains(o, "; waiting"), strings.HasPrefix(o, "stopped"):
			resting[e.Element] = true
		case o == "waited", strings.HasPrefix(o, "yes"), strings.HasPrefix(o, "no:"), o == "returned":
			resting[e.Element] = false
		case strings.HasPrefix(o, "reached goal"):
			resting = map[string]bool{}
		}
	}
	var out []string
	for el, on := range resting {
		if on {
			out = append(out, el)
		}
	}
	sort.Strings(out)
	return out
}

func tagsOf(c *Contact) []string {
	if c == nil {
		return nil
	}
	return c.Tags
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sameValue(a, b any) bool {
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			return fa == fb
		}
	}
	return reflect.DeepEqual(a, b) || fmt.Sprint(a) == fmt.Sprint(b) && a != nil && b != nil
}

func show2(v any) string {
	if v == nil {
		return "unset"
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}
