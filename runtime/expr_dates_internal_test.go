package runtime

import (
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// TestDateAddAsDocumented: docs/language.md's table of relative dates, row
// by row, in the account zone it names (New York), and the edges around it.
func TestDateAddAsDocumented(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	env := &evalEnv{contact: &Contact{ID: 1}, now: time.Date(2026, 6, 10, 17, 37, 0, 0, time.UTC), loc: ny}
	str := cty.StringVal
	for _, c := range []struct {
		date, dur cty.Value
		want      cty.Value
	}{
		{str("2026-06-10"), str("14d"), str("2026-06-24")},
		{str("2026-03-07T09:00"), str("1d"), str("2026-03-08T09:00:00-04:00")},
		{str("2026-03-07T09:00"), str("24h"), str("2026-03-08T10:00:00-04:00")},
		{str("2026-06-10"), str("2h"), str("2026-06-10T02:00:00-04:00")},
		// Back across months and a leap day, and a whole week.
		{str("2028-03-01"), str("-1d"), str("2028-02-29")},
		{str("2026-06-10"), str("1w"), str("2026-06-17")},
		// An instant with another offset counts in the zone.
		{str("2026-11-01T12:00:00Z"), str("1d"), str("2026-11-02T07:00:00-05:00")},
		// Nothing to add to: unset.
		{str(""), str("1d"), cty.NullVal(cty.String)},
		{cty.NullVal(cty.String), str("1d"), cty.NullVal(cty.String)},
	} {
		call, err := compileCall("date_add", []evalFn{
			func(*evalEnv) (cty.Value, error) { return c.date, nil },
			func(*evalEnv) (cty.Value, error) { return c.dur, nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := call(env)
		if err != nil || !got.RawEquals(c.want) {
			t.Errorf("date_add(%#v, %#v) = %#v, %v; want %#v", c.date, c.dur, got, err, c.want)
		}
	}
	for _, c := range [][2]string{{"2026-06-10", "two weeks"}, {"2026-06-10", "99999999d"}, {"soon", "1d"}} {
		call, _ := compileCall("date_add", []evalFn{
			func(*evalEnv) (cty.Value, error) { return str(c[0]), nil },
			func(*evalEnv) (cty.Value, error) { return str(c[1]), nil },
		})
		if got, err := call(env); err == nil {
			t.Errorf("date_add(%q, %q) = %#v; want an error", c[0], c[1], got)
		}
	}
	today, _ := compileCall("today", nil)
	if got, _ := today(env); !got.RawEquals(str("2026-06-10")) {
		t.Errorf("today() = %#v at 13:37 in New York, want 2026-06-10", got)
	}
	env.loc = time.FixedZone("UTC+14", 14*3600)
	if got, _ := today(env); !got.RawEquals(str("2026-06-11")) {
		t.Errorf("today() = %#v at 07:37 the next day fourteen hours east, want 2026-06-11", got)
	}
}
