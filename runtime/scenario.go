package runtime

import (
	"context"
	"fmt"
	"reflect"
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
	// Want and Got are the expected and actual sends, one line each, for a
	// diff when a send expectation fails.
	Want, Got []string
}

// Failure is an expectation that did not hold.
type Failure struct {
	Source  plan.Source
	Message string
}

// RunScenario runs a scenario on a private store from newStore and checks
// its expectations.
func RunScenario(ctx context.Context, prog *Program, store Store, sc *plan.Scenario) (*ScenarioResult, error) {
	var events []TimedEvent
	for _, ev := range sc.Events {
		events = append(events, TimedEvent{At: ev.At, Event: Event{Kind: ev.Kind, Args: ev.Args, Value: ev.Value}})
	}
	sim := NewSimulation(prog, store, sc.Start)
	res, err := sim.Run(ctx, NewContact(sc.Contact), sc.Campaign, sc.Trigger, events, sc.Until)
	if err != nil {
		return nil, err
	}
	out := &ScenarioResult{Scenario: sc, Result: res}
	loc := prog.AccountLocation()
	show := func(t time.Time) string { return t.In(loc).Format("Mon 02 Jan 2006 15:04 MST") }
	sends := map[string][]time.Time{}
	for _, d := range res.Deliveries {
		if d.Asset != "" {
			key := deliveryKind(d.Kind) + " " + d.Asset
			sends[key] = append(sends[key], d.CreatedAt)
			out.Got = append(out.Got, fmt.Sprintf("%s  sent %s", show(d.CreatedAt), key))
		}
	}
	fail := func(x plan.Expectation, format string, args ...any) {
		out.Failures = append(out.Failures, Failure{Source: x.Source, Message: fmt.Sprintf(format, args...)})
	}
	for _, x := range sc.Expects {
		key := x.MessageKind + " " + x.Name
		switch x.Kind {
		case "sent":
			times := sends[key]
			want := fmt.Sprintf("sent %s", key)
			switch {
			case x.At != nil:
				out.Want = append(out.Want, fmt.Sprintf("%s  %s", show(*x.At), want))
				if !containsTime(times, *x.At) {
					fail(x, "expected %s at %s; %s", key, show(*x.At), sentWhen(times, show))
				}
			case x.Within != nil:
				by := sc.Start.AddDate(0, 0, x.Within.Days).Add(time.Duration(x.Within.Minutes) * time.Minute)
				out.Want = append(out.Want, fmt.Sprintf("by %s  %s", show(by), want))
				if len(times) == 0 || times[0].After(by) {
					fail(x, "expected %s within %s (by %s); %s", key, x.Within, show(by), sentWhen(times, show))
				}
			default:
				out.Want = append(out.Want, "any time  "+want)
				if len(times) == 0 {
					fail(x, "expected %s to be sent; it never was", key)
				}
			}
		case "never_sent":
			out.Want = append(out.Want, "never  sent "+key)
			if times := sends[key]; len(times) > 0 {
				fail(x, "expected %s never to be sent; %s", key, sentWhen(times, show))
			}
		case "at_element":
			at := sc.Until
			if x.At != nil {
				at = *x.At
			}
			if where := restingAt(res.Timeline, sc.Campaign, at); !contains(where, x.Name) {
				fail(x, "expected the contact at %s at %s; it was at %s", x.Name, show(at), listOr(where, "no element (not waiting anywhere)"))
			}
		case "has_tag", "lacks_tag":
			has := res.Contact != nil && res.Contact.HasTag(x.Name)
			if has != (x.Kind == "has_tag") {
				verb := "to have"
				if x.Kind == "lacks_tag" {
					verb = "not to have"
				}
				fail(x, "expected the contact %s tag %s at the end; its tags are %s", verb, x.Name, listOr(tagsOf(res.Contact), "none"))
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
				fail(x, "expected status %s at the end; it is %s (at %s)", x.Status, res.Final.Status, res.Final.Element)
			}
		}
	}
	return out, nil
}

func deliveryKind(kind string) string {
	if kind == "notify_email" {
		return "email"
	}
	return kind
}

func containsTime(list []time.Time, t time.Time) bool {
	for _, x := range list {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

func sentWhen(times []time.Time, show func(time.Time) string) string {
	if len(times) == 0 {
		return "it was never sent"
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

func listOr(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(list, ", ")
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
