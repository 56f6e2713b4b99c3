package plan

import (
	"errors"
	"strconv"
	"strings"
)

// A duration's text is the language's ("30m", "4h", "2d", "1w", "1d10h",
// "-2d"). The compiler reads the durations of attributes with it, and the
// runtime the durations date_add is given, which may come from a field:
// one reader, so that both accept exactly the same texts.

// MaxDuration is the longest duration journey accepts either way, as
// written: a century is surely a typo.
const MaxDuration = "36600d"

const maxDurationMinutes = 36600 * 24 * 60

var (
	// ErrNotADuration: the text is not written as a duration.
	ErrNotADuration = errors.New("not a duration")
	// ErrDurationTooLong: the duration is longer than MaxDuration.
	ErrDurationTooLong = errors.New("longer than " + MaxDuration)
)

// ParseDuration reads a duration: weeks, days, hours and minutes, in that
// order and each at most once, after an optional "-", up to MaxDuration
// either way.
func ParseDuration(s string) (Duration, error) {
	neg, parts, ok := DurationParts(s)
	if !ok || s == "" || s == "-" {
		return Duration{}, ErrNotADuration
	}
	// Each part is read capped just past the longest duration, so that no
	// sum or product below can overflow (and wrap around to a negative
	// duration that would pass the check).
	part := func(i int) int64 {
		if parts[i] == "" {
			return 0
		}
		v, err := strconv.ParseInt(parts[i], 10, 64)
		if err != nil || v > maxDurationMinutes {
			return maxDurationMinutes + 1
		}
		return v
	}
	days, minutes := part(0)*7+part(1), part(2)*60+part(3)
	if days*24*60+minutes > maxDurationMinutes {
		return Duration{}, ErrDurationTooLong
	}
	d := Duration{Days: int(days), Minutes: int(minutes)}
	if neg {
		d.Days, d.Minutes = -d.Days, -d.Minutes
	}
	return d, nil
}

// DurationParts splits a duration into the digits of its weeks, days,
// hours and minutes, in that order, each at most once, after an optional
// "-": the language of ^(-)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$,
// read without a regular expression because every wait has one.
func DurationParts(s string) (neg bool, parts [4]string, ok bool) {
	const units = "wdhm"
	rest, next := s, 0
	if strings.HasPrefix(rest, "-") {
		neg, rest = true, rest[1:]
	}
	for rest != "" {
		digits := 0
		for digits < len(rest) && '0' <= rest[digits] && rest[digits] <= '9' {
			digits++
		}
		if digits == 0 || digits == len(rest) {
			return false, parts, false
		}
		u := strings.IndexByte(units[next:], rest[digits])
		if u < 0 {
			return false, parts, false
		}
		next += u
		parts[next] = rest[:digits]
		next++
		rest = rest[digits+1:]
	}
	return neg, parts, true
}
