package compiler

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

// The hand-written readers of durations and times of day must accept
// exactly what these patterns accept, and read the same parts.
var (
	durationPattern = regexp.MustCompile(`^(-)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$`)
	clockPattern    = regexp.MustCompile(`^(\d{1,2}):(\d{2})$`)
)

var literalSamples = []string{
	"", "-", "--1d", "30m", "4h", "2d", "1w", "1d10h", "1w2d3h4m", "-1d", "-30m",
	"1h1d", "1d1d", "1m1h", "d", "1", "1x", "10 m", " 1d", "1d ", "1D", "١d",
	"99999999999999999999999d", "0m", "00h", "1w-2d", "5s", "1.5h",
	"07:00", "7:00", "23:59", "24:00", "07:60", "007:00", "07:0", "07:000", ":00",
	"0:00", "7:5", "ab:cd", "07-00", "07:00 ", "٠٧:٠٠", "12:34:56",
}

func TestLiteralReadersMatchThePatterns(t *testing.T) {
	for _, s := range literalSamples {
		agreeWithPatterns(t, s)
	}
}

func FuzzLiteralReaders(f *testing.F) {
	for _, s := range literalSamples {
		f.Add(s)
	}
	f.Fuzz(agreeWithPatterns)
}

func agreeWithPatterns(t *testing.T, s string) {
	neg, parts, ok := plan.DurationParts(s)
	if m := durationPattern.FindStringSubmatch(s); ok != (m != nil) || ok && (neg != (m[1] == "-") || parts != [4]string{m[2], m[3], m[4], m[5]}) {
		t.Errorf("%q: plan.DurationParts read %v %v %q, the pattern %q", s, ok, neg, parts, m)
	}
	h, mi, ok := clockParts(s)
	c := clockPattern.FindStringSubmatch(s)
	if ok != (c != nil) {
		t.Errorf("%q: clockParts ok %v, the pattern %q", s, ok, c)
		return
	}
	if ok {
		wantH, _ := strconv.Atoi(c[1])
		wantM, _ := strconv.Atoi(c[2])
		if h != wantH || mi != wantM {
			t.Errorf("%q: clockParts read %d:%d, the pattern %d:%d", s, h, mi, wantH, wantM)
		}
	}
}

func TestParseTimeOfDayNormalizes(t *testing.T) {
	for in, want := range map[string]string{"7:05": "07:05", "07:05": "07:05", "23:59": "23:59"} {
		got, _, err := ParseTimeOfDay(in)
		if err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"24:00", "07:60", "7", ""} {
		if _, _, err := ParseTimeOfDay(in); err == nil {
			t.Errorf("ParseTimeOfDay(%q) accepted it", in)
		}
	}
}
