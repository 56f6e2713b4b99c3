package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/journeyhq/journey/runtime"
)

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
