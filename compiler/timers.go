package compiler

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// timer normalizes the timer attributes of a wait (or an appointment's at
// block): defaults filled in, zone explicit, and whether it can ever fire.
func (c *compiler) timer(b *lang.Block) *Timer {
	t := &Timer{Block: b}
	t.TimeZone = c.zone(b)
	for _, name := range kinds.TimerSettings() {
		t.Configured = t.Configured || b.Has(name)
	}
	c.exclusive(b, "for", "until", "until_field", "until_event")
	c.onlyWith(b, "until_field", "annual")
	c.onlyWithDate(b, "offset", "until_field", "until_event")
	if d, ok := durationAttr(b, "for"); ok {
		t.For = &d
	}
	t.At = timeAttr(b, "at")
	t.OnDays = c.weekdays(b, &t.EmptyWhy, &t.EmptyRange)
	t.Between = c.window(b, t.At, &t.EmptyWhy, &t.EmptyRange)
	if date, ok := c.dateTimeAttr(b, "until", t.At); ok {
		t.Until = date
	}
	t.UntilField = c.fieldDate(b, "until_field", t.At)
	return t
}

// deadline normalizes a decision's deadline when it is a date (until,
// until_field or until_event) into the timer the runtime counts it by, as
// a wait with the same attributes would be; nil when it is a duration
// (within), which the plan holds as it did before decisions took dates.
// lang has checked that exactly one of within, until, until_field and
// until_event is set. until_event's date is filled in once the event's
// property is known (events.go).
func (c *compiler) deadline(b *lang.Block) *Timer {
	c.onlyWithDeadlineDate(b, "at", "time_zone")
	c.onlyWith(b, "until_field", "annual")
	c.onlyWithDate(b, "offset", "until_field", "until_event")
	if !b.Has("until") && !b.Has("until_field") && !b.Has("until_event") {
		return nil
	}
	t := &Timer{Block: b, Configured: true}
	t.TimeZone = c.zone(b)
	t.At = timeAttr(b, "at")
	if date, ok := c.dateTimeAttr(b, "until", t.At); ok {
		t.Until = date
	}
	t.UntilField = c.fieldDate(b, "until_field", t.At)
	return t
}

// onlyWithDeadlineDate reports attributes that place a deadline's date on
// a decision whose deadline is a duration.
func (c *compiler) onlyWithDeadlineDate(b *lang.Block, names ...string) {
	if b.Has("until") || b.Has("until_field") || b.Has("until_event") {
		return
	}
	for _, n := range names {
		if a := b.Attr(n); a != nil {
			c.add(lang.Errorf(lang.RuleSchema, a.NameRange,
				fmt.Sprintf("%s only goes with until, until_field or until_event: it places the deadline's date, and within counts from the contact's arrival", n),
				fmt.Sprintf("give the deadline as a date (until, until_field or until_event), or remove %s", n)))
		}
	}
}

// onlyWithDate reports an attribute (offset) that moves a date read from
// a field or an event, on a block that reads none.
func (c *compiler) onlyWithDate(b *lang.Block, name string, bases ...string) {
	a := b.Attr(name)
	if a == nil {
		return
	}
	for _, base := range bases {
		if b.Has(base) {
			return
		}
	}
	c.add(lang.Errorf(lang.RuleSchema, a.NameRange, fmt.Sprintf("%s only goes with %s", name, words.JoinOr(bases)),
		fmt.Sprintf("set %s, or remove %s", words.JoinOr(bases), name)))
}

