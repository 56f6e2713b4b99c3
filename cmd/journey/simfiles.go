package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/lang/kinds"
	"github.com/journeyhq/journey/runtime"
)

// parseContact reads a contact file: the contact's fields by name, checked
// against the workspace's fields, plus "tags" and "external_id" (its id in
// the client's own system, also a field when the workspace declares one).
func parseContact(p *plan.Plan, data []byte) (*runtime.Contact, error) {
	var raw map[string]any
	want := `a contact file is a JSON object of the contact's fields and "tags", e.g. {"email": "ada@example.com", "tags": ["lead"]}`
	if err := jsonread.Decode(data, &raw, jsonread.Options{Want: want, UseNumber: true}); err != nil {
		return nil, err
	}
	return contactFromFields(p, raw)
}

// contactFromFields builds a contact from field values, checking each name
// and type against the plan's contact schema.
func contactFromFields(p *plan.Plan, raw map[string]any) (*runtime.Contact, error) {
	fields := map[string]plan.Field{}
	var names []string
	for _, f := range p.Fields {
		fields[f.Name] = f
		names = append(names, f.Name)
	}
	c := &runtime.Contact{Fields: map[string]any{}}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		v := raw[name]
		f, ok := fields[name]
		if name == "external_id" {
			id, isString := v.(string)
			if !isString && v != nil {
				return nil, fmt.Errorf("external_id is the contact's id in your own system, a string: write \"external_id\": \"%v\"", v)
			}
			c.ExternalID = id
			if !ok {
				continue
			}
		}
		if !ok {
			if s := suggest.Closest(name, names); s != "" {
				return nil, fmt.Errorf("the workspace has no field %q; did you mean %q?", name, s)
			}
			return nil, fmt.Errorf("the workspace has no field %q (declare it with field %q { type = string })", name, name)
		}
		val, err := fieldValue(f, v)
		if err != nil {
			return nil, fmt.Errorf("field %s: %v", name, err)
		}
		switch name {
		case "tags":
			c.Tags, _ = val.([]string)
		case "points":
			c.Points, _ = val.(float64)
		case "stage":
			c.Stage, _ = val.(string)
		case "owner":
			c.Owner, _ = val.(string)
		case "created_at":
			if s, _ := val.(string); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					return nil, fmt.Errorf("field created_at: %q is not an RFC 3339 time", s)
				}
				c.CreatedAt = t
			}
		default:
			if val != nil {
				c.Fields[name] = val
			}
		}
	}
	return c, nil
}

// fieldValue checks a value against a field's type.
func fieldValue(f plan.Field, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch f.Type {
	case "number":
		switch n := v.(type) {
		case json.Number:
			return n.Float64()
		case float64:
			return n, nil
		case int:
			return float64(n), nil
		}
		return nil, fmt.Errorf("%v is not a number", v)
	case "bool":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("%v is not true or false", v)
	case "list(string)":
		list, ok := v.([]any)
		if !ok {
			if strs, ok := v.([]string); ok {
				return strs, nil
			}
			return nil, fmt.Errorf("%v is not a list of strings", v)
		}
		out := []string{}
		for _, it := range list {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("%v is not a string", it)
			}
			out = append(out, s)
		}
		return out, nil
	case "date", "datetime":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%v is not a date", v)
		}
		if _, _, err := compiler.ParseDateTime(s); err != nil {
			if _, err2 := time.Parse(time.RFC3339, s); err2 != nil {
				return nil, fmt.Errorf("%q is not a date such as 2026-06-20", s)
			}
		}
		return s, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%v is not a string", v)
	}
	return s, nil
}

// parseEvents reads an events file: a JSON list of {"at", "type", and the
// event's argument named by its kind}.
func parseEvents(p *plan.Plan, data []byte) ([]runtime.TimedEvent, error) {
	var raw []map[string]any
	want := `an events file is a JSON list of events, e.g. [{"at": "2026-06-12T10:00:00-04:00", "type": "tag_added", "tag": "attended"}]`
	if err := jsonread.Decode(data, &raw, jsonread.Options{Want: want}); err != nil {
		return nil, err
	}
	var out []runtime.TimedEvent
	for i, obj := range raw {
		at, _ := obj["at"].(string)
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return nil, fmt.Errorf("event %d: \"at\" %q is not an RFC 3339 time", i+1, at)
		}
		typ, _ := obj["type"].(string)
		args := map[string]string{}
		for k, v := range obj {
			if s, ok := v.(string); ok && k != "at" && k != "type" {
				args[k] = s
			}
		}
		ev, err := checkEvent(p, typ, args)
		if err != nil {
			return nil, fmt.Errorf("event %d: %v", i+1, err)
		}
		ev.Value = obj["value"]
		out = append(out, runtime.TimedEvent{At: t, Event: ev})
	}
	return out, nil
}

