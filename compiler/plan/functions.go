package plan

import (
	"errors"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions are the functions a plan's expressions may call, by name. The
// compiler type-checks calls against these very signatures and the runtime
// implements exactly these names, converting arguments to the same
// parameter types, so that what validates is what runs. journey's own
// functions (has_tag, days_since, days_until, now) read the contact and the
// clock: here they are signatures whose result is an unknown value of
// their type; the runtime gives them their meaning.
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
