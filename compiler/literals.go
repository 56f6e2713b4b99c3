package compiler

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	// Zones are resolved from the tz database built into the binary, so that
	// validation and timers agree on every machine.
	_ "time/tzdata"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
)

// Literal parse errors carry a hint for the finding.
type literalError struct {
	msg, hint string
}

func (e *literalError) Error() string { return e.msg }

// Hint says what to do about the error, for a finding's hint or a flag's
// message.
func (e *literalError) Hint() string { return e.hint }

func bad(hint, format string, args ...any) error {
	return &literalError{msg: fmt.Sprintf(format, args...), hint: hint}
}

const durationHint = `write a duration as "30m", "4h", "2d", "1w" or "1d10h"`

// ParseDuration parses "30m", "4h", "2d", "1w", "1d10h" and, with a leading
// "-", negative offsets, up to plan.MaxDuration either way, with a hint
// when it cannot.
func ParseDuration(s string) (plan.Duration, error) {
	d, err := plan.ParseDuration(s)
	switch {
	case errors.Is(err, plan.ErrDurationTooLong):
		return plan.Duration{}, bad(`a longer duration is taken for a typo: shorten it`,
			"%q is too long: journey accepts at most %q (about 100 years)", s, plan.MaxDuration)
	case err != nil:
		hint := durationHint
		if strings.HasSuffix(s, "s") && !strings.Contains(s, " ") {
			hint = "journey counts to the minute: " + durationHint
		}
		return plan.Duration{}, bad(hint, "%q is not a duration", s)
	}
	return d, nil
}

// ParseTimeOfDay parses "07:00" and returns it normalized with its minutes
// since midnight.
func ParseTimeOfDay(s string) (string, int, error) {
	h, mi, ok := clockParts(s)
	if !ok {
		return "", 0, bad(`write a time of day as "HH:MM" on a 24-hour clock, e.g. "07:00" or "17:30"`, "%q is not a time of day", s)
	}
	if h > 23 || mi > 59 {
		return "", 0, bad(`hours run from 00 to 23 and minutes from 00 to 59, e.g. "07:00"`, "%q is not a time of day", s)
	}
	if len(s) == 5 {
		return s, h*60 + mi, nil // already two digits each
	}
	return fmt.Sprintf("%02d:%02d", h, mi), h*60 + mi, nil
}

// clockParts reads one or two digits, ":" and two digits.
func clockParts(s string) (hours, minutes int, ok bool) {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon > 2 || len(s) != colon+3 {
		return 0, 0, false
	}
	for i := range len(s) {
		if i != colon && (s[i] < '0' || s[i] > '9') {
			return 0, 0, false
		}
	}
	for _, c := range s[:colon] {
		hours = hours*10 + int(c-'0')
	}
	return hours, int(s[colon+1]-'0')*10 + int(s[colon+2]-'0'), true
}

// ParseDateTime parses "2006-01-02", "2006-01-02T15:04" or
// "2006-01-02T15:04:05"; hasTime says whether a time was given.
func ParseDateTime(s string) (date time.Time, hasTime bool, err error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Second() != 0 {
				return time.Time{}, false, bad("journey counts to the minute: leave the seconds at :00", "%q has seconds", s)
			}
			return t, true, nil
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, bad(`write a date as "2026-07-04" or a date-time as "2026-07-04T09:00:00" (in the timer's time zone)`, "%q is not a date", s)
}

// LoadZone resolves an IANA zone name, suggesting the closest on a typo.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, bad(`name an IANA zone such as "America/New_York"`, "%q is not an IANA time zone", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		hint := `name an IANA zone such as "America/New_York" or "Europe/Berlin"`
		if s := suggest.Closest(name, zoneNames()); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		return nil, bad(hint, "%q is not an IANA time zone", name)
	}
	return loc, nil
}

// ParseEmail checks an e-mail address and returns its bare address.
func ParseEmail(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, ".") {
		return "", bad(`write an address such as "team@example.com" (or "Team <team@example.com>")`, "%q is not an e-mail address", s)
	}
	return strings.ToLower(a.Address), nil
}

// ParseURL checks an absolute http or https URL.
func ParseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad(`write an absolute URL such as "https://example.com/hook"`, "%q is not an http(s) URL", s)
	}
	if u.User != nil {
		// A plan is reviewed in pull requests and kept in the server's
		// database: a password in it is a leaked password.
		return bad("remove the user and password from the URL: send credentials in a header read from the server's configuration, never in the plan",
			"%q carries credentials (user:password@)", redactURL(u))
	}
	return nil
}

// redactURL shows a URL with its password hidden.
func redactURL(u *url.URL) string { return u.Redacted() }

// Weekday sets named in on_days.
func weekdayKeyword(name string) ([]string, bool) {
	switch name {
	case "weekdays":
		return []string{"mon", "tue", "wed", "thu", "fri"}, true
	case "weekends":
		return []string{"sat", "sun"}, true
	}
	return nil, false
}

// parseWeekday accepts "mon" or "monday" in any case.
func parseWeekday(s string) (string, error) {
	l := strings.ToLower(s)
	for _, d := range plan.Weekdays() {
		full := strings.ToLower(time.Weekday(indexOf(plan.Weekdays(), d)).String())
		if l == d || l == full {
			return d, nil
		}
	}
	hint := `write days as "mon", "tue", "wed", "thu", "fri", "sat", "sun", or use weekdays / weekends`
	if sug := suggest.Closest(l, plan.Weekdays()); sug != "" {
		hint = fmt.Sprintf("did you mean %q?", sug)
	}
	return "", bad(hint, "%q is not a weekday", s)
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// sortWeekdays orders days Sunday first and drops repeats.
func sortWeekdays(days []string) []string {
	seen := map[string]bool{}
	for _, d := range days {
		seen[d] = true
	}
	out := []string{}
	for _, d := range plan.Weekdays() {
		if seen[d] {
			out = append(out, d)
		}
	}
	return out
}
