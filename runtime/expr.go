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

// evalEnv is what an expression reads: the contact, the event's
// properties (the entry's, or the trigger's, goal's or rule's own event),
// the users (for owner.NAME), the time, the account's zone (for
// days_since and days_until).
type evalEnv struct {
	contact *Contact
	event   map[string]any
	fields  map[string]plan.Field
	users   map[string]*plan.UserAsset
	now     time.Time
	loc     *time.Location
	// facts answers what the contact record itself does not hold: its
	// segments and purchases (nil: none).
	facts contactFacts
}

// contactFacts is what a step knows of the contact beyond its record.
type contactFacts interface {
	inSegment(segment string) bool
	purchased(product string) bool
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

// Bool evaluates a condition; unset is false (expr_unset.go). An
// expression that fails for this contact (a date field holding text that
// is not a date, a division by zero) is false, with the reason.
func (x *Expr) Bool(env *evalEnv) (bool, error) {
	if x == nil {
		return true, nil
	}
	v, err := x.eval(env)
	if err != nil {
		return false, err
	}
	return truth(v)
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
	case plan.OpEvent:
		// A property the event does not carry is unset, of its declared
		// type, as an unset field is.
		name, ty := n.Name, plan.FieldCtyType(n.Type)
		return func(env *evalEnv) (cty.Value, error) { return toCty(env.event[name], ty), nil }, nil
	case plan.OpOwner:
		read := ownerAttr(n.Name)
		if read == nil {
			return nil, fmt.Errorf("the contact's owner has no %q (its attributes are name, email and phone)", n.Name)
		}
		return func(env *evalEnv) (cty.Value, error) { return ownerValue(env, read), nil }, nil
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
			yes, err := truth(c)
			if err != nil {
				return cty.NilVal, err
			}
			if yes {
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
	case "==", "!=":
		unequal := n.Op == "!="
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.BoolVal(equal(vals[0], vals[1]) != unequal), nil
		}, nil
	}
	if f, ok := operators()[n.Op]; ok {
		return compileFunc(f, callReading, args), nil
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

// compileFunc evaluates the arguments and calls f by one of the unset
// rules of expr_unset.go.
func compileFunc(f function.Function, call unsetRule, args []evalFn) evalFn {
	return func(env *evalEnv) (cty.Value, error) {
		vals, err := evalAll(env, args)
		if err != nil {
			return cty.NilVal, err
		}
		return call(f, vals)
	}
}

func operators() map[string]function.Function {
	return map[string]function.Function{
		"+": stdlib.AddFunc, "-": stdlib.SubtractFunc, "*": stdlib.MultiplyFunc,
		"/": stdlib.DivideFunc, "%": stdlib.ModuloFunc,
		"<": stdlib.LessThanFunc, "<=": stdlib.LessThanOrEqualToFunc,
		">": stdlib.GreaterThanFunc, ">=": stdlib.GreaterThanOrEqualToFunc,
		"&&": stdlib.AndFunc, "||": stdlib.OrFunc,
		plan.OpNot: stdlib.NotFunc, plan.OpNeg: stdlib.NegateFunc,
	}
}

// compileCall binds a function call to one of the plan's functions, with
// its arguments converted to the parameter types the compiler checked them
// against: journey's own functions read the contact and the clock; the
// rest are the library's, called by the unset rules.
func compileCall(name string, args []evalFn) (evalFn, error) {
	f, ok := plan.Functions()[name]
	if !ok {
		return nil, fmt.Errorf("unknown function %q", name)
	}
	if own, ok := ownFunctions()[name]; ok {
		return own(name, f, args), nil
	}
	read, ok := unsetReadings()[name]
	if !ok {
		read = callReading
	}
	return compileFunc(f, read, args), nil
}

// ownFunction gives one of journey's own functions its meaning: the plan's
// table has its signature only.
type ownFunction func(name string, f function.Function, args []evalFn) evalFn

// ownFunctions are journey's functions, which read the contact and the
// clock; a test holds them to the table's signatures.
func ownFunctions() map[string]ownFunction {
	return map[string]ownFunction{
		"has_tag":    hasTag,
		"now":        now,
		"today":      today,
		"date_add":   dateAdd,
		"days_since": daysSince(1),
		"days_until": daysSince(-1),

		"in_segment":    factFunc(contactFacts.inSegment),
		"has_purchased": factFunc(contactFacts.purchased),
	}
}

// unsetReadings are the library's functions that read unset arguments
// otherwise than callReading does (expr_unset.go).
func unsetReadings() map[string]unsetRule {
	return map[string]unsetRule{
		"coalesce": coalesce,
		"max":      extreme,
		"min":      extreme,
		"contains": containsReading,
	}
}

func hasTag(name string, f function.Function, args []evalFn) evalFn {
	return func(env *evalEnv) (cty.Value, error) {
		vals, err := evalAll(env, args)
		if err != nil {
			return cty.NilVal, err
		}
		tag, err := textArg(name, f, vals)
		return cty.BoolVal(tag != "" && env.contact.HasTag(tag)), err
	}
}

// factFunc is one of journey's functions that asks what a step knows of
// the contact about a name (a segment, a product).
func factFunc(ask func(contactFacts, string) bool) ownFunction {
	return func(name string, f function.Function, args []evalFn) evalFn {
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil {
				return cty.NilVal, err
			}
			arg, err := textArg(name, f, vals)
			return cty.BoolVal(arg != "" && env.facts != nil && ask(env.facts, arg)), err
		}
	}
}

func now(string, function.Function, []evalFn) evalFn {
	return func(env *evalEnv) (cty.Value, error) {
		return cty.StringVal(env.now.In(env.loc).Format(time.RFC3339)), nil
	}
}

// daysSince counts whole days from a date to now (sign 1), or from now to
// a date (sign -1).
func daysSince(sign float64) ownFunction {
	return func(name string, f function.Function, args []evalFn) evalFn {
		return func(env *evalEnv) (cty.Value, error) {
			vals, err := evalAll(env, args)
			if err != nil {
				return cty.NilVal, err
			}
			date, err := textArg(name, f, vals)
			if err != nil || date == "" {
				// No date: no number of days.
				return cty.NullVal(cty.Number), err
			}
			t, err := parseDate(date, env.loc)
			if err != nil {
				return cty.NilVal, err
			}
			days := math.Floor(env.now.Sub(t).Hours() / 24 * sign)
			return cty.NumberFloatVal(days), nil
		}
	}
}

// textArg is the single text argument of one of journey's functions, unset
// read as "".
func textArg(name string, f function.Function, vals []cty.Value) (string, error) {
	readArgs(f, vals)
	if len(vals) != 1 || vals[0].Type() != cty.String {
		return "", fmt.Errorf("%s takes one text argument", name)
	}
	return vals[0].AsString(), nil
}

// index reads an item of a list (or a key of an object); an item the list
// does not have is unset, of the list's item type: an unset or empty
// list(string)'s [0] is unset text.
func index(coll, key cty.Value) (cty.Value, error) {
	coll = readUnset(coll)
	missing := cty.NullVal(cty.DynamicPseudoType)
	if ty := coll.Type(); ty.IsListType() {
		missing = cty.NullVal(ty.ElementType())
	}
	if coll.IsNull() || key.IsNull() {
		return missing, nil
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
			return missing, nil
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
// ownerAttr is the reader of one attribute of a user, as owner.NAME reads
// it, or nil for a name a user does not have.
func ownerAttr(name string) func(*plan.UserAsset) string {
	switch name {
	case "name":
		return func(u *plan.UserAsset) string { return u.Name }
	case "email":
		return func(u *plan.UserAsset) string { return u.Email }
	case "phone":
		return func(u *plan.UserAsset) string { return u.Phone }
	}
	return nil
}

// ownerValue is an attribute of the user the contact's owner field names:
// unset text when the contact has no owner, its owner is no user of the
// plan, or the user leaves the attribute out.
func ownerValue(env *evalEnv, read func(*plan.UserAsset) string) cty.Value {
	u := env.users[env.contact.Owner]
	if u == nil || read(u) == "" {
		return cty.NullVal(cty.String)
	}
	return cty.StringVal(read(u))
}

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
