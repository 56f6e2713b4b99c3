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
	} else if e := t.UntilEvent; e != nil {
		s := "until event." + e.Property
		if !e.Offset.IsZero() {
			s += " " + signed(e.Offset)
		}
		if e.At != "" {
			s += " at " + e.At
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

// String renders a step schedule: "1 day later at 07:00 on weekdays" (days
// after the previous step, or the subscription), "same day +15m", "on
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
		// DaysAfter counts from the previous step (the subscription for
		// the first), so it is said as a lapse, not a day number.
		switch s.DaysAfter {
		case 0:
			parts = append(parts, "same day")
		case 1:
			parts = append(parts, "1 day later")
		default:
			parts = append(parts, fmt.Sprintf("%d days later", s.DaysAfter))
		}
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
	sort.Slice(keys, func(i, j int) bool {
		return order[keys[i]] < order[keys[j]] || (order[keys[i]] == order[keys[j]] && keys[i] < keys[j])
	})
	var args []string
	for _, k := range keys {
		switch k {
		case "offset":
			var d Duration
			_ = e.Args.Decode(k, &d)
			args = append(args, fmt.Sprintf("%q", d.String()))
		case "annual":
			args = append(args, string(e.Args[k]))
		default:
			if declared(e.Kind, k) {
				args = append(args, k+"."+e.Args.String(k))
			} else {
				// A value as written: api's "name", page_visited's "url".
				args = append(args, string(e.Args[k]))
			}
		}
	}
	return e.Kind + "(" + strings.Join(args, ", ") + ")"
}

// declared reports whether an event's argument names a declaration (a
// tag, a form...) rather than being a value.
func declared(kind, arg string) bool {
	k, ok := LookupEvent(kind)
	if !ok {
		return true
	}
	for _, p := range k.Params {
		if p.Name == arg {
			return p.Declared != ""
		}
	}
	return true
}

// KeySetting is the one setting a diagram shows under an element's name:
// the timer of a wait, the condition of a condition, the event of a trigger,
// what an action sends or changes. It is written in the terms of the HCL
// ("on form_submitted(form.trial_signup)", "2d at 09:30 on weekdays",
// "email.welcome", "+customer -lead") and is "" when there is nothing to say.
func (el Element) KeySetting() string {
	s := el.Settings
	var ev Event
	switch el.Kind {
	case "trigger", "goal":
		_ = s.Decode("on", &ev)
		return "on " + ev.String() + keyed(s) + where(s)
	case "decision":
		_ = s.Decode("on", &ev)
		if s.Has("deadline") {
			var deadline Timer
			_ = s.Decode("deadline", &deadline)
			return ev.String() + keyed(s) + " " + deadline.String()
		}
		var within Duration
		_ = s.Decode("within", &within)
		return ev.String() + keyed(s) + " within " + within.String()
	case "wait":
		var t Timer
		_ = s.Decode("timer", &t)
		return t.String()
	case "condition":
		return exprText(s, "if")
	case "end":
		if s.Bool("exit") {
			return "exit"
		}
		return ""
	case "change_tags":
		if s.Has("set") {
			return "tags = [" + strings.Join(s.Strings("set"), ", ") + "]"
		}
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
		out := strings.Join(parts, ", ")
		if s.Bool("only_if_blank") {
			out += " (only if blank)"
		}
		return out
	case "adjust_points":
		p := string(s["points"])
		if p != "" && !strings.HasPrefix(p, "-") {
			p = "+" + p
		}
		return p + " points"
	case "send_email":
		return join("email."+s.String("email"), recipient(s, "to"))
	case "notify_email":
		if e := s.String("email"); e != "" {
			return join("email."+e, recipient(s, "to"))
		}
		return join(recipient(s, "to")+":", exprText(s, "subject"))
	case "notify_sms":
		return join(recipient(s, "to")+":", exprText(s, "body"))
	case "assign_task":
		out := "task." + s.String("task")
		if u := s.String("assignee"); u != "" {
			out += " for user." + u
		}
		if s.Bool("wait_for_completion") {
			out += ", waits until done"
		}
		return out
	case "change_stage":
		return "to " + s.String("stage")
	case "create_opportunity":
		return "stage " + s.String("stage") + prefixed(", owner ", s.String("owner"))
	case "membership_access":
		return s.String("site") + ": " + s.String("status")
	case "custom_audience":
		if s.String("op") == "remove" {
			return "remove from " + s.String("audience")
		}
		return "add to " + s.String("audience")
	case "do_not_contact":
		op := s.String("op")
		if op == "" {
			op = "add"
		}
		return op + " " + s.String("channel")
	case "webhook":
		if w := s.String("webhook"); w != "" {
			return "webhook." + w
		}
		return join(s.String("method"), s.String("url"))
	case "apply_note":
		return exprText(s, "text")
	case "create_appointment":
		var t Timer
		_ = s.Decode("at", &t)
		return exprText(s, "title") + prefixed(", ", t.String())
	case "cancel_open_orders", "recharge_transactions":
		if p := s.String("product"); p != "" {
			return "product." + p
		}
		return "all products"
	}
	// Any other kind shows the first declaration it names: "sms.nudge",
	// "campaign.upsell", "list.welcome_kits".
	for _, key := range refSettings(el.Kind) {
		if v := s.String(key); v != "" {
			return key + "." + v
		}
	}
	return ""
}

// keyed is the event property a keyed element's entry is told by, as "
// key event.NAME".
func keyed(s Settings) string {
	if k := s.String("key"); k != "" {
		return " key event." + k
	}
	return ""
}

// where is a trigger's or goal's where condition, as " where ...".
func where(s Settings) string {
	if x := exprText(s, "where"); x != "" {
		return " where " + x
	}
	return ""
}

// exprText is an expression setting's source text.
func exprText(s Settings, key string) string {
	var x Expression
	_ = s.Decode(key, &x)
	return x.Text
}

// recipient renders a user or address setting: "to user.dana", "to
// ops@example.com", "to owner", or "" when it is not set.
func recipient(s Settings, key string) string {
	var r Recipient
	_ = s.Decode(key, &r)
	switch {
	case r.Owner:
		return "to owner"
	case r.User != "":
		return "to user." + r.User
	case r.Address != "":
		return "to " + r.Address
	}
	return ""
}

func prefixed(prefix, v string) string {
	if v == "" {
		return ""
	}
	return prefix + v
}

// join joins the non-empty parts with spaces.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" && p != ":" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}
