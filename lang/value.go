package lang

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Value is a decoded attribute value. The concrete types are Literal, List,
// Keyword, Ref, Call, Expr and Map.
type Value interface {
	SourceRange() hcl.Range
}

// Literal is a constant string, number or bool.
type Literal struct {
	Val   cty.Value
	Range hcl.Range
}

// List is a list of values.
type List struct {
	Items []Value
	Range hcl.Range
}

// Keyword is a bare word such as weekdays, date or list(string).
type Keyword struct {
	Name  string
	Range hcl.Range
}

// Ref is a reference KIND.NAME (or a longer address such as
// campaign.c.wait.a in a moved block), never a string.
type Ref struct {
	// Parts are the traversal's names: ["tag", "customer"].
	Parts []string
	Range hcl.Range
}

// Kind is the first part of the reference.
func (r *Ref) Kind() string { return r.Parts[0] }

// Name is the second part of the reference ("" when there is none).
func (r *Ref) Name() string {
	if len(r.Parts) < 2 {
		return ""
	}
	return r.Parts[1]
}

// String is the reference as written.
func (r *Ref) String() string { return strings.Join(r.Parts, ".") }

// Call is an event call such as tag_added(tag.x), or template("file").
type Call struct {
	Name      string
	Args      []Value
	NameRange hcl.Range
	Range     hcl.Range
}

// Expr is an expression evaluated over the contact: a condition, a template,
// a value in update_contact.set. Native is the native-syntax tree, also for
// files in the JSON syntax.
type Expr struct {
	Native hclsyntax.Expression
	Range  hcl.Range
}

// Map is an object of keys to values (update_contact.set, headers).
type Map struct {
	Entries []MapEntry
	Range   hcl.Range
}

// MapEntry is one key of a Map.
type MapEntry struct {
	Key      string
	KeyRange hcl.Range
	Value    Value
}

func (v *Literal) SourceRange() hcl.Range { return v.Range }
func (v *List) SourceRange() hcl.Range    { return v.Range }
func (v *Keyword) SourceRange() hcl.Range { return v.Range }
func (v *Ref) SourceRange() hcl.Range     { return v.Range }
func (v *Call) SourceRange() hcl.Range    { return v.Range }
func (v *Expr) SourceRange() hcl.Range    { return v.Range }
func (v *Map) SourceRange() hcl.Range     { return v.Range }

// String returns the attribute's literal string and true, or "" and false.
func (b *Block) String(name string) (string, bool) {
	if a := b.Attr(name); a != nil {
		if lit, ok := a.Value.(*Literal); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			return lit.Val.AsString(), true
		}
	}
	return "", false
}

// Bool returns the attribute's literal bool, false when unset.
func (b *Block) Bool(name string) bool {
	if a := b.Attr(name); a != nil {
		if lit, ok := a.Value.(*Literal); ok && lit.Val.Type() == cty.Bool && lit.Val.IsKnown() && !lit.Val.IsNull() {
			return lit.Val.True()
		}
	}
	return false
}

// Number returns the attribute's literal number and true.
func (b *Block) Number(name string) (float64, bool) {
	if a := b.Attr(name); a != nil {
		if lit, ok := a.Value.(*Literal); ok && lit.Val.Type() == cty.Number && lit.Val.IsKnown() && !lit.Val.IsNull() {
			f, _ := lit.Val.AsBigFloat().Float64()
			return f, true
		}
	}
	return 0, false
}

// Ref returns the attribute's reference, or nil.
func (b *Block) Ref(name string) *Ref {
	if a := b.Attr(name); a != nil {
		if r, ok := a.Value.(*Ref); ok {
			return r
		}
	}
	return nil
}

// Refs returns the references of a list attribute (or the one reference of
// a single one).
func (b *Block) Refs(name string) []*Ref {
	a := b.Attr(name)
	if a == nil {
		return nil
	}
	switch v := a.Value.(type) {
	case *Ref:
		return []*Ref{v}
	case *List:
		var out []*Ref
		for _, it := range v.Items {
			if r, ok := it.(*Ref); ok {
				out = append(out, r)
			}
		}
		return out
	}
	return nil
}

// Call returns the attribute's call, or nil.
func (b *Block) Call(name string) *Call {
	if a := b.Attr(name); a != nil {
		if c, ok := a.Value.(*Call); ok {
			return c
		}
	}
	return nil
}

// Expr returns the attribute's expression, or nil.
func (b *Block) Expr(name string) *Expr {
	if a := b.Attr(name); a != nil {
		if e, ok := a.Value.(*Expr); ok {
			return e
		}
	}
	return nil
}

// Strings returns the literal strings of a list attribute.
func (b *Block) Strings(name string) []*Literal {
	a := b.Attr(name)
	if a == nil {
		return nil
	}
	l, ok := a.Value.(*List)
	if !ok {
		return nil
	}
	var out []*Literal
	for _, it := range l.Items {
		if lit, ok := it.(*Literal); ok && lit.Val.Type() == cty.String {
			out = append(out, lit)
		}
	}
	return out
}
