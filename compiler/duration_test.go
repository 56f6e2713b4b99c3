package compiler

import (
	"strings"
	"testing"
)

func TestParseDurationAcceptsUpToTheLongest(t *testing.T) {
	for _, s := range []string{"36600d", "878400h", "52704000m", "5228w4d", "36599d23h59m", "-36600d"} {
		if _, err := ParseDuration(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
}

func TestParseDurationSaysATooLongDurationIsTooLong(t *testing.T) {
	for _, s := range []string{
		"1000000d", "36601d", "36600d1m", "878401h", "5229w", "-1000000d",
		// Numbers past the machine's integers: never read as negative.
		"99999999999999999999d", "2000000000000000000w", "9223372036854775807w9223372036854775807d",
	} {
		d, err := ParseDuration(s)
		if err == nil {
			t.Errorf("%q read as %+v, want an error", s, d)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "not a duration") || !strings.Contains(msg, "too long") || !strings.Contains(msg, `"36600d"`) {
			t.Errorf("%q: %q; want it to say the duration is too long and that the longest is \"36600d\"", s, msg)
		}
		if h, ok := err.(interface{ Hint() string }); !ok || h.Hint() == "" {
			t.Errorf("%q: the error has no hint", s)
		}
	}
}
