package api

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ParseContactRef reads a contact as a command line names it: its id
// ("12"), its email ("ada@example.com") or its external id, prefixed
// ("ext:crm-1042": an external id may be all digits or hold an @).
func ParseContactRef(s string) (ContactRef, error) {
	s = strings.TrimSpace(s)
	const ext = "ext:"
	switch {
	case s == "":
		return ContactRef{}, fmt.Errorf("no contact given: name one by id (12), email (ada@example.com) or external id (ext:crm-1042)")
	case strings.HasPrefix(s, ext):
		if id := strings.TrimSpace(s[len(ext):]); id != "" {
			return ContactRef{ExternalID: id}, nil
		}
		return ContactRef{}, fmt.Errorf("%q names no external id: write it after ext:, e.g. ext:crm-1042", s)
	case strings.Contains(s, "@"):
		return ContactRef{Email: s}, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return ContactRef{}, fmt.Errorf("%q is not a contact: name one by id (12), email (ada@example.com) or external id (ext:%s)", s, s)
	}
	return ContactRef{ID: id}, nil
}

// ParseValue reads a value given on a command line (--value, --property
// k=v): JSON when it is JSON (42, true, null, "42", {"a": 1}), else the
// text itself, so that --property plan=pro needs no quotes.
func ParseValue(s string) any {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() || dec.InputOffset() != int64(len(s)) {
		return s
	}
	return v
}

// ParseProperties reads --property k=v pairs into an event's properties.
func ParseProperties(pairs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if k = strings.TrimSpace(k); !ok || k == "" {
			return nil, fmt.Errorf("property %q is not NAME=VALUE, e.g. amount=29 or webinar=june", p)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("property %q is given twice", k)
		}
		out[k] = ParseValue(v)
	}
	return out, nil
}