// schedule normalizes a sequence step's schedule block (nil: the step has
// none, and fires at the default send time on its day).
func (c *compiler) schedule(seq *Sequence, st *Step, sb *lang.Block) *plan.Schedule {
	s := &plan.Schedule{}
	if sb == nil {
		s.TimeZone = c.zone(nil)
		s.At = c.prog.Account.DefaultSendTime
		st.Configured = true
		if seq.Kind == "date" {
			c.add(lang.Errorf(lang.RuleSchema, st.Block.DefRange,
				fmt.Sprintf("step %q of date sequence %q has no schedule: a date step fires on a date", st.Name, seq.Name),
				"add schedule { date = \"2026-12-24\" } or schedule { on_field = field.NAME }"))
		}
		return s
	}
	s.TimeZone = c.zone(sb)
	for _, name := range kinds.ScheduleSettings() {
		st.Configured = st.Configured || sb.Has(name)
	}
	s.OnDays = c.weekdays(sb, &st.EmptyWhy, &st.EmptyRange)
	at := timeAttr(sb, "at")
	if seq.Kind == "date" {
		c.notIn(sb, "a date sequence's steps fire on dates", "days_after", "delay")
		c.exclusive(sb, "date", "on_field")
		c.onlyWith(sb, "on_field", "offset", "annual")
		if st.Configured && !sb.Has("date") && !sb.Has("on_field") {
			c.add(lang.Errorf(lang.RuleSchema, sb.DefRange,
				fmt.Sprintf("the schedule of step %q sets no date", st.Name),
				"set date = \"2026-12-24\" or on_field = field.NAME"))
		}
		if d, ok := c.dateTimeAttr(sb, "date", at); ok {
			s.Date = d
		}
		s.OnField = c.fieldDate(sb, "on_field", at)
		return s
	}
	c.notIn(sb, "they belong to date sequences (kind = \"date\")", "date", "on_field", "offset", "annual")
	c.exclusive(sb, "at", "delay")
	if n, ok := sb.Number("days_after"); ok {
		if n < 0 || n != float64(int(n)) {
			c.add(lang.Errorf(lang.RuleInvalidValue, sb.Attr("days_after").ValueRange,
				fmt.Sprintf("days_after = %v is not a whole number of days", n), "write 0, 1, 2, ..."))
		} else {
			s.DaysAfter = int(n)
		}
	}
	if d, ok := durationAttr(sb, "delay"); ok {
		s.Delay = &d
	}
	s.At = at
	if s.At == "" && s.Delay == nil {
		s.At = c.prog.Account.DefaultSendTime
	}
	return s
}

// zone is the explicit zone of a timer block (nil: the account's).
func (c *compiler) zone(b *lang.Block) plan.Zone {
	acct := c.prog.Account.TimeZone
	s, _ := b.String("time_zone")
	switch s {
	case "", "account":
		return plan.Zone{Mode: "account", Name: acct}
	case "contact":
		return plan.Zone{Mode: "contact", Name: acct}
	}
	if _, err := LoadZone(s); err != nil {
		return plan.Zone{Mode: "account", Name: acct}
	}
	return plan.Zone{Mode: "fixed", Name: s}
}

func (c *compiler) weekdays(b *lang.Block, emptyWhy *string, emptyRange *hcl.Range) []string {
	days, empty := onDays(b)
	if empty {
		*emptyWhy, *emptyRange = "on_days is empty: no day is allowed", b.Attr("on_days").Range()
	}
	return days
}

// onDays returns the allowed weekdays of a block's on_days, sorted, and
// whether the list is empty (nil days: on_days is not set).
func onDays(b *lang.Block) (days []string, empty bool) {
	a := b.Attr("on_days")
	if a == nil {
		return nil, false
	}
	switch v := a.Value.(type) {
	case *lang.Keyword:
		days, _ := weekdayKeyword(v.Name)
		return days, false
	case *lang.List:
		for _, it := range v.Items {
			if lit, ok := it.(*lang.Literal); ok {
				if d, err := parseWeekday(lit.Val.AsString()); err == nil {
					days = append(days, d)
				}
			}
		}
		return sortWeekdays(days), len(v.Items) == 0
	}
	return nil, false
}

func (c *compiler) window(b *lang.Block, at string, emptyWhy *string, emptyRange *hcl.Range) *plan.Window {
	a := b.Attr("between")
	lits := b.Strings("between")
	if a == nil || len(lits) != 2 {
		return nil
	}
	open, om, err1 := ParseTimeOfDay(lits[0].Val.AsString())
	closing, cm, err2 := ParseTimeOfDay(lits[1].Val.AsString())
	if err1 != nil || err2 != nil {
		return nil
	}
	w := &plan.Window{Open: open, Close: closing}
	if om >= cm {
		*emptyWhy, *emptyRange = fmt.Sprintf("between opens at %s but closes at %s: the window is empty (windows cannot span midnight)", open, closing), a.Range()
		return w
	}
	if at != "" {
		_, am, _ := ParseTimeOfDay(at)
		if am < om || am >= cm {
			*emptyWhy, *emptyRange = fmt.Sprintf("at %s is outside the window %s-%s", at, open, closing), b.Attr("at").Range()
		}
	}
	return w
}

