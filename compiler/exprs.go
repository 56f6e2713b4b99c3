package compiler

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// exprChecker type-checks expressions by evaluating them over a contact
// whose every field is an unknown value of the field's type: HCL then
// reports exactly the operations that cannot work for any contact.
type exprChecker struct {
	ctx *hcl.EvalContext
}

func newExprChecker(p *Program) *exprChecker {
	contact := map[string]cty.Value{}
	for name, f := range p.Fields {
		contact[name] = cty.UnknownVal(f.CtyType())
	}
	owner := map[string]cty.Value{}
	for _, name := range kinds.OwnerAttrs() {
		owner[name] = cty.UnknownVal(cty.String)
	}
	vars := map[string]cty.Value{"contact": cty.ObjectVal(contact), kinds.OwnerWord: cty.ObjectVal(owner)}
	for kind, decls := range p.Decls {
		if kind == "event" {
			// event.NAME is a property of the event in scope
			// (events.go), never an event declaration's name.
			continue
		}
		names := map[string]cty.Value{}
		for name := range decls {
			names[name] = cty.StringVal(name)
		}
		vars[kind] = cty.ObjectVal(names)
	}
	fieldNames := map[string]cty.Value{}
	for name := range p.Fields {
		fieldNames[name] = cty.StringVal(name)
	}
	vars["field"] = cty.ObjectVal(fieldNames)
	return &exprChecker{ctx: &hcl.EvalContext{Variables: vars, Functions: TypeCheckFunctions()}}
}

