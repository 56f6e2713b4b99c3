package runtime

import (
	"sort"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/compiler/plan"
)

// functionSamples are a call of each function of the plan's table, with
// arguments of its parameters' types.
func functionSamples() map[string][]cty.Value {
	str, num := cty.StringVal, cty.NumberFloatVal
	list := cty.ListVal([]cty.Value{str("a"), str("b")})
	return map[string][]cty.Value{
		"has_tag":    {str("vip")},
		"days_since": {str("2026-01-01")},
		"days_until": {str("2026-12-31")},
		"now":        {},
		"today":      {},
		"date_add":   {str("2026-06-01"), str("14d")},
		"abs":        {num(-2)},
		"ceil":       {num(1.5)},
		"floor":      {num(1.5)},
		"max":        {num(1), num(2)},
		"min":        {num(1), num(2)},
		"coalesce":   {str("a"), str("b")},
		"contains":   {list, str("a")},
		"length":     {str("abc")},
		"lower":      {str("ABC")},
		"upper":      {str("abc")},
		"trimspace":  {str(" a ")},
		"join":       {str(", "), list},
		"replace":    {str("abc"), str("b"), str("x")},
		"substr":     {str("hello"), num(1), num(3)},
		"format":     {str("%s-%d"), str("a"), num(1)},

		"in_segment":    {str("trial_users")},
		"has_purchased": {str("pro")},
	}
}

// TestRuntimeImplementsExactlyTheFunctionTable: the runtime calls exactly
// the functions of plan.Functions, the table the compiler type-checks
// against, and each returns a value of the type the table promises for
// the same arguments (the library's functions the very value). journey's
// own functions, whose table entries are signatures only, are exactly the
// ones the runtime implements itself; a name outside the table is refused.
func TestRuntimeImplementsExactlyTheFunctionTable(t *testing.T) {
	table := plan.Functions()
	samples := functionSamples()
	own := ownFunctions()
	env := &evalEnv{
		contact: &Contact{ID: 1, Tags: []string{"vip"}},
		fields:  map[string]plan.Field{},
		now:     time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC),
		loc:     time.UTC,
	}
	var names []string
	for name := range table {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := table[name]
		args, ok := samples[name]
		if !ok {
			t.Errorf("%s: no sample call in functionSamples: add one", name)
			continue
		}
		want, err := f.Call(args)
		if err != nil {
			t.Errorf("%s: the sample call does not fit the table's signature: %v", name, err)
			continue
		}
		signatureOnly := !want.IsKnown()
		if _, isOwn := own[name]; signatureOnly != isOwn {
			t.Errorf("%s: the table gives it a meaning: %v, the runtime its own: %v", name, !signatureOnly, isOwn)
		}
		fns := make([]evalFn, len(args))
		for i, a := range args {
			fns[i] = func(*evalEnv) (cty.Value, error) { return a, nil }
		}
		call, err := compileCall(name, fns)
		if err != nil {
			t.Errorf("%s: the runtime does not call it: %v", name, err)
			continue
		}
		got, err := call(env)
		switch {
		case err != nil:
			t.Errorf("%s%v: %v", name, args, err)
		case !got.Type().Equals(want.Type()):
			t.Errorf("%s%v is a %s at run time; the table says %s", name, args, got.Type().FriendlyName(), want.Type().FriendlyName())
		case !signatureOnly && !got.RawEquals(want):
			t.Errorf("%s%v is %#v at run time; the library gives %#v", name, args, got, want)
		}
	}
	for name := range samples {
		if _, ok := table[name]; !ok {
			t.Errorf("functionSamples has %s, which the table does not", name)
		}
	}
	for name := range unsetReadings() {
		if _, ok := table[name]; !ok {
			t.Errorf("the runtime reads the arguments of %s, which the table does not have", name)
		}
		if _, ok := own[name]; ok {
			t.Errorf("%s is journey's own and also read as a library function", name)
		}
	}
	for name := range own {
		if _, ok := table[name]; !ok {
			t.Errorf("the runtime implements %s, which the table does not have", name)
		}
	}
	if _, err := compileCall("file", nil); err == nil {
		t.Error("the runtime calls file(), which the table does not have")
	}
}
