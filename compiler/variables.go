package compiler

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// variables returns the root-scope traversals of x, in the order
// hclsyntax.Variables returns them. Conditions and templates are made of a
// few node types, which it reads directly: hclsyntax.Walk allocates a
// walker and a closure per node, and was a fifth of checking expressions.
// Any other node (a for expression, whose local names hide variables, an
// object, whose bare keys are not variables, a splat) hands the whole
// expression to hclsyntax.Variables, so the answer is always HCL's.
func variables(x hclsyntax.Expression) []hcl.Traversal {
	var out []hcl.Traversal
	if appendVariables(&out, x) {
		return out
	}
	return hclsyntax.Variables(x)
}

// appendVariables appends the traversals of x in walk order; false when x
// holds a node it does not read.
func appendVariables(out *[]hcl.Traversal, x hclsyntax.Expression) bool {
	switch t := x.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		*out = append(*out, t.Traversal)
		return true
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateWrapExpr:
		return appendVariables(out, t.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return appendVariables(out, t.Expression)
	case *hclsyntax.UnaryOpExpr:
		return appendVariables(out, t.Val)
	case *hclsyntax.BinaryOpExpr:
		return appendVariables(out, t.LHS) && appendVariables(out, t.RHS)
	case *hclsyntax.ConditionalExpr:
		return appendVariables(out, t.Condition) && appendVariables(out, t.TrueResult) && appendVariables(out, t.FalseResult)
	case *hclsyntax.TemplateExpr:
		return appendAll(out, t.Parts)
	case *hclsyntax.FunctionCallExpr:
		return appendAll(out, t.Args)
	case *hclsyntax.TupleConsExpr:
		return appendAll(out, t.Exprs)
	}
	return false
}

func appendAll(out *[]hcl.Traversal, xs []hclsyntax.Expression) bool {
	for _, x := range xs {
		if !appendVariables(out, x) {
			return false
		}
	}
	return true
}