// FunctionNames are the functions expressions may call; the runtime
// implements exactly these.
func FunctionNames() []string {
	names := make([]string, 0)
	for n := range TypeCheckFunctions() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TypeCheckFunctions are the expression functions with their signatures,
// the plan's (the runtime converts arguments to the same types); journey's
// own functions return unknown values of their result type.
func TypeCheckFunctions() map[string]function.Function {
	return plan.Functions()
}

// checkExpr resolves an expression's references and type-checks it;
// want is cty.Bool for conditions, cty.String for templates, or a field's
// type. It returns false when the expression has errors.
func (c *compiler) checkExpr(b *lang.Block, attr string, e *lang.Expr, want cty.Type, what string) bool {
	ok := true
	for _, trav := range variables(e.Native) {
		if !c.checkTraversal(b, attr, trav) {
			ok = false
		}
	}
	if !ok || !c.referenceArgs(e) {
		return false
	}
	if want == cty.String && c.plainTemplate(e.Native) {
		// Literal text and primitive contact fields: nothing to check by
		// evaluating it.
		return c.lowered(e)
	}
	val, diags := e.Native.Value(c.evalContext())
	for _, d := range diags {
		rule := lang.RuleType
		if d.Summary == "Call to unknown function" {
			rule = lang.RuleUnknownReference
		}
		d.Extra = &lang.DiagInfo{Rule: rule}
		if d.Detail != "" && rule == lang.RuleType {
			why := strings.TrimSuffix(d.Detail, ".")
			if why != "" {
				why = strings.ToLower(why[:1]) + why[1:]
			}
			text := c.sourceText(e.Range)
			if d.Context != nil {
				text = c.sourceText(*d.Context)
			}
			d.Summary, d.Detail = fmt.Sprintf("%s fails for every contact: %s", text, why), typeHint(want, d.Detail)
		}
	}
	c.add(diags...)
	if diags.HasErrors() {
		return false
	}
	if want == cty.Bool && val.Type() != cty.Bool && val.Type() != cty.DynamicPseudoType {
		c.add(lang.Errorf(lang.RuleType, e.Range,
			fmt.Sprintf("%s must be true or false, but this is %s", what, words.FriendlyType(val.Type())),
			"compare it, e.g. contact.points > 10, or test a tag with has_tag(tag.NAME)"))
		return false
	}
	return c.lowered(e)
}

// lowered compiles a checked expression for the plan.
func (c *compiler) lowered(e *lang.Expr) bool {
	lowered := c.lowerExpr(e)
	if lowered == nil {
		return false
	}
	c.prog.exprs[e] = lowered
	return true
}

// plainTemplate reports a template made only of literal text and
// interpolations of contact fields that are text, numbers, bools or dates:
// every contact renders it.
func (c *compiler) plainTemplate(x hclsyntax.Expression) bool {
	switch t := x.(type) {
	case *hclsyntax.LiteralValueExpr:
		return t.Val.Type().IsPrimitiveType()
	case *hclsyntax.TemplateWrapExpr:
		return c.plainTemplate(t.Wrapped)
	case *hclsyntax.TemplateExpr:
		for _, part := range t.Parts {
			if !c.plainTemplate(part) {
				return false
			}
		}
		return true
	case *hclsyntax.ScopeTraversalExpr:
		if len(t.Traversal) != 2 {
			return false
		}
		a, ok := t.Traversal[1].(hcl.TraverseAttr)
		switch t.Traversal.RootName() {
		case "contact":
			f := c.prog.Fields[a.Name]
			return ok && f != nil && f.CtyType().IsPrimitiveType()
		case kinds.OwnerWord:
			return ok && slices.Contains(kinds.OwnerAttrs(), a.Name)
		}
		return false
	}
	return false
}

// argumentHints say how to write a function's argument, by the
// parameter's name in plan.Functions.
var argumentHints = map[string]string{
	"date":     `give a date: a date or datetime field, today(), now(), or a date such as "2026-07-04" or "2026-07-04T09:00"`,
	"duration": `write a duration as "30m", "4h", "2d", "1w" or "1d10h", with a "-" before it to go back`,
}

var invalidArgument = regexp.MustCompile(`^Invalid value for "(\w+)" parameter`)

func typeHint(want cty.Type, detail string) string {
	if m := invalidArgument.FindStringSubmatch(detail); m != nil && argumentHints[m[1]] != "" {
		return argumentHints[m[1]]
	}
	if want == cty.Bool {
		return "conditions compare fields of matching types, e.g. contact.points > 10"
	}
	return "check the field's declared type"
}

// checkTraversal resolves contact.FIELD and KIND.NAME inside an expression.
func (c *compiler) checkTraversal(b *lang.Block, attr string, trav hcl.Traversal) bool {
	root := trav.RootName()
	rng := trav.SourceRange()
	name := ""
	if len(trav) > 1 {
		if a, ok := trav[1].(hcl.TraverseAttr); ok {
			name = a.Name
		}
	}
	if root == "event" {
		if name == "" {
			c.add(lang.Errorf(lang.RuleType, rng, "use one property of the event, event.NAME", "e.g. event.amount"))
			return false
		}
		_, ok := c.eventProperty(name, rng)
		return ok
	}
	if root == "contact" {
		if name == "" {
			c.add(lang.Errorf(lang.RuleType, rng, "use one field of the contact, contact.FIELD", "e.g. contact.first_name"))
			return false
		}
		if c.prog.Fields[name] != nil {
			return true
		}
		hint := fmt.Sprintf(`declare it: field %q { type = string }`, name)
		if s := c.prog.closestName("field", name); s != "" {
			hint = fmt.Sprintf("did you mean contact.%s?", s)
		}
		c.add(lang.Errorf(lang.RuleUnknownReference, rng, fmt.Sprintf("the contact has no field %q", name), hint))
		return false
	}
	if root == kinds.OwnerWord {
		return c.checkOwnerAttr(name, rng)
	}
	if kinds.LookupDeclaration(root) == nil || name == "" {
		roots := []string{"contact", "event", kinds.OwnerWord}
		for _, k := range kinds.Declarations() {
			if k.Name != "event" {
				roots = append(roots, k.Name)
			}
		}
		hint := "expressions read contact.FIELD, or name a declaration such as tag.customer"
		if s := suggest.Closest(root, roots); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
		c.add(lang.Errorf(lang.RuleUnknownReference, rng, fmt.Sprintf("there is no %q here", root), hint))
		return false
	}
	r := &lang.Ref{Parts: []string{root, name}, Range: rng}
	return c.resolveRef(b, attr, &kinds.Attr{Name: attr, Targets: []string{root}}, r) != nil
}

// checkOwnerAttr resolves owner.NAME: what an expression may read of the
// contact's owner, a user.
func (c *compiler) checkOwnerAttr(name string, rng hcl.Range) bool {
	attrs := kinds.OwnerAttrs()
	if slices.Contains(attrs, name) {
		return true
	}
	var known []string
	for _, a := range attrs {
		known = append(known, kinds.OwnerWord+"."+a)
	}
	hint := "read " + words.JoinOr(known)
	if s := suggest.Closest(name, attrs); s != "" {
		hint = fmt.Sprintf("did you mean owner.%s?", s)
	}
	if name == "" {
		c.add(lang.Errorf(lang.RuleType, rng, "use one attribute of the contact's owner, owner.NAME", hint))
		return false
	}
	c.add(lang.Errorf(lang.RuleUnknownReference, rng, fmt.Sprintf("the contact's owner (a user) has no %q", name), hint))
	return false
}

// expressions type-checks the conditions, templates and field values of an
// attribute.
func (c *compiler) expressions(b *lang.Block, spec *kinds.Attr, v lang.Value) {
	switch spec.Type {
	case kinds.Condition:
		if e, ok := v.(*lang.Expr); ok {
			c.checkExpr(b, spec.Name, e, cty.Bool, spec.Name)
		}
	case kinds.Template:
		if e, ok := v.(*lang.Expr); ok {
			c.checkExpr(b, spec.Name, e, cty.String, spec.Name)
		}
	case kinds.FieldValues:
		m, ok := v.(*lang.Map)
		if !ok {
			return
		}
		for _, entry := range m.Entries {
			f := c.prog.Fields[entry.Key]
			if f == nil {
				ref := &lang.Ref{Parts: []string{"field", entry.Key}, Range: entry.KeyRange}
				d := c.unknown(ref)
				d.Summary = fmt.Sprintf("the contact has no field %q", entry.Key)
				c.add(d)
				continue
			}
			e, ok := entry.Value.(*lang.Expr)
			if !ok || !c.checkExpr(b, spec.Name, e, f.CtyType(), entry.Key) {
				continue
			}
			if date := relativeDate(e.Native); date != nil && f.Type != "date" && f.Type != "datetime" {
				call := c.sourceText(date.Range())
				c.add(lang.Errorf(lang.RuleType, e.Range,
					fmt.Sprintf("%s is a %s field; %s is a date, which only a date or datetime field holds", f.Name, f.Type, call),
					fmt.Sprintf("set a date field (declare one with type = date), or write the date into text with format(\"%%s\", %s)", call)))
				continue
			}
			if val, diags := e.Native.Value(c.evalContext()); !diags.HasErrors() {
				if msg, hint := fieldValueProblem(f, val); msg != "" {
					c.add(lang.Errorf(lang.RuleType, e.Range, msg, hint))
				}
			}
		}
	}
}

// relativeDate returns the call of today() or date_add that an
// expression's value is (also through parentheses, either result of a
// conditional, and coalesce), or nil.
func relativeDate(x hclsyntax.Expression) hclsyntax.Expression {
	switch t := x.(type) {
	case *hclsyntax.ParenthesesExpr:
		return relativeDate(t.Expression)
	case *hclsyntax.ConditionalExpr:
		if date := relativeDate(t.TrueResult); date != nil {
			return date
		}
		return relativeDate(t.FalseResult)
	case *hclsyntax.FunctionCallExpr:
		switch t.Name {
		case "today", "date_add":
			return t
		case "coalesce":
			for _, arg := range t.Args {
				if date := relativeDate(arg); date != nil {
					return date
				}
			}
		}
	}
	return nil
}

// fieldValueProblem says why a value cannot be stored in a field ("" when
// it can).
func fieldValueProblem(f *Field, v cty.Value) (msg, hint string) {
	want := f.CtyType()
	if v.Type() == cty.DynamicPseudoType {
		return "", ""
	}
	conv, err := convert.Convert(v, want)
	if err != nil {
		return fmt.Sprintf("%s is a %s field; this value is %s", f.Name, f.Type, words.FriendlyType(v.Type())),
			fmt.Sprintf("give a %s value", f.Type)
	}
	if !conv.IsKnown() || conv.IsNull() || (f.Type != "date" && f.Type != "datetime") {
		return "", ""
	}
	s := conv.AsString()
	if s == "" {
		return "", ""
	}
	_, hasTime, err := ParseDateTime(s)
	switch {
	case err != nil:
		return fmt.Sprintf("%s is a %s field; %q is not a date", f.Name, f.Type, s),
			`write a date such as "2026-07-04" (or a date-time "2026-07-04T09:00:00" for datetime fields)`
	case hasTime && f.Type == "date":
		return fmt.Sprintf("%s is a date field; %q has a time", f.Name, s), `write the date alone, such as "2026-07-04"`
	}
	return "", ""
}
