package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxExpressionDepth is how deeply an attribute's value may nest: each
// operator, parenthesis, function call, list, object, conditional,
// template and index step is a level.
//
// Every stage after lang walks expressions by recursion, and the plan
// spells a level as an object in an array, two levels of JSON: at this
// limit the plan file nests 207 deep. Past 124 levels jq 1.6, which
// the docs pipe plans into, stops at its 256; past about 4,990
// encoding/json refuses to write or read the plan (its 10,000), and a
// condition of 5,000 negations validated clean but could not be compiled.
// No campaign written by hand comes near 100: a long chain of || is the
// likeliest way there, and contains([...], contact.FIELD) says it flat.
const MaxExpressionDepth = 100

// depthWalk is the stack of an expression walk, kept between walks.
type depthWalk []nodeAt

type nodeAt struct {
	x     hclsyntax.Expression
	depth int
}

// tooDeep returns an expression-too-deep error for x when it nests more
// than MaxExpressionDepth levels, nil otherwise. It walks with a stack of
// its own, not by recursion: the tree may be far deeper than any stage can
// recurse (a chain of || is parsed by a loop, to any length).
func (w *depthWalk) tooDeep(x hclsyntax.Expression) *hcl.Diagnostic {
	var (
		deepest   int
		firstDeep hclsyntax.Expression // where the first branch gets too deep
	)
	if *w == nil {
		*w = make(depthWalk, 0, 32) // what most files' deepest value needs
	}
	stack := append((*w)[:0], nodeAt{x, 1})
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		levels := n.depth + extraLevels(n.x)
		deepest = max(deepest, levels)
		if levels > MaxExpressionDepth && firstDeep == nil {
			firstDeep = n.x
		}
		stack = pushChildren(stack, n.x, levels+1)
	}
	*w = stack[:0]
	if firstDeep == nil {
		return nil
	}
	return Errorf(RuleExpressionTooDeep, firstDeep.Range(),
		fmt.Sprintf("this expression nests %d levels deep; journey reads at most %d, and it goes deeper here", deepest, MaxExpressionDepth),
		"make it shallower: test a list with contains([...], contact.FIELD) instead of a chain of || or ==, drop parentheses that group nothing, or split it, keeping part of the answer in a field set by update_contact")
}

// extraLevels is the levels a node holds beyond its own: the steps of a
// traversal after contact.FIELD, or after what it follows, are each an
// index in the plan.
func extraLevels(x hclsyntax.Expression) int {
	switch t := x.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return max(0, len(t.Traversal)-2)
	case *hclsyntax.RelativeTraversalExpr:
		return len(t.Traversal) - 1
	}
	return 0
}

// pushChildren pushes the expressions directly inside x, at depth, last
// to first: popped, they come in source order, and the finding points at
// the leftmost place too deep. A template of plain text is one literal,
// as the compiler makes it; literals, scope traversals, a splat's item and
// syntax-error placeholders hold no expression.
func pushChildren(stack []nodeAt, x hclsyntax.Expression, depth int) []nodeAt {
	push := func(xs ...hclsyntax.Expression) {
		for i := len(xs) - 1; i >= 0; i-- {
			if xs[i] != nil {
				stack = append(stack, nodeAt{xs[i], depth})
			}
		}
	}
	switch t := x.(type) {
	case *hclsyntax.ParenthesesExpr:
		push(t.Expression)
	case *hclsyntax.UnaryOpExpr:
		push(t.Val)
	case *hclsyntax.BinaryOpExpr:
		push(t.LHS, t.RHS)
	case *hclsyntax.ConditionalExpr:
		push(t.Condition, t.TrueResult, t.FalseResult)
	case *hclsyntax.FunctionCallExpr:
		push(t.Args...)
	case *hclsyntax.TupleConsExpr:
		push(t.Exprs...)
	case *hclsyntax.ObjectConsExpr:
		for i := len(t.Items) - 1; i >= 0; i-- {
			push(t.Items[i].KeyExpr, t.Items[i].ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		push(t.Wrapped)
	case *hclsyntax.IndexExpr:
		push(t.Collection, t.Key)
	case *hclsyntax.RelativeTraversalExpr:
		push(t.Source)
	case *hclsyntax.TemplateExpr:
		if !t.IsStringLiteral() {
			push(t.Parts...)
		}
	case *hclsyntax.TemplateWrapExpr:
		push(t.Wrapped)
	case *hclsyntax.TemplateJoinExpr:
		push(t.Tuple)
	case *hclsyntax.ForExpr:
		push(t.CollExpr, t.KeyExpr, t.ValExpr, t.CondExpr)
	case *hclsyntax.SplatExpr:
		push(t.Source, t.Each)
	}
	return stack
}
