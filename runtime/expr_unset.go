package runtime

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// What an unset field is to every operator and function (docs/language.md,
// "Unset fields"). Text and lists have an empty value and an unset one is
// read as it: "" and []. An unset bool is false. An unset number is no
// number: what is computed from it is unset too, an ordering with it is
// unset and so false, and it equals only another unset value. Unset values
// stay unset (null) while they flow, so that coalesce can skip them and
// update_contact copies them as unset; each operation reads them by these
// rules, and none fails on them: a condition and its ! always take
// opposite branches.

// unsetRule calls a function by one of these rules.
type unsetRule func(f function.Function, vals []cty.Value) (cty.Value, error)

// emptyOf is the value an unset value of type ty is read as, if it has one.
func emptyOf(ty cty.Type) (cty.Value, bool) {
	switch {
	case ty == cty.String:
		return cty.StringVal(""), true
	case ty == cty.Bool:
		return cty.False, true
	case ty.IsListType():
		return cty.ListValEmpty(ty.ElementType()), true
	case ty.IsSetType():
		return cty.SetValEmpty(ty.ElementType()), true
	case ty.IsTupleType() && ty.Length() == 0:
		return cty.EmptyTupleVal, true
	}
	return cty.NilVal, false
}

// readUnset reads an unset value as its type's empty value; an unset number
// (or a null of no type) stays unset.
func readUnset(v cty.Value) cty.Value {
	if v.IsNull() {
		if e, ok := emptyOf(v.Type()); ok {
			return e
		}
	}
	return v
}

// blank reports what coalesce skips: unset values, "" and empty lists.
func blank(v cty.Value) bool {
	if v.IsNull() {
		return true
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString() == ""
	case ty.IsCollectionType() || ty.IsTupleType():
		return v.LengthInt() == 0
	}
	return false
}

// truth is the value of a condition: an unset bool is false.
func truth(v cty.Value) (bool, error) {
	if v.IsNull() {
		return false, nil
	}
	b, err := convert.Convert(v, cty.Bool)
	if err != nil {
		return false, err
	}
	return !b.IsNull() && b.True(), nil
}

// paramFor is the parameter of f that argument i binds to (the variadic one
// past the fixed ones), or nil.
func paramFor(f function.Function, i int) *function.Parameter {
	if params := f.Params(); i < len(params) {
		return &params[i]
	}
	return f.VarParam()
}

// readArgs converts arguments to f's parameter types, as HCL does for the
// type check, and reads unset text, lists and bools as "", [] and false.
// It reports whether an argument is still unset: an unset number, or a
// null of no type.
func readArgs(f function.Function, vals []cty.Value) (unset bool) {
	for i, v := range vals {
		if p := paramFor(f, i); p != nil && p.Type != cty.DynamicPseudoType {
			if v.IsNull() {
				v = cty.NullVal(p.Type)
			} else if c, err := convert.Convert(v, p.Type); err == nil {
				v = c
			}
		}
		v = readUnset(v)
		unset = unset || v.IsNull()
		vals[i] = v
	}
	return unset
}

// callReading calls an operator or library function by the unset rules: an
// argument still unset after readArgs makes the result unset, of the type
// the function returns.
func callReading(f function.Function, vals []cty.Value) (cty.Value, error) {
	if !readArgs(f, vals) {
		return f.Call(vals)
	}
	return unsetResult(f, vals)
}

// unsetResult is an unset value of the type f returns for these arguments.
func unsetResult(f function.Function, vals []cty.Value) (cty.Value, error) {
	typed := make([]cty.Value, len(vals))
	for i, v := range vals {
		typed[i] = v
		if v.IsNull() {
			typed[i] = cty.UnknownVal(v.Type())
		}
	}
	ty, err := f.ReturnTypeForValues(typed)
	if err != nil {
		return cty.NilVal, err
	}
	return cty.NullVal(ty), nil
}

// equal is ==: an unset value is read as the other side's empty value
// (unset text equals "", an unset list [], an unset bool false), and an
// unset number equals only another unset value. Lists compare by their
// items, however they were written.
func equal(a, b cty.Value) bool {
	a, b = unsetLike(a, b.Type()), unsetLike(b, a.Type())
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull()
	}
	if listLike(a.Type()) && listLike(b.Type()) {
		if ty, _ := convert.UnifyUnsafe([]cty.Type{a.Type(), b.Type()}); ty != cty.NilType {
			ca, errA := convert.Convert(a, ty)
			cb, errB := convert.Convert(b, ty)
			if errA == nil && errB == nil {
				a, b = ca, cb
			}
		}
	}
	eq := a.Equals(b)
	return eq.IsKnown() && eq.True()
}

// unsetLike reads an unset value as the empty value of its type, or of the
// other side's type when it has none (the literal null).
func unsetLike(v cty.Value, other cty.Type) cty.Value {
	if !v.IsNull() {
		return v
	}
	ty := v.Type()
	if ty == cty.DynamicPseudoType {
		ty = other
	}
	if e, ok := emptyOf(ty); ok {
		return e
	}
	return v
}

func listLike(ty cty.Type) bool {
	return ty.IsListType() || ty.IsTupleType() || ty.IsSetType()
}

// coalesce is the first argument with something in it: unset values, ""
// and empty lists are skipped; unset when every one is.
func coalesce(f function.Function, vals []cty.Value) (cty.Value, error) {
	ty, err := f.ReturnTypeForValues(vals)
	if err != nil {
		return cty.NilVal, err
	}
	for _, v := range vals {
		if blank(v) {
			continue
		}
		if c, err := convert.Convert(v, ty); err == nil {
			return c, nil
		}
		return v, nil
	}
	return cty.NullVal(ty), nil
}

// extreme is max or min over the numbers that are set: unset when none is.
func extreme(f function.Function, vals []cty.Value) (cty.Value, error) {
	readArgs(f, vals)
	set := vals[:0]
	for _, v := range vals {
		if !v.IsNull() {
			set = append(set, v)
		}
	}
	if len(set) == 0 {
		return cty.NullVal(cty.Number), nil
	}
	return f.Call(set)
}

// containsReading reads an unset list as [] and unset text as "", and finds an
// unset number in no list of numbers.
func containsReading(f function.Function, vals []cty.Value) (cty.Value, error) {
	readArgs(f, vals)
	return f.Call(vals)
}
