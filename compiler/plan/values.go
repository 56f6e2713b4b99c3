// Package plan holds the execution plan's types and nothing else: the
// compiler writes a Plan, the runtime reads one. Every value is normalized:
// durations in calendar days plus elapsed minutes, times of day as "HH:MM",
// time zones explicit, defaults filled in.
package plan

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Duration is a normalized delay. Days are calendar days in the timer's time
// zone (the wall clock is kept across daylight-saving changes); Minutes are
// elapsed time. Weeks are stored as 7 days and hours as 60 minutes, so these
// two fields are the only units a plan uses.
type Duration struct {
	Days    int `json:"days"`
	Minutes int `json:"minutes"`
}

// IsZero reports whether the duration is empty.
func (d Duration) IsZero() bool { return d.Days == 0 && d.Minutes == 0 }

// String renders the duration the way it is written: "1d10h", "30m", "0m".
func (d Duration) String() string {
	days, mins := d.Days, d.Minutes
	sign := ""
	if days < 0 || (days == 0 && mins < 0) {
		sign, days, mins = "-", -days, -mins
	}
	var b strings.Builder
	b.WriteString(sign)
	if days > 0 {
		fmt.Fprintf(&b, "%dd", days)
	}
	if h := mins / 60; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m := mins % 60; m > 0 || (days == 0 && mins == 0) {
		fmt.Fprintf(&b, "%dm", m)
	}
	return b.String()
}

// Zone is a timer's time zone, explicit in the plan.
type Zone struct {
	// Mode is "account" (Name is the account's zone), "contact" (the
	// contact's time_zone field; Name is the fallback) or "fixed".
	Mode string `json:"mode"`
	Name string `json:"name"`
}

// Window is a daily window; Close is exclusive.
type Window struct {
	Open  string `json:"open"`
	Close string `json:"close"`
}

// DateTime is an absolute date with a wall-clock time in the timer's zone.
type DateTime struct {
	Date string `json:"date"` // 2006-01-02
	Time string `json:"time"` // 15:04
}

// FieldDate is a date read from a contact field when the contact arrives.
type FieldDate struct {
	Field  string   `json:"field"`
	Offset Duration `json:"offset"`
	Annual bool     `json:"annual"`
	// At is the time of day on that date; "" keeps a datetime field's time.
	At string `json:"at,omitempty"`
}

// EventDate is a date read from a date or datetime property of the event
// the contact entered with (until_event), plus an offset, at a time of
// day ("" keeps a datetime property's time).
type EventDate struct {
	Property string   `json:"property"`
	Offset   Duration `json:"offset"`
	At       string   `json:"at,omitempty"`
}

// Timer is a wait's (or an appointment's) normalized timer. At most one of
// For, Until, UntilField and UntilEvent is set.
type Timer struct {
	For        *Duration  `json:"for,omitempty"`
	At         string     `json:"at,omitempty"`
	OnDays     []string   `json:"on_days,omitempty"`
	Between    *Window    `json:"between,omitempty"`
	Until      *DateTime  `json:"until,omitempty"`
	UntilField *FieldDate `json:"until_field,omitempty"`
	UntilEvent *EventDate `json:"until_event,omitempty"`
	TimeZone   Zone       `json:"time_zone"`
}

// Schedule is a sequence step's normalized schedule.
type Schedule struct {
	// Step sequences: whole days after the previous step (or the
	// subscription), then At, or Delay of elapsed time.
	DaysAfter int       `json:"days_after"`
	At        string    `json:"at,omitempty"`
	Delay     *Duration `json:"delay,omitempty"`
	OnDays    []string  `json:"on_days,omitempty"`
	// Date sequences: an absolute date, or a contact's date field.
	Date     *DateTime  `json:"date,omitempty"`
	OnField  *FieldDate `json:"on_field,omitempty"`
	TimeZone Zone       `json:"time_zone"`
}

// Weekdays are the day names a plan uses, Sunday first as in time.Weekday.
func Weekdays() []string { return []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} }

// FieldCtyType is the type a field of the given type has in expressions,
// at compile time and at run time alike: dates and date-times are strings.
func FieldCtyType(fieldType string) cty.Type {
	switch fieldType {
	case "number":
		return cty.Number
	case "bool":
		return cty.Bool
	case "list(string)":
		return cty.List(cty.String)
	}
	return cty.String
}
