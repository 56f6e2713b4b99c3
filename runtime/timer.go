package runtime

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Timing semantics (RUNTIME.md): days are calendar days in the timer's zone,
// hours and minutes elapsed time; a wall-clock time that does not exist
// moves forward by the gap, one that exists twice takes the earlier instant;
// times of day compare to the minute.

// wall returns the instant of a wall-clock time in loc, resolving
// daylight-saving gaps and overlaps as RUNTIME.md says.
func wall(loc *time.Location, y int, m time.Month, d, hh, mm, ss int) time.Time {
	naive := time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	// The zone's offsets a day either side bound every candidate.
	var best time.Time
	found := false
	for _, probe := range []time.Time{naive.Add(-26 * time.Hour), naive.Add(26 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		cand := naive.Add(-time.Duration(off) * time.Second)
		l := cand.In(loc)
		if l.Year() == y && l.Month() == m && l.Day() == d && l.Hour() == hh && l.Minute() == mm {
			if !found || cand.Before(best) {
				best, found = cand, true
			}
		}
	}
	if found {
		return best
	}
	// In a gap (spring forward): take the offset in force before it, which
	// lands the same distance after the gap.
	_, off := naive.Add(-26 * time.Hour).In(loc).Zone()
	return naive.Add(-time.Duration(off) * time.Second)
}

// addDays moves t by whole calendar days in loc, keeping the wall clock.
func addDays(t time.Time, loc *time.Location, days int) time.Time {
	l := t.In(loc)
	return wall(loc, l.Year(), l.Month(), l.Day()+days, l.Hour(), l.Minute(), l.Second()).In(loc)
}

// clock is a time of day in minutes.
type clock int

func parseClock(s string) clock {
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		return 0
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	return clock(hh*60 + mm)
}

// on returns the instant of this time of day on t's day in loc.
func (c clock) on(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return wall(loc, l.Year(), l.Month(), l.Day(), int(c)/60, int(c)%60, 0).In(loc)
}

// next returns the first instant at this time of day at or after t, the
// same minute counting as not yet passed.
func (c clock) next(t time.Time, loc *time.Location) time.Time {
	cand := c.on(t, loc)
	if cand.Before(t.Truncate(time.Minute)) {
		cand = c.on(addDays(t, loc, 1), loc)
	}
	return cand
}

func minuteOfDay(t time.Time, loc *time.Location) clock {
	l := t.In(loc)
	return clock(l.Hour()*60 + l.Minute())
}

// zoneOf returns the location a timer counts in for a contact: its own
// zone, the contact's time_zone field (falling back to the account's when
// empty or unknown), or a fixed zone.
func (p *Program) zoneOf(z plan.Zone, c *Contact) *time.Location {
	if z.Mode == "contact" && c != nil {
		if name := c.StringField("time_zone"); name != "" {
			if loc, err := p.location(name); err == nil {
				return loc
			}
		}
	}
	if loc, err := p.location(z.Name); err == nil {
		return loc
	}
	return p.accountLoc
}

// namedZone is the location of a zone as an attribute names it:
// "account" (or nothing), "contact" (the contact's own, falling back to the
// account's), or an IANA name.
func (p *Program) namedZone(name string, c *Contact) *time.Location {
	switch name {
	case "", "account":
		return p.accountLoc
	case "contact":
		return p.zoneOf(plan.Zone{Mode: "contact", Name: p.accountLoc.String()}, c)
	}
	return p.zoneOf(plan.Zone{Mode: "fixed", Name: name}, c)
}

// TimerDue returns when a timer fires for a contact that reaches it at
// arrival; false when it never fires (an empty window, or an unconfigured
// timer: one with none of its settings, which validate refuses, holds the
// contact forever rather than letting it through at once).
func (p *Program) TimerDue(t *plan.Timer, arrival time.Time, c *Contact) (time.Time, bool) {
	return p.timerDue(t, arrival, c, nil)
}

// timerDue is TimerDue with the properties of the event the contact
// entered with, which until_event reads.
func (p *Program) timerDue(t *plan.Timer, arrival time.Time, c *Contact, props map[string]any) (time.Time, bool) {
	if !Configured(t) {
		return time.Time{}, false
	}
	loc := p.zoneOf(t.TimeZone, c)
	due := arrival.In(loc)
	switch {
	case t.For != nil:
		due = addDays(due, loc, t.For.Days).Add(time.Duration(t.For.Minutes) * time.Minute)
		if t.At != "" {
			if t.For.Minutes == 0 {
				due = parseClock(t.At).on(due, loc)
			} else {
				due = parseClock(t.At).next(due, loc)
			}
		}
	case t.Until != nil:
		if d, err := dateAt(t.Until.Date, t.Until.Time, loc); err == nil {
			due = d
		}
	case t.UntilField != nil:
		d, ok := p.fieldDate(t.UntilField, arrival, c, loc)
		if !ok {
			return arrival, true // an empty field does not hold the contact
		}
		due = d
	case t.UntilEvent != nil:
		d, ok := eventDate(t.UntilEvent, props, loc)
		if !ok {
			return arrival, true // as an empty field, an absent date does not hold the contact
		}
		due = d
	case t.At != "":
		due = parseClock(t.At).next(due, loc)
	}
	due, ok := adjust(due, t.OnDays, t.Between, t.At, loc)
	if !ok {
		return time.Time{}, false
	}
	if due.Before(arrival) {
		due = arrival // a time already past fires at once
	}
	return due, true
}

// Configured reports whether a timer has any of the settings that make it
// fire (for, until, until_field, until_event, at, between, on_days).
func Configured(t *plan.Timer) bool {
	return t != nil && (t.For != nil || t.Until != nil || t.UntilField != nil || t.UntilEvent != nil || t.At != "" || t.Between != nil || t.OnDays != nil)
}

// eventDate reads a date or datetime property of the event (plus offset,
// at the time given); false when the event carries no date there.
func eventDate(e *plan.EventDate, props map[string]any, loc *time.Location) (time.Time, bool) {
	raw, _ := props[e.Property].(string)
	if strings.TrimSpace(raw) == "" {
		return time.Time{}, false
	}
	base, err := parseDate(strings.TrimSpace(raw), loc)
	if err != nil {
		return time.Time{}, false
	}
	d := addDays(base, loc, e.Offset.Days).Add(time.Duration(e.Offset.Minutes) * time.Minute)
	if e.At != "" {
		d = parseClock(e.At).on(d, loc)
	}
	return d, true
}

// fieldDate reads a date field (plus offset, at the time given, the next
// yearly occurrence when annual).
func (p *Program) fieldDate(f *plan.FieldDate, arrival time.Time, c *Contact, loc *time.Location) (time.Time, bool) {
	raw := ""
	if c != nil {
		raw = c.StringField(f.Field)
	}
	if raw == "" {
		return time.Time{}, false
	}
	base, err := parseDate(raw, loc)
	if err != nil {
		return time.Time{}, false
	}
	at := func(day time.Time) time.Time {
		d := addDays(day, loc, f.Offset.Days).Add(time.Duration(f.Offset.Minutes) * time.Minute)
		if f.At != "" {
			d = parseClock(f.At).on(d, loc)
		}
		return d
	}
	if !f.Annual {
		return at(base), true
	}
	for year := arrival.In(loc).Year() - 1; year <= arrival.In(loc).Year()+1; year++ {
		if d := at(anniversary(base, year, loc)); !d.Before(arrival.Truncate(time.Minute)) {
			return d, true
		}
	}
	return at(anniversary(base, arrival.In(loc).Year()+2, loc)), true
}

// anniversary is the date's day in another year; 29 February becomes
// 28 February in common years.
func anniversary(d time.Time, year int, loc *time.Location) time.Time {
	d = d.In(loc) // the date as the contact's calendar shows it, not UTC's
	day := d.Day()
	if d.Month() == time.February && day == 29 && !isLeap(year) {
		day = 28
	}
	return wall(loc, year, d.Month(), day, d.Hour(), d.Minute(), d.Second())
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// adjust moves a due time into the allowed days and the window: to the next
// allowed day (at its at time, or the window's opening, or the same time of
// day) and to the window's next opening.
func adjust(due time.Time, onDays []string, between *plan.Window, at string, loc *time.Location) (time.Time, bool) {
	if len(onDays) == 0 && between == nil {
		return due, true
	}
	allowed := map[time.Weekday]bool{}
	for _, d := range onDays {
		for i, name := range plan.Weekdays() {
			if name == d {
				allowed[time.Weekday(i)] = true
			}
		}
	}
	if onDays != nil && len(allowed) == 0 {
		return time.Time{}, false
	}
	var open, closing clock
	if between != nil {
		open, closing = parseClock(between.Open), parseClock(between.Close)
		if open >= closing {
			return time.Time{}, false
		}
	}
	nextDay := func(t time.Time) time.Time {
		l := addDays(t, loc, 1)
		switch {
		case at != "":
			return parseClock(at).on(l, loc)
		case between != nil:
			return open.on(l, loc)
		}
		return l
	}
	for i := 0; i < 16; i++ {
		if len(allowed) > 0 && !allowed[due.In(loc).Weekday()] {
			due = nextDay(due)
			continue
		}
		if between != nil {
			m := minuteOfDay(due, loc)
			if m < open {
				due = open.on(due, loc)
				continue
			}
			if m >= closing {
				due = open.on(addDays(due, loc, 1), loc)
				continue
			}
		}
		return due, true
	}
	return time.Time{}, false
}

// ScheduleDue returns when a step sequence's step fires after the previous
// step fired (or the contact subscribed) at prev.
func (p *Program) ScheduleDue(s *plan.Schedule, prev time.Time, c *Contact) (time.Time, bool) {
	loc := p.zoneOf(s.TimeZone, c)
	var due time.Time
	if s.Delay != nil && s.At == "" {
		due = addDays(prev, loc, s.DaysAfter+s.Delay.Days).Add(time.Duration(s.Delay.Minutes) * time.Minute)
	} else {
		at := parseClock(s.At)
		due = at.on(addDays(prev, loc, s.DaysAfter), loc)
		if s.DaysAfter == 0 && due.Before(prev.Truncate(time.Minute)) {
			due = at.on(addDays(prev, loc, 1), loc)
		}
	}
	due, ok := adjust(due, s.OnDays, nil, s.At, loc)
	if !ok {
		return time.Time{}, false
	}
	if due.Before(prev) {
		due = prev
	}
	return due, true
}

// DateStepDue returns when a date sequence's step fires for a contact that
// is subscribed at now; false when its date has passed (or the contact has
// no such date).
func (p *Program) DateStepDue(s *plan.Schedule, now time.Time, c *Contact) (time.Time, bool) {
	loc := p.zoneOf(s.TimeZone, c)
	var due time.Time
	switch {
	case s.Date != nil:
		d, err := dateAt(s.Date.Date, s.Date.Time, loc)
		if err != nil {
			return time.Time{}, false
		}
		due = d
	case s.OnField != nil:
		d, ok := p.fieldDate(s.OnField, now, c, loc)
		if !ok {
			return time.Time{}, false
		}
		due = d
	default:
		return time.Time{}, false
	}
	due, ok := adjust(due, s.OnDays, nil, "", loc)
	if !ok || due.Before(now.Truncate(time.Minute)) {
		return time.Time{}, false
	}
	return due, true
}

// dateAt is a date and a time of day in loc.
func dateAt(date, at string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return time.Time{}, err
	}
	c := parseClock(at)
	return wall(loc, d.Year(), d.Month(), d.Day(), int(c)/60, int(c)%60, 0), nil
}

// parseDate reads a date or date-time field value in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	// Every form a contact's date field may hold (isDateValue).
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return wall(loc, t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}
