package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Words for people: the key setting of an element, a timer, a schedule, an
// event, in the terms they are written in. Diagrams and plan output use them.

// String renders a timer: "2d at 09:30 on weekdays", "until trial_ends -2d
// at 09:00", "between 09:00-17:00".
func (t Timer) String() string {
	var parts []string
	if t.For != nil {
		parts = append(parts, t.For.String())
	}
	if t.Until != nil {
		parts = append(parts, fmt.Sprintf("until %s %s", t.Until.Date, t.Until.Time))
	}
	if f := t.UntilField; f != nil {
		s := "until " + f.Field
		if !f.Offset.IsZero() {
			s += " " + signed(f.Offset)
		}
		if f.At != "" {
			s += " at " + f.At
		}
		if f.Annual {
			s += " (yearly)"
		}
		parts = append(parts, s)
	} else if t.At != "" {
		parts = append(parts, "at "+t.At)
	}
	if t.Between != nil {
		parts = append(parts, fmt.Sprintf("between %s-%s", t.Between.Open, t.Between.Close))
	}
	if len(t.OnDays) > 0 {
		parts = append(parts, "on "+DaysString(t.OnDays))
	}
	return strings.Join(parts, " ") + zoneSuffix(t.TimeZone)
}

// String renders a step schedule: "day 1 at 07:00 on weekdays", "on
// birthday at 09:00 (yearly)".
func (s Schedule) String() string {
	var parts []string
	switch {
	case s.Date != nil:
		parts = append(parts, fmt.Sprintf("on %s at %s", s.Date.Date, s.Date.Time))
	case s.OnField != nil:
		p := "on " + s.OnField.Field
		if !s.OnField.Offset.IsZero() {
			p += " " + signed(s.OnField.Offset)
		}
		if s.OnField.At != "" {
			p += " at " + s.OnField.At
		}
		if s.OnField.Annual {
			p += " (yearly)"
		}
		parts = append(parts, p)
	default:
		parts = append(parts, fmt.Sprintf("day %d", s.DaysAfter))
		if s.At != "" {
			parts = append(parts, "at "+s.At)
		}
		if s.Delay != nil {
			parts = append(parts, "+"+s.Delay.String())
		}
	}
	if len(s.OnDays) > 0 {
		parts = append(parts, "on "+DaysString(s.OnDays))
	}
	return strings.Join(parts, " ") + zoneSuffix(s.TimeZone)
}

func signed(d Duration) string {
	s := d.String()
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

func zoneSuffix(z Zone) string {
	switch z.Mode {
	case "contact":
		return " (contact's zone)"
	case "fixed":
		return " (" + z.Name + ")"
	}
	return ""
}

// DaysString renders weekdays: "weekdays", "weekends" or "mon, wed".
func DaysString(days []string) string {
	joined := strings.Join(days, ",")
	switch joined {
	case "mon,tue,wed,thu,fri":
		return "weekdays"
	case "sun,sat":
		return "weekends"
	}
	return strings.Join(days, ", ")
}

// String renders an event as written: tag_added(tag.customer).
func (e Event) String() string {
	keys := make([]string, 0, len(e.Args))
	for k := range e.Args {
		keys = append(keys, k)
	}
	order := map[string]int{"field": 0, "offset": 1, "annual": 2}
	sort.Slice(keys, func(i, j int) bool { return order[keys[i]] < order[keys[j]] || (order[keys[i]] == order[keys[j]] && keys[i] < keys[j]) })
	var args []string
	for _, k := range keys {
		switch k {
		case "offset":
			var d Duration
			_ = e.Args.Decode(k, &d)
			args = append(args, fmt.Sprintf("%q", d.String()))
		case "annual", "name":
			args = append(args, string(e.Args[k]))
		default:
			args = append(args, k+"."+e.Args.String(k))
		}
	}
	return e.Kind + "(" + strings.Join(args, ", ") + ")"
}

// KeySetting is the one setting a diagram shows under an element's name:
// the timer of a wait, the condition of a condition, the event of a trigger.
func (el Element) KeySetting() string {
	s := el.Settings
	var ev Event
	switch el.Kind {
	case "trigger", "goal":
		_ = s.Decode("on", &ev)
		return "on " + ev.String()
	case "decision":
		_ = s.Decode("on", &ev)
		var within Duration
		_ = s.Decode("within", &within)
		return ev.String() + " within " + within.String()
	case "wait":
		var t Timer
		_ = s.Decode("timer", &t)
		return t.String()
	case "condition":
		var x Expression
		_ = s.Decode("if", &x)
		return x.Text
	case "end":
		if s.Bool("exit") {
			return "exit"
		}
		return ""
	case "change_tags":
		var parts []string
		for _, t := range s.Strings("add") {
			parts = append(parts, "+"+t)
		}
		for _, t := range s.Strings("remove") {
			parts = append(parts, "-"+t)
		}
		return strings.Join(parts, " ")
	case "update_contact":
		var sets []FieldSet
		_ = s.Decode("set", &sets)
		var parts []string
		for _, fs := range sets {
			parts = append(parts, fs.Field+" = "+fs.Value.Text)
		}
		return strings.Join(parts, ", ")
	case "adjust_points":
		return string(s["points"])
	}
	for _, key := range []string{"email", "sms", "postcard", "task", "campaign", "sequence", "list", "product", "lead_router", "user", "webhook", "stage", "site", "audience", "channel"} {
		if v := s.String(key); v != "" {
			return key + "." + v
		}
	}
	return ""
}
