package plan

import (
	"errors"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/journeyhq/journey/internal/words"
)

// Functions are the functions a plan's expressions may call, by name. The
// compiler type-checks calls against these very signatures and the runtime
// implements exactly these names, converting arguments to the same
// parameter types, so that what validates is what runs. journey's own
// functions (has_tag, in_segment, has_purchased, days_since, days_until,
// now...) read the contact and the clock: here they are signatures whose
// result is an unknown value of their type; the runtime gives them their
// meaning. A parameter named after a kind of asset (has_tag's "tag") takes
// a reference to one, tag.NAME, which the compiler holds it to. date_add
// also refuses, when the compiler checks it, a literal duration or date it
// cannot read.
func Functions() map[string]function.Function {
	stub := func(params []function.Parameter, ret cty.Type) function.Function {
		return function.New(&function.Spec{
			Params: params,
			Type:   function.StaticReturnType(ret),
			Impl:   func([]cty.Value, cty.Type) (cty.Value, error) { return cty.UnknownVal(ret), nil },
		})
	}
	text := func(name string) []function.Parameter { return []function.Parameter{{Name: name, Type: cty.String}} }
	return map[string]function.Function{
		"has_tag":    stub(text("tag"), cty.Bool),
		"days_since": stub(text("date"), cty.Number),
		"days_until": stub(text("date"), cty.Number),
		"now":        stub(nil, cty.String),
		"today":      stub(nil, cty.String),
		"date_add":   dateAddFunc,
		"abs":        stdlib.AbsoluteFunc,
		"ceil":       stdlib.CeilFunc,
		"floor":      stdlib.FloorFunc,
		"max":        stdlib.MaxFunc,
		"min":        stdlib.MinFunc,
		"coalesce":   stdlib.CoalesceFunc,
		"contains":   stdlib.ContainsFunc,
		"length":     lengthFunc,
		"lower":      stdlib.LowerFunc,
		"upper":      stdlib.UpperFunc,
		"trimspace":  stdlib.TrimSpaceFunc,
		"join":       stdlib.JoinFunc,
		"replace":    stdlib.ReplaceFunc,
		"substr":     stdlib.SubstrFunc,
		"format":     stdlib.FormatFunc,

		// What the contact's segments and purchases are: a segment's
		// where reads them beside its fields and tags.
		"in_segment":    stub(text("segment"), cty.Bool),
		"has_purchased": stub(text("product"), cty.Bool),
	}
}

// lengthFunc is the length of a string (in characters) or of a list, as in
// Terraform: cty's own length takes collections only.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() {
			return cty.Number, nil
		}
		return cty.NilType, errors.New("length takes a string or a list")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].Type() == cty.String {
			return stdlib.Strlen(args[0])
		}
		return stdlib.Length(args[0])
	},
})

// dateAddFunc is date_add(date, duration)'s signature: a date or
// date-time as text (a number or a list is refused, not turned into
// text), and a duration such as "14d". The runtime computes it.
var dateAddFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "date", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true},
		{Name: "duration", Type: cty.String, AllowUnknown: true},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); ty != cty.String && ty != cty.DynamicPseudoType {
			return cty.NilType, function.NewArgErrorf(0, "date_add adds to a date, and this is %s", words.FriendlyType(ty))
		}
		return cty.String, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if d := args[1]; d.IsKnown() && !d.IsNull() {
			switch _, err := ParseDuration(d.AsString()); {
			case errors.Is(err, ErrDurationTooLong):
				return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "%q is longer than journey's longest duration, %q", d.AsString(), MaxDuration)
			case err != nil:
				return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "%q is not a duration", d.AsString())
			}
		}
		if d := args[0]; d.IsKnown() && !d.IsNull() && d.Type() == cty.String && d.AsString() != "" && !isDateText(d.AsString()) {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "%q is not a date", d.AsString())
		}
		return cty.UnknownVal(cty.String), nil
	},
})

// isDateText reports whether s is written as the runtime reads a date:
// a date, a date-time to the second, or an RFC 3339 time.
func isDateText(s string) bool {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
