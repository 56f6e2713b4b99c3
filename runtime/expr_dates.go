package runtime

import (
	"fmt"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/journeyhq/journey/compiler/plan"
)

// Relative dates: today() and date_add(date, duration), in the zone the
// expression counts in (the account's, or update_contact's time_zone).

func today(string, function.Function, []evalFn) evalFn {
	return func(env *evalEnv) (cty.Value, error) {
		return cty.StringVal(env.now.In(env.loc).Format(dateLayout)), nil
	}
}

const dateLayout = "2006-01-02"

// dateAdd is date_add(date, duration): days and weeks are calendar days
// in the zone (the wall clock is kept across daylight-saving changes),
// hours and minutes elapsed time, as a timer's. A date plus whole days is
// a date; anything else is a date-time, written in RFC 3339 in the zone
// (a date read as its midnight). An unset or empty date gives an unset
// one: there is nothing to add to.
func dateAdd(name string, _ function.Function, args []evalFn) evalFn {
	return func(env *evalEnv) (cty.Value, error) {
		vals, err := evalAll(env, args)
		if err != nil {
			return cty.NilVal, err
		}
		if len(vals) != 2 {
			return cty.NilVal, fmt.Errorf("%s takes a date and a duration", name)
		}
		date, dur := vals[0], readUnset(vals[1])
		if date.IsNull() || date.Type() == cty.String && date.AsString() == "" {
			return cty.NullVal(cty.String), nil
		}
		if date.Type() != cty.String || dur.IsNull() || dur.Type() != cty.String {
			return cty.NilVal, fmt.Errorf("%s takes a date and a duration as text", name)
		}
		d, err := plan.ParseDuration(dur.AsString())
		if err != nil {
			return cty.NilVal, fmt.Errorf("%s: %q is %w (write \"14d\", \"-2d\", \"1w\" or \"2h\")", name, dur.AsString(), err)
		}
		text := date.AsString()
		if day, err := time.Parse(dateLayout, text); err == nil && d.Minutes == 0 {
			return cty.StringVal(day.AddDate(0, 0, d.Days).Format(dateLayout)), nil
		}
		t, err := parseDate(text, env.loc)
		if err != nil {
			return cty.NilVal, fmt.Errorf("%s: %w", name, err)
		}
		t = addDays(t, env.loc, d.Days).Add(time.Duration(d.Minutes) * time.Minute)
		return cty.StringVal(t.In(env.loc).Format(time.RFC3339)), nil
	}
}
