package runtime

import (
	"fmt"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/internal/suggest"
)

// DecodeEvents reads a list of timed events from JSON, as journey simulate
// reads its events file: [{"at": RFC 3339, "type": EVENT, the event's
// arguments by name, and optionally "properties": {...}}]. Each event is checked as DecodeEvent checks one,
// its "at" is required, and an error names the event by its place in the
// list ("event 2: ...").
func DecodeEvents(data []byte, prog *Program) ([]TimedEvent, error) {
	var raw []map[string]any
	want := `an events file is a JSON list of events, e.g. [{"at": "2026-06-12T10:00:00-04:00", "type": "tag_added", "tag": "attended"}]`
	if err := jsonread.Decode(data, &raw, jsonread.Options{Want: want}); err != nil {
		return nil, err
	}
	var out []TimedEvent
	for i, obj := range raw {
		at, _ := obj["at"].(string)
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return nil, fmt.Errorf("event %d: \"at\" %q is not an RFC 3339 time", i+1, at)
		}
		ev, err := checkedEvent(prog.Plan, obj)
		if err != nil {
			return nil, fmt.Errorf("event %d: %v", i+1, err)
		}
		out = append(out, TimedEvent{At: t, Event: ev})
	}
	return out, nil
}

// DecodeEvent reads one event from JSON, as the server takes it: {"type":
// EVENT, the event's arguments by name, "value" for field_changed, and
// optionally "at"}. The type must be an event of the language (a typo gets
// "did you mean"), its required arguments given, and an argument that
// names a declaration (a tag, a form, an email...) must name one the
// workspace declares. Other keys are not the event's and are left alone.
// Without "at", At is zero: the event happens when it is received.
func DecodeEvent(data []byte, prog *Program) (TimedEvent, error) {
	var obj map[string]any
	want := `an event is a JSON object, e.g. {"type": "tag_added", "tag": "attended"}`
	if err := jsonread.Decode(data, &obj, jsonread.Options{Want: want}); err != nil {
		return TimedEvent{}, err
	}
	var t time.Time
	if v, given := obj["at"]; given {
		at, _ := v.(string)
		var err error
		if t, err = time.Parse(time.RFC3339, at); err != nil {
			return TimedEvent{}, fmt.Errorf("\"at\" %q is not an RFC 3339 time", at)
		}
	}
	ev, err := checkedEvent(prog.Plan, obj)
	if err != nil {
		return TimedEvent{}, err
	}
	return TimedEvent{At: t, Event: ev}, nil
}

// checkedEvent checks an event object's type and its arguments against the
// language's events and the plan's declarations. Only string values are
// arguments. The events journey raises itself are not taken from outside:
// a segment_entered posted would start what waits for it while the
// contact's memberships said otherwise.
func checkedEvent(p *plan.Plan, obj map[string]any) (Event, error) {
	typ, _ := obj["type"].(string)
	kind, ok := plan.LookupEvent(typ)
	if ok && kind.RaisedByJourney {
		return Event{}, fmt.Errorf("journey raises %s itself, when what a segment's where reads changes, or modify_segments changes a static segment: send that change instead (a field, a tag, a purchase, or an event a campaign answers with modify_segments)", typ)
	}
	if !ok {
		var names []string
		for _, e := range plan.EventKinds() {
			if !e.RaisedByJourney {
				names = append(names, e.Name)
			}
		}
		if s := suggest.Closest(typ, names); s != "" {
			return Event{}, fmt.Errorf("there is no event type %q; did you mean %q?", typ, s)
		}
		return Event{}, fmt.Errorf("there is no event type %q; the types are %s", typ, strings.Join(names, ", "))
	}
	ev := Event{Kind: typ, Args: map[string]string{}, Value: obj["value"]}
	if v, given := obj["properties"]; given && v != nil {
		props, ok := v.(map[string]any)
		if !ok {
			return Event{}, fmt.Errorf(`"properties" must be an object of what the event carries, e.g. {"amount": 29}`)
		}
		ev.Properties = props
	}
	for _, param := range kind.Params {
		v, ok := obj[param.Name].(string)
		if !ok {
			if param.Required {
				return Event{}, fmt.Errorf("%s needs %q, e.g. {\"type\": %q, %q: \"NAME\"}", typ, param.Name, typ, param.Name)
			}
			continue
		}
		if param.Declared != "" && !declares(p, param.Declared, v) {
			return Event{}, fmt.Errorf("%s names %s %q, which the workspace does not declare", typ, param.Declared, v)
		}
		ev.Args[param.Name] = v
	}
	return ev, nil
}

// declares reports whether the plan declares a field, or an asset of the
// kind, by the name.
func declares(p *plan.Plan, kind, name string) bool {
	if kind == "field" {
		for _, f := range p.Fields {
			if f.Name == name {
				return true
			}
		}
		return false
	}
	for _, a := range p.Assets {
		if a.Kind == kind && a.Name == name {
			return true
		}
	}
	return false
}

// CheckEvent checks an event object a client sent (decoded JSON) as
// DecodeEvent does, and a field_changed event's "value" against its
// field's type: the engine stores the value as the field's.
func (p *Program) CheckEvent(obj map[string]any) (Event, error) {
	ev, err := checkedEvent(p.Plan, obj)
	if err != nil {
		return Event{}, err
	}
	if f, ok := p.fields[ev.Args["field"]]; ok && ev.Kind == "field_changed" {
		if ev.Value, err = checkedValue(f, ev.Value); err != nil {
			return Event{}, fmt.Errorf("field_changed of %s: \"value\" %v", f.Name, err)
		}
	}
	return ev, nil
}
