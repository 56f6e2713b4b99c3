package compiler

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/lang"
)

// referenceParams are the functions whose argument names a declaration
// and must be a reference to one of that kind: in_segment's segment,
// has_purchased's product. A name written as text would pass the type
// check and test something nothing declares; and the runtime orders a
// segment's where after the segments it reads, which it knows only by
// name. (has_tag takes any text, a field holding a tag's name too.)
var referenceParams = map[string]string{"in_segment": "segment", "has_purchased": "product"}

// referenceArgs holds the arguments of referenceParams' functions to
// references of their kind; it returns false when one is not.
func (c *compiler) referenceArgs(e *lang.Expr) bool {
	ok := true
	eachCall(e.Native, func(call *hclsyntax.FunctionCallExpr) {
		kind, takesRef := referenceParams[call.Name]
		if !takesRef || len(call.Args) != 1 {
			return // HCL's own check says what the arity should be
		}
		arg := call.Args[0]
		if t, isRef := arg.(*hclsyntax.ScopeTraversalExpr); isRef && t.Traversal.RootName() == kind && len(t.Traversal) == 2 {
			return
		}
		hint := fmt.Sprintf("write %s(%s.NAME), naming a declared %s", call.Name, kind, kind)
		if name := literalText(arg); c.prog.Decls[kind][name] != nil {
			hint = fmt.Sprintf("write %s(%s.%s): a reference, not a string", call.Name, kind, name)
		}
		c.add(lang.Errorf(lang.RuleType, arg.Range(),
			fmt.Sprintf("%s takes a %s, named as %s.NAME; %s is not one", call.Name, kind, kind, c.sourceText(arg.Range())), hint))
		ok = false
	})
	return ok
}

// literalText is the text of a string literal ("" for anything else).
func literalText(x hclsyntax.Expression) string {
	if w, ok := x.(*hclsyntax.TemplateWrapExpr); ok {
		x = w.Wrapped
	}
	if t, ok := x.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		x = t.Parts[0]
	}
	if l, ok := x.(*hclsyntax.LiteralValueExpr); ok && l.Val.Type() == cty.String {
		return l.Val.AsString()
	}
	return ""
}

// eachCall calls fn for every function call in x, outermost first. The
// node types conditions are made of are read directly (as variables reads
// them); anything else is walked by hclsyntax.
func eachCall(x hclsyntax.Expression, fn func(*hclsyntax.FunctionCallExpr)) {
	switch t := x.(type) {
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.LiteralValueExpr:
	case *hclsyntax.TemplateWrapExpr:
		eachCall(t.Wrapped, fn)
	case *hclsyntax.ParenthesesExpr:
		eachCall(t.Expression, fn)
	case *hclsyntax.UnaryOpExpr:
		eachCall(t.Val, fn)
	case *hclsyntax.BinaryOpExpr:
		eachCall(t.LHS, fn)
		eachCall(t.RHS, fn)
	case *hclsyntax.ConditionalExpr:
		eachCall(t.Condition, fn)
		eachCall(t.TrueResult, fn)
		eachCall(t.FalseResult, fn)
	case *hclsyntax.TemplateExpr:
		for _, p := range t.Parts {
			eachCall(p, fn)
		}
	case *hclsyntax.TupleConsExpr:
		for _, e := range t.Exprs {
			eachCall(e, fn)
		}
	case *hclsyntax.FunctionCallExpr:
		fn(t)
		for _, a := range t.Args {
			eachCall(a, fn)
		}
	default:
		hclsyntax.VisitAll(x, func(n hclsyntax.Node) hcl.Diagnostics {
			if call, isCall := n.(*hclsyntax.FunctionCallExpr); isCall {
				fn(call)
			}
			return nil
		})
	}
}
