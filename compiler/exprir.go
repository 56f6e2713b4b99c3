package compiler

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// lowerExpr compiles a type-checked native expression to the plan's tree,
// reporting constructs the runtime does not evaluate.
func (c *compiler) lowerExpr(e *lang.Expr) *plan.Expression {
	root, diag := lower(e.Native, c.propertyType)
	if diag != nil {
		c.add(diag)
		return nil
	}
	return &plan.Expression{Text: templateText(c.sourceText(e.Range)), Root: root}
}

// templateText drops the quotes (or heredoc markers) around a template, so
// that the plan shows a message's text as it reads.
func templateText(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	if strings.HasPrefix(s, "<<") {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			body := s[i+1:]
			if j := strings.LastIndexByte(body, '\n'); j >= 0 {
				body = body[:j+1]
			}
			if strings.HasPrefix(s, "<<-") {
				body = dedent(body)
			}
			return body
		}
	}
	return s
}

// dedent removes the indentation common to a flush heredoc's lines, as HCL
// does for <<-EOT.
func dedent(body string) string {
	lines := strings.Split(body, "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			lines[i] = l[common:]
		} else if strings.TrimSpace(l) == "" {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

func binaryOp(op *hclsyntax.Operation) string {
	switch op {
	case hclsyntax.OpAdd:
		return "+"
	case hclsyntax.OpSubtract:
		return "-"
	case hclsyntax.OpMultiply:
		return "*"
	case hclsyntax.OpDivide:
		return "/"
	case hclsyntax.OpModulo:
		return "%"
	case hclsyntax.OpEqual:
		return "=="
	case hclsyntax.OpNotEqual:
		return "!="
	case hclsyntax.OpLessThan:
		return "<"
	case hclsyntax.OpLessThanOrEqual:
		return "<="
	case hclsyntax.OpGreaterThan:
		return ">"
	case hclsyntax.OpGreaterThanOrEqual:
		return ">="
	case hclsyntax.OpLogicalAnd:
		return "&&"
	case hclsyntax.OpLogicalOr:
		return "||"
	}
	return ""
}

// lower compiles an expression; propertyType is the type of a property
// of the event in scope.
func lower(expr hclsyntax.Expression, propertyType func(string) string) (*plan.Node, *hcl.Diagnostic) {
	unsupported := func(what string) (*plan.Node, *hcl.Diagnostic) {
		return nil, lang.Errorf(lang.RuleType, expr.Range(),
			fmt.Sprintf("%s are not supported in journey expressions", what),
			"use contact fields, literals, comparisons, &&, ||, !, the conditional a ? b : c, lists and function calls")
	}
	many := func(op, name string, exprs ...hclsyntax.Expression) (*plan.Node, *hcl.Diagnostic) {
		n := &plan.Node{Op: op, Name: name}
		for _, a := range exprs {
			child, d := lower(a, propertyType)
			if d != nil {
				return nil, d
			}
			n.Args = append(n.Args, child)
		}
		return n, nil
	}
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		raw, err := literalJSON(e.Val)
		if err != nil {
			return unsupported("values of this type")
		}
		return &plan.Node{Op: plan.OpLit, Value: raw}, nil
	case *hclsyntax.TemplateExpr:
		if e.IsStringLiteral() {
			v, _ := e.Value(nil)
			raw, _ := json.Marshal(v.AsString())
			return &plan.Node{Op: plan.OpLit, Value: raw}, nil
		}
		return many(plan.OpTemplate, "", e.Parts...)
	case *hclsyntax.TemplateWrapExpr:
		return many(plan.OpTemplate, "", e.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return lower(e.Expression, propertyType)
	case *hclsyntax.ScopeTraversalExpr:
		return lowerTraversal(e.Traversal, propertyType)
	case *hclsyntax.RelativeTraversalExpr:
		src, d := lower(e.Source, propertyType)
		if d != nil {
			return nil, d
		}
		return indexSteps(src, e.Traversal)
	case *hclsyntax.IndexExpr:
		return many(plan.OpIndex, "", e.Collection, e.Key)
	case *hclsyntax.FunctionCallExpr:
		if e.ExpandFinal {
			return unsupported("expanded arguments (...)")
		}
		return many(plan.OpCall, e.Name, e.Args...)
	case *hclsyntax.BinaryOpExpr:
		return many(binaryOp(e.Op), "", e.LHS, e.RHS)
	case *hclsyntax.UnaryOpExpr:
		op := plan.OpNot
		if e.Op == hclsyntax.OpNegate {
			op = plan.OpNeg
		}
		return many(op, "", e.Val)
	case *hclsyntax.ConditionalExpr:
		return many(plan.OpIf, "", e.Condition, e.TrueResult, e.FalseResult)
	case *hclsyntax.TupleConsExpr:
		return many(plan.OpList, "", e.Exprs...)
	case *hclsyntax.ForExpr, *hclsyntax.TemplateJoinExpr:
		return unsupported("for expressions and %{for} directives")
	case *hclsyntax.SplatExpr:
		return unsupported("splat expressions")
	case *hclsyntax.ObjectConsExpr:
		return unsupported("objects")
	}
	return unsupported(fmt.Sprintf("%T expressions", expr))
}

// lowerTraversal turns contact.FIELD into a field read, event.NAME into a
// property read of its type, owner.NAME into a read of the contact's
// owner, and KIND.NAME into the name itself (has_tag(tag.customer) tests
// the tag named "customer").
func lowerTraversal(t hcl.Traversal, propertyType func(string) string) (*plan.Node, *hcl.Diagnostic) {
	name := ""
	if len(t) > 1 {
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			name = a.Name
		}
	}
	var n *plan.Node
	switch t.RootName() {
	case "contact":
		n = &plan.Node{Op: plan.OpField, Name: name}
	case "event":
		n = &plan.Node{Op: plan.OpEvent, Name: name, Type: propertyType(name)}
	case kinds.OwnerWord:
		n = &plan.Node{Op: plan.OpOwner, Name: name}
	default:
		raw, _ := json.Marshal(name)
		n = &plan.Node{Op: plan.OpLit, Value: raw}
	}
	return indexSteps(n, t[2:])
}

func indexSteps(n *plan.Node, steps hcl.Traversal) (*plan.Node, *hcl.Diagnostic) {
	for _, step := range steps {
		var key []byte
		switch s := step.(type) {
		case hcl.TraverseIndex:
			raw, err := ctyjson.Marshal(s.Key, s.Key.Type())
			if err != nil {
				return nil, lang.Errorf(lang.RuleType, s.SrcRange, "this index is not supported", "index lists with a number")
			}
			key = raw
		case hcl.TraverseAttr:
			key, _ = json.Marshal(s.Name)
		default:
			return nil, lang.Errorf(lang.RuleType, step.SourceRange(), "this traversal is not supported", "read contact.FIELD")
		}
		n = &plan.Node{Op: plan.OpIndex, Args: []*plan.Node{n, {Op: plan.OpLit, Value: key}}}
	}
	return n, nil
}

// sourceText is the text of a range, for people reading the plan.
func (c *compiler) sourceText(r hcl.Range) string {
	f := c.prog.Workspace.Files[r.Filename]
	if f == nil || r.End.Byte > len(f.Src) || r.Start.Byte > r.End.Byte {
		return ""
	}
	text := string(f.Src[r.Start.Byte:r.End.Byte])
	if strings.HasSuffix(r.Filename, lang.SuffixJSON) {
		var s string
		if json.Unmarshal([]byte(text), &s) == nil {
			text = strings.TrimSuffix(strings.TrimPrefix(s, "${"), "}")
		}
	}
	return text
}

// literalJSON is a literal's JSON: strings, numbers and bools directly (most
// literals), anything else through cty's encoder.
func literalJSON(v cty.Value) (json.RawMessage, error) {
	if v.IsKnown() && !v.IsNull() {
		switch v.Type() {
		case cty.String:
			return json.Marshal(v.AsString())
		case cty.Bool:
			return json.Marshal(v.True())
		case cty.Number:
			if f, acc := v.AsBigFloat().Float64(); acc == big.Exact {
				return json.Marshal(f)
			}
		}
	}
	return ctyjson.Marshal(v, v.Type())
}