// checkEvent checks an event's kind and its arguments against the
// language's events and the plan's declarations.
func checkEvent(p *plan.Plan, typ string, args map[string]string) (runtime.Event, error) {
	kind := kinds.LookupEvent(typ)
	if kind == nil {
		var names []string
		for _, e := range kinds.Events() {
			names = append(names, e.Name)
		}
		if s := suggest.Closest(typ, names); s != "" {
			return runtime.Event{}, fmt.Errorf("there is no event type %q; did you mean %q?", typ, s)
		}
		return runtime.Event{}, fmt.Errorf("there is no event type %q; the types are %s", typ, strings.Join(names, ", "))
	}
	declared := map[string]map[string]bool{"field": {}}
	for _, a := range p.Assets {
		if declared[a.Kind] == nil {
			declared[a.Kind] = map[string]bool{}
		}
		declared[a.Kind][a.Name] = true
	}
	for _, f := range p.Fields {
		declared["field"][f.Name] = true
	}
	ev := runtime.Event{Kind: typ, Args: map[string]string{}}
	for _, param := range kind.Params {
		v, ok := args[param.Name]
		if !ok {
			if param.Required {
				return ev, fmt.Errorf("%s needs %q, e.g. {\"type\": %q, %q: \"NAME\"}", typ, param.Name, typ, param.Name)
			}
			continue
		}
		if param.Type == kinds.Ref && !declared[param.Targets[0]][v] {
			return ev, fmt.Errorf("%s names %s %q, which the workspace does not declare", typ, param.Targets[0], v)
		}
		ev.Args[param.Name] = v
	}
	return ev, nil
}

// timelineText prints a timeline the way a marketer reads it:
// "Tue 11 Jun 07:00 EDT  sent email welcome 'Welcome, Ada'".
func timelineText(res *runtime.Result, loc *time.Location) string {
	var b strings.Builder
	for _, e := range res.Timeline {
		fmt.Fprintf(&b, "%s  %s\n", e.At.In(loc).Format("Mon 02 Jan 15:04 MST"), sentence(e, loc))
	}
	if res.Truncated {
		b.WriteString("(stopped early: too many steps; shorten --for)\n")
	}
	status := res.Final.Status
	where := ""
	if res.Final.Element != "" {
		where = " at " + res.Final.Element
	}
	fmt.Fprintf(&b, "\nFinal: %s in campaign %s%s.\n", status, res.Final.Campaign, where)
	return b.String()
}

// sentence says one timeline entry in words.
func sentence(e runtime.TimelineEntry, loc *time.Location) string {
	var d map[string]any
	_ = json.Unmarshal(e.Detail, &d)
	str := func(k string) string { s, _ := d[k].(string); return s }
	when := func(k string) string {
		t, err := time.Parse(time.RFC3339, str(k))
		if err != nil {
			return str(k)
		}
		return t.In(loc).Format("Mon 02 Jan 15:04 MST")
	}
	what := strings.TrimSpace(e.Kind + " " + e.Element)
	if e.Sequence != "" {
		what = strings.TrimSpace("sequence " + e.Sequence + " step " + e.Element)
	}
	switch {
	case e.Sequence != "" && e.Element == "":
		return fmt.Sprintf("sequence %s: %s", e.Sequence, e.Outcome)
	case e.Kind == "change_tags":
		var parts []string
		for _, t := range list(d["added"]) {
			parts = append(parts, "+"+t)
		}
		for _, t := range list(d["removed"]) {
			parts = append(parts, "-"+t)
		}
		if len(parts) == 0 {
			return fmt.Sprintf("change_tags %s: no change", e.Element)
		}
		return fmt.Sprintf("tagged %s (change_tags %s)", strings.Join(parts, " "), e.Element)
	case e.Kind == "trigger" && e.Outcome == "entered":
		return fmt.Sprintf("entered campaign %s (trigger %s)", e.Campaign, e.Element)
	case e.Outcome == "sent" && str("email") != "":
		return fmt.Sprintf("sent email %s %q%s", str("email"), str("subject"), fromStep(e))
	case e.Outcome == "sent" && str("sms") != "":
		return fmt.Sprintf("sent sms %s %q%s", str("sms"), str("body"), fromStep(e))
	case e.Outcome == "waiting" && str("until") != "":
		return fmt.Sprintf("waiting at %s until %s", what, when("until"))
	case strings.HasPrefix(e.Outcome, "waiting for") && str("until") != "":
		return fmt.Sprintf("%s at %s until %s", e.Outcome, what, when("until"))
	case e.Outcome == "waited":
		return fmt.Sprintf("%s is over", what)
	case e.Kind == "end" && e.Outcome == "ended":
		return fmt.Sprintf("reached end %s", e.Element)
	case e.Kind == "end" && e.Outcome == "exited":
		return fmt.Sprintf("left campaign %s at end %s", e.Campaign, e.Element)
	case e.Kind == "condition":
		return fmt.Sprintf("condition %s: took %s", e.Element, e.Outcome)
	}
	s := what + ": " + e.Outcome
	if len(d) > 0 && e.Outcome != "sent" {
		s += " " + compactJSON(e.Detail)
	}
	return s
}

func fromStep(e runtime.TimelineEntry) string {
	if e.Sequence != "" {
		return fmt.Sprintf(" (sequence %s, step %s)", e.Sequence, e.Element)
	}
	return ""
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

func list(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
