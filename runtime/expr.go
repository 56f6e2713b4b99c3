package runtime

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/journeyhq/journey/compiler/plan"
)

// evalEnv is what an expression reads: the contact, the time, the account's
// zone (for days_since and days_until).
type evalEnv struct {
	contact *Contact
	fields  map[string]plan.Field
	now     time.Time
	loc     *time.Location
}

// Expr is a compiled expression of the plan.
type Expr struct {
	Text string
	eval func(*evalEnv) (cty.Value, error)
}

// compileExpr turns a plan expression into a closure tree, once per plan.
func compileExpr(e *plan.Expression) (*Expr, error) {
	if e == nil || e.Root == nil {
		return nil, nil
	}
	fn, err := compileNode(e.Root)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", e.Text, err)
	}
	return &Expr{Text: e.Text, eval: fn}, nil
}

// Bool evaluates a condition. An expression that cannot be evaluated for
// this contact (a field it lacks) is false, with the reason.
func (x *Expr) Bool(env *evalEnv) (bool, error) {
	if x == nil {
		return true, nil
	}
	v, err := x.eval(env)
	if err != nil {
		return false, err
	}
	if v.IsNull() || !v.IsKnown() {
		return false, fmt.Errorf("%s has no value for this contact", x.Text)
	}
	v, err = convert.Convert(v, cty.Bool)
	if err != nil {
		return false, err
	}
	return v.True(), nil
}

// String renders a template; fields without a value render as "".
func (x *Expr) String(env *evalEnv) (string, error) {
	if x == nil {
		return "", nil
	}
	v, err := x.eval(env)
	if err != nil {
		return "", err
	}
	return text(v)
}

// Value evaluates to a Go value for a contact field of the given type.
func (x *Expr) Value(env *evalEnv) (any, error) {
	v, err := x.eval(env)
	if err != nil {
		return nil, err
	}
	return fromCty(v), nil
}

func text(v cty.Value) (string, error) {
	if v.IsNull() {
		return "", nil
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", fmt.Errorf("cannot show %s as text", v.Type().FriendlyName())
	}
	return s.AsString(), nil
}

type evalFn func(*evalEnv) (cty.Value, error)

func compileNode(n *plan.Node) (evalFn, error) {
	args := make([]evalFn, len(n.Args))
	for i, a := range n.Args {
		fn, err := compileNode(a)
		if err != nil {
			return nil, err
		}
		args[i] = fn
	}
	switch n.Op {
	case plan.OpLit:
		v, err := literal(n.Value)
		if err != nil {
			return nil, err
		}
		return func(*evalEnv) (cty.Value, error) { return v, nil }, nil
	case plan.OpField:
		name := n.Name
		return func(env *evalEnv) (cty.Value, error) { return fieldValue(env, name), nil }, nil
	case plan.OpTemplate:
		return func(env *evalEnv) (cty.Value, error) {
			var b strings.Builder
			for _, a := range args {
				v, err := a(env)
				if err != nil {
					return cty.NilVal, err
				}
				s, err := text(v)
				if err != nil {
					return cty.NilVal, err
				}
				b.WriteString(s)
			}
			return cty.StringVal(b.String()), nil
		}, nil
	case plan.OpList:
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil || len(vals) == 0 {
				return cty.EmptyTupleVal, err
			}
			return cty.TupleVal(vals), nil
		}, nil
	case plan.OpIf:
		if len(args) != 3 {
			return nil, fmt.Errorf("if takes 3 arguments")
		}
		return func(env *evalEnv) (cty.Value, error) {
			c, err := args[0](env)
			if err != nil {
				return cty.NilVal, err
			}
			if c.IsNull() {
				return cty.NilVal, fmt.Errorf("a condition has no value")
			}
			if c, err = convert.Convert(c, cty.Bool); err != nil {
				return cty.NilVal, err
			}
			if c.True() {
				return args[1](env)
			}
			return args[2](env)
		}, nil
	case plan.OpIndex:
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil {
				return cty.NilVal, err
			}
			return index(vals[0], vals[1])
		}, nil
	case plan.OpCall:
		return compileCall(n.Name, args)
	}
	if f, ok := operators()[n.Op]; ok {
		return compileFunc(n.Op, f, args), nil
	}
	return nil, fmt.Errorf("unknown operation %q", n.Op)
}

