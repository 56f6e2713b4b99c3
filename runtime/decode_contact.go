package runtime

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/internal/suggest"
)

// DecodeContact reads a contact from JSON: one object of the contact's
// fields by name, checked against the workspace's fields and their types,
// plus "tags" and "external_id" (its id in the client's own system, also a
// field when the workspace declares one). journey simulate reads its
// contact file with it, and the server a contact it is sent, so that both
// take and refuse the same contacts in the same words. An error about the
// JSON itself is a *jsonread.Error with a line and column.
func DecodeContact(data []byte, prog *Program) (*Contact, error) {
	var raw map[string]any
	want := `a contact file is a JSON object of the contact's fields and "tags", e.g. {"email": "ada@example.com", "tags": ["lead"]}`
	if err := jsonread.Decode(data, &raw, jsonread.Options{Want: want, UseNumber: true}); err != nil {
		return nil, err
	}
	return checkedContact(prog.Plan.Fields, raw)
}

// checkedContact builds a contact from field values, checking each name and
// value against the fields; the first problem in name order is the error.
func checkedContact(schema []plan.Field, raw map[string]any) (*Contact, error) {
	ch, err := checkedChanges(schema, raw)
	if err != nil {
		return nil, err
	}
	return ch.Contact(), nil
}

// ContactChanges are a contact's values as a client gives them: its
// external id, and fields by name ("tags", "points"... among them) with
// nil for a field to unset.
type ContactChanges struct {
	ExternalID string
	Fields     map[string]any
}

// Contact is a new contact holding the changes.
func (ch ContactChanges) Contact() *Contact {
	c := NewContact(ch.Fields)
	c.ExternalID = ch.ExternalID
	return c
}

// Email is the email the changes set, trimmed and lower-cased ("" for
// none).
func (ch ContactChanges) Email() string {
	s, _ := ch.Fields["email"].(string)
	return NormalizeEmail(s)
}

// CheckContact checks a contact object a client sent (decoded JSON,
// numbers as json.Number or float64) with the rules and the words of a
// contact file: every name a declared or built-in field (or
// "external_id"), every value of its field's type; null is kept, to unset
// the field.
func (p *Program) CheckContact(raw map[string]any) (ContactChanges, error) {
	return checkedChanges(p.Plan.Fields, raw)
}

func checkedChanges(schema []plan.Field, raw map[string]any) (ContactChanges, error) {
	fields := make(map[string]plan.Field, len(schema))
	names := make([]string, 0, len(schema))
	for _, f := range schema {
		fields[f.Name] = f
		names = append(names, f.Name)
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ch := ContactChanges{Fields: make(map[string]any, len(raw))}
	for _, name := range keys {
		v := raw[name]
		f, declared := fields[name]
		if name == "external_id" {
			id, isString := v.(string)
			if !isString && v != nil {
				return ContactChanges{}, fmt.Errorf("external_id is the contact's id in your own system, a string: write \"external_id\": \"%v\"", v)
			}
			ch.ExternalID = id
			if !declared {
				continue
			}
		}
		if !declared {
			return ContactChanges{}, unknownField(name, names)
		}
		val, err := checkedValue(f, v)
		if err != nil {
			return ContactChanges{}, fmt.Errorf("field %s: %v", name, err)
		}
		if s, _ := val.(string); name == "created_at" && s != "" {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				return ContactChanges{}, fmt.Errorf("field created_at: %q is not an RFC 3339 time", s)
			}
		}
		ch.Fields[name] = val
	}
	return ch, nil
}

// unknownField says that the workspace has no field by the name, with the
// closest one it has or how to declare it.
func unknownField(name string, names []string) error {
	if s := suggest.Closest(name, names); s != "" {
		return fmt.Errorf("the workspace has no field %q; did you mean %q?", name, s)
	}
	return fmt.Errorf("the workspace has no field %q (declare it with field %q { type = string })", name, name)
}

// checkedValue checks a value against a field's type and returns it as the
// engine holds it: a number as float64, a list as []string. null is no
// value.
func checkedValue(f plan.Field, v any) (any, error) {
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
		if !isDateValue(s) {
			return nil, fmt.Errorf("%q is not a date such as 2026-06-20", s)
		}
		return s, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%v is not a string", v)
	}
	return s, nil
}

// isDateValue reports whether a contact's date or datetime field may hold
// s: a date, a date-time to the minute as the language writes them, or an
// RFC 3339 time.
func isDateValue(s string) bool {
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Second() == 0
		}
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