func (c *compiler) dateTimeAttr(b *lang.Block, name, at string) (*plan.DateTime, bool) {
	s, ok := b.String(name)
	if !ok {
		return nil, false
	}
	t, hasTime, err := ParseDateTime(s)
	if err != nil {
		return nil, false
	}
	d := &plan.DateTime{Date: t.Format("2006-01-02"), Time: t.Format("15:04")}
	switch {
	case hasTime && at != "":
		c.add(lang.Errorf(lang.RuleSchema, b.Attr("at").NameRange,
			fmt.Sprintf("%s already has a time of day; at would contradict it", name),
			fmt.Sprintf("remove at, or give %s as a date alone", name)))
	case !hasTime && at != "":
		d.Time = at
	case !hasTime:
		d.Time = c.prog.Account.DefaultSendTime
	}
	return d, true
}

func (c *compiler) fieldDate(b *lang.Block, name, at string) *plan.FieldDate {
	target := c.prog.Target(b, name)
	if target == nil {
		return nil
	}
	f := c.prog.Fields[target.Name]
	if f == nil {
		return nil
	}
	if f.Type != "date" && f.Type != "datetime" {
		c.add(lang.Errorf(lang.RuleType, b.Attr(name).ValueRange,
			fmt.Sprintf("%s must be a date or datetime field; %s is a %s field", name, f.Name, f.Type),
			fmt.Sprintf("declare it with type = date, or use another field")))
		return nil
	}
	fd := &plan.FieldDate{Field: f.Name, Annual: b.Bool("annual"), At: at}
	fd.Offset, _ = durationAttr(b, "offset")
	if fd.At == "" && f.Type == "date" {
		fd.At = c.prog.Account.DefaultSendTime
	}
	return fd
}

// exclusive reports a block that sets more than one of names.
func (c *compiler) exclusive(b *lang.Block, names ...string) {
	var set []string
	for _, n := range names {
		if b.Has(n) {
			set = append(set, n)
		}
	}
	if len(set) > 1 {
		c.add(lang.Errorf(lang.RuleSchema, b.Attr(set[1]).NameRange,
			fmt.Sprintf("%s and %s exclude each other", set[0], set[1]),
			fmt.Sprintf("keep only one of %s", words.JoinOr(names))))
	}
}

// onlyWith reports attributes that mean something only beside another.
func (c *compiler) onlyWith(b *lang.Block, base string, names ...string) {
	if b.Has(base) {
		return
	}
	for _, n := range names {
		if a := b.Attr(n); a != nil {
			c.add(lang.Errorf(lang.RuleSchema, a.NameRange, fmt.Sprintf("%s only goes with %s", n, base),
				fmt.Sprintf("set %s, or remove %s", base, n)))
		}
	}
}

// notIn reports attributes that do not belong in this kind of schedule.
func (c *compiler) notIn(b *lang.Block, why string, names ...string) {
	for _, n := range names {
		if a := b.Attr(n); a != nil {
			c.add(lang.Errorf(lang.RuleSchema, a.NameRange, fmt.Sprintf("%s does not belong here: %s", n, why), fmt.Sprintf("remove %s", n)))
		}
	}
}

func durationAttr(b *lang.Block, name string) (plan.Duration, bool) {
	s, ok := b.String(name)
	if !ok {
		return plan.Duration{}, false
	}
	d, err := ParseDuration(s)
	return d, err == nil
}

func timeAttr(b *lang.Block, name string) string {
	s, ok := b.String(name)
	if !ok {
		return ""
	}
	t, _, err := ParseTimeOfDay(s)
	if err != nil {
		return ""
	}
	return t
}