func evalAll(env *evalEnv, fns []evalFn) ([]cty.Value, error) {
	vals := make([]cty.Value, len(fns))
	for i, fn := range fns {
		v, err := fn(env)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// compileFunc calls a cty function with its arguments converted to its
// parameter types first, as HCL does for operators.
func compileFunc(name string, f function.Function, args []evalFn) evalFn {
	params := f.Params()
	variadic := f.VarParam()
	// param is the parameter an argument binds to (the variadic one past
	// the fixed ones), or nil.
	param := func(i int) *function.Parameter {
		if i < len(params) {
			return &params[i]
		}
		return variadic
	}
	return func(env *evalEnv) (cty.Value, error) {
		vals, err := evalAll(env, args)
		if err != nil {
			return cty.NilVal, err
		}
		for i, v := range vals {
			p := param(i)
			if p != nil && !v.IsNull() {
				if c, err := convert.Convert(v, p.Type); err == nil {
					vals[i] = c
				}
			}
			if v.IsNull() && (p == nil || !p.AllowNull) {
				return cty.NilVal, fmt.Errorf("%s: an operand has no value for this contact", name)
			}
		}
		return f.Call(vals)
	}
}

func operators() map[string]function.Function {
	return map[string]function.Function{
		"+": stdlib.AddFunc, "-": stdlib.SubtractFunc, "*": stdlib.MultiplyFunc,
		"/": stdlib.DivideFunc, "%": stdlib.ModuloFunc,
		"==": stdlib.EqualFunc, "!=": stdlib.NotEqualFunc,
		"<": stdlib.LessThanFunc, "<=": stdlib.LessThanOrEqualToFunc,
		">": stdlib.GreaterThanFunc, ">=": stdlib.GreaterThanOrEqualToFunc,
		"&&": stdlib.AndFunc, "||": stdlib.OrFunc,
		plan.OpNot: stdlib.NotFunc, plan.OpNeg: stdlib.NegateFunc,
	}
}

// compileCall binds a function call: journey's own functions read the
// contact and the clock; the rest are the cty standard library's.
func compileCall(name string, args []evalFn) (evalFn, error) {
	switch name {
	case "has_tag":
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil || len(vals) != 1 || vals[0].IsNull() {
				return cty.False, err
			}
			return cty.BoolVal(env.contact.HasTag(vals[0].AsString())), nil
		}, nil
	case "now":
		return func(env *evalEnv) (cty.Value, error) {
			return cty.StringVal(env.now.In(env.loc).Format(time.RFC3339)), nil
		}, nil
	case "days_since", "days_until":
		sign := 1.0
		if name == "days_until" {
			sign = -1
		}
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil {
				return cty.NilVal, err
			}
			if len(vals) != 1 || vals[0].IsNull() {
				return cty.NilVal, fmt.Errorf("%s: the date has no value for this contact", name)
			}
			t, err := parseDate(vals[0].AsString(), env.loc)
			if err != nil {
				return cty.NilVal, err
			}
			days := math.Floor(env.now.Sub(t).Hours() / 24 * sign)
			return cty.NumberFloatVal(days), nil
		}, nil
	}
	f, ok := stdlibFunctions()[name]
	if !ok {
		return nil, fmt.Errorf("unknown function %q", name)
	}
	return compileFunc(name, f, args), nil
}

// stdlibFunctions are the library functions expressions may call (the same
// names the compiler type-checks against).
func stdlibFunctions() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "coalesce": stdlib.CoalesceFunc,
		"contains": stdlib.ContainsFunc, "length": stdlib.LengthFunc, "lower": stdlib.LowerFunc,
		"upper": stdlib.UpperFunc, "trimspace": stdlib.TrimSpaceFunc, "join": stdlib.JoinFunc,
		"replace": stdlib.ReplaceFunc, "substr": stdlib.SubstrFunc, "format": stdlib.FormatFunc,
	}
}

// FunctionNames lists every function the runtime implements.
func FunctionNames() []string {
	names := []string{"has_tag", "now", "days_since", "days_until"}
	for n := range stdlibFunctions() {
		names = append(names, n)
	}
	return names
}

func index(coll, key cty.Value) (cty.Value, error) {
	if coll.IsNull() || key.IsNull() {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	ty := coll.Type()
	switch {
	case ty.IsListType() || ty.IsTupleType():
		k, err := convert.Convert(key, cty.Number)
		if err != nil {
			return cty.NilVal, err
		}
		i, _ := k.AsBigFloat().Int64()
		if i < 0 || int(i) >= coll.LengthInt() {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return coll.Index(cty.NumberIntVal(i)), nil
	case ty.IsMapType() || ty.IsObjectType():
		k, err := convert.Convert(key, cty.String)
		if err != nil {
			return cty.NilVal, err
		}
		if ty.IsObjectType() {
			if !ty.HasAttribute(k.AsString()) {
				return cty.NullVal(cty.DynamicPseudoType), nil
			}
			return coll.GetAttr(k.AsString()), nil
		}
		if !coll.HasIndex(k).True() {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return coll.Index(k), nil
	}
	return cty.NilVal, fmt.Errorf("cannot index a %s", ty.FriendlyName())
}

func literal(raw json.RawMessage) (cty.Value, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return cty.NilVal, err
	}
	return toCty(v, cty.DynamicPseudoType), nil
}

// fieldValue is a contact field typed by the plan's schema.
func fieldValue(env *evalEnv, name string) cty.Value {
	ty := cty.String
	if f, ok := env.fields[name]; ok {
		ty = plan.FieldCtyType(f.Type)
	}
	return toCty(env.contact.Field(name), ty)
}

// toCty converts a JSON-shaped Go value to cty, as the given type when it
// can.
func toCty(v any, ty cty.Type) cty.Value {
	if v == nil {
		return cty.NullVal(ty)
	}
	var out cty.Value
	switch t := v.(type) {
	case string:
		out = cty.StringVal(t)
	case float64:
		out = cty.NumberFloatVal(t)
	case int:
		out = cty.NumberIntVal(int64(t))
	case int64:
		out = cty.NumberIntVal(t)
	case bool:
		out = cty.BoolVal(t)
	case []string:
		if len(t) == 0 {
			return cty.ListValEmpty(cty.String)
		}
		vals := make([]cty.Value, len(t))
		for i, s := range t {
			vals[i] = cty.StringVal(s)
		}
		out = cty.ListVal(vals)
	case []any:
		if len(t) == 0 {
			if ty.IsListType() {
				return cty.ListValEmpty(ty.ElementType())
			}
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(t))
		for i, s := range t {
			vals[i] = toCty(s, cty.DynamicPseudoType)
		}
		out = cty.TupleVal(vals)
	default:
		out = cty.StringVal(fmt.Sprint(t))
	}
	if ty != cty.DynamicPseudoType {
		if c, err := convert.Convert(out, ty); err == nil {
			return c
		}
	}
	return out
}

// fromCty converts a cty value to a JSON-shaped Go value.
func fromCty(v cty.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		var out []any
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			out = append(out, fromCty(ev))
		}
		return out
	}
	return nil
}
