package lang

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang/kinds"
)

// shallowValue is value for an expression no deeper than
// MaxExpressionDepth. A deeper one is reported and not decoded: decoding,
// type-checking and compiling it all recurse through it.
func (d *decoder) shallowValue(a *kinds.Attr, expr hcl.Expression) Value {
	if native, ok := expr.(hclsyntax.Expression); ok {
		if diag := d.depth.tooDeep(native); diag != nil {
			d.add(diag)
			return nil
		}
	}
	return d.value(a, expr)
}

// value decodes an attribute's expression by the attribute's type. It
// returns nil, with a diagnostic, when the expression has the wrong shape.
func (d *decoder) value(a *kinds.Attr, expr hcl.Expression) Value {
	switch a.Type {
	case kinds.Number:
		return d.literal(a.Name, expr, cty.Number)
	case kinds.Bool:
		return d.literal(a.Name, expr, cty.Bool)
	case kinds.Any:
		return d.literal(a.Name, expr, cty.DynamicPseudoType)
	case kinds.Template:
		return d.template(a.Name, expr)
	case kinds.Condition:
		return d.expr(expr, true)
	case kinds.Weekdays:
		if kw := hcl.ExprAsKeyword(expr); kw != "" {
			return &Keyword{Name: kw, Range: expr.Range()}
		}
		return d.list(a.Name, expr, func(e hcl.Expression) Value { return d.literal(a.Name, e, cty.String) })
	case kinds.Window, kinds.StringList, kinds.EmailList, kinds.RuleNames:
		return d.list(a.Name, expr, func(e hcl.Expression) Value { return d.literal(a.Name, e, cty.String) })
	case kinds.NumberList:
		return d.list(a.Name, expr, func(e hcl.Expression) Value { return d.literal(a.Name, e, cty.Number) })
	case kinds.StringMap:
		return d.object(a.Name, expr, func(e hcl.Expression) Value { return d.literal(a.Name, e, cty.String) })
	case kinds.FieldValues:
		return d.object(a.Name, expr, func(e hcl.Expression) Value { return d.expr(e, true) })
	case kinds.Ref, kinds.Next, kinds.EventProperty:
		return d.ref(a.Name, expr, 2)
	case kinds.Address:
		return d.ref(a.Name, expr, 0)
	case kinds.RefList, kinds.NextList:
		return d.list(a.Name, expr, func(e hcl.Expression) Value { return d.ref(a.Name, e, 2) })
	case kinds.RefOrString:
		if a.Owner {
			if v, done := d.ownerWord(a, expr); done {
				return v
			}
		}
		if _, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() && len(expr.Variables()) > 0 {
			return d.ref(a.Name, expr, 2)
		}
		return d.literal(a.Name, expr, cty.String)
	case kinds.Event:
		return d.event(a.Name, expr)
	case kinds.FieldType:
		if kw := hcl.ExprAsKeyword(expr); kw != "" {
			return &Keyword{Name: kw, Range: expr.Range()}
		}
		if call, diags := hcl.ExprCall(expr); !diags.HasErrors() && len(call.Arguments) == 1 {
			if kw := hcl.ExprAsKeyword(call.Arguments[0]); kw != "" {
				return &Keyword{Name: call.Name + "(" + kw + ")", Range: expr.Range()}
			}
		}
		d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must be a type keyword", a.Name),
			"write one of "+strings.Join(kinds.FieldTypes(), ", ")+" without quotes, e.g. type = date"))
		return nil
	default: // every string-shaped type: durations, times, dates, zones, enums...
		return d.literal(a.Name, expr, cty.String)
	}
}

// ownerWord reads the bare word owner of an attribute that takes it (to =
// owner). Another bare word in the native syntax is reported, since it is
// neither a reference nor a string; done is false for anything else.
func (d *decoder) ownerWord(a *kinds.Attr, expr hcl.Expression) (Value, bool) {
	kw := hcl.ExprAsKeyword(expr)
	if kw == kinds.OwnerWord {
		return &Keyword{Name: kw, Range: expr.Range()}, true
	}
	if _, native := expr.(*hclsyntax.ScopeTraversalExpr); !native || kw == "" {
		return nil, false
	}
	hint := fmt.Sprintf("write %s.NAME, owner (the contact's owner) or a quoted string", a.Targets[0])
	if suggest.Closest(kw, []string{kinds.OwnerWord}) != "" {
		hint = "did you mean owner?"
	}
	d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must be a %s.NAME, owner or a string, not %s", a.Name, a.Targets[0], kw), hint))
	return nil, true
}

// literal decodes a constant of the wanted type.
func (d *decoder) literal(name string, expr hcl.Expression, want cty.Type) Value {
	if v, ok := plainLiteral(expr); ok && (v.Type() == want || want == cty.DynamicPseudoType) {
		return &Literal{Val: v, Range: expr.Range()}
	}
	if vars := expr.Variables(); len(vars) > 0 {
		d.add(Errorf(RuleType, expr.Range(),
			fmt.Sprintf("%s must be a literal %s, not an expression", name, typeName(want)),
			fmt.Sprintf("write the value itself, e.g. %s", sampleOf(want))))
		return nil
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		d.add(tagRule(diags, RuleType)...)
		return nil
	}
	if v.IsNull() {
		d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must not be null", name), "remove the attribute to use its default"))
		return nil
	}
	if want != cty.DynamicPseudoType && !v.Type().Equals(want) {
		conv, err := convert.Convert(v, want)
		if err != nil || (want == cty.String && !v.Type().IsPrimitiveType()) {
			d.add(Errorf(RuleType, expr.Range(),
				fmt.Sprintf("%s must be a %s, not %s", name, typeName(want), words.FriendlyType(v.Type())),
				fmt.Sprintf("write %s = %s", name, sampleOf(want))))
			return nil
		}
		v = conv
	}
	return &Literal{Val: v, Range: expr.Range()}
}

// plainLiteral is the value of a native-syntax number, bool or quoted
// string without interpolation: most attributes of a workspace, read here
// without evaluating the expression.
func plainLiteral(expr hcl.Expression) (cty.Value, bool) {
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		if !e.Val.IsNull() && e.Val.IsKnown() {
			return e.Val, true
		}
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) != 1 {
			break
		}
		if lit, ok := e.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && !lit.Val.IsNull() && lit.Val.IsKnown() {
			return lit.Val, true
		}
	}
	return cty.NilVal, false
}

func (d *decoder) list(name string, expr hcl.Expression, item func(hcl.Expression) Value) Value {
	exprs, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must be a list", name), fmt.Sprintf("write %s = [ ... ]", name)))
		return nil
	}
	l := &List{Range: expr.Range()}
	for _, e := range exprs {
		if v := item(e); v != nil {
			l.Items = append(l.Items, v)
		}
	}
	return l
}

func (d *decoder) object(name string, expr hcl.Expression, item func(hcl.Expression) Value) Value {
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must be an object", name), fmt.Sprintf(`write %s = { key = "value" }`, name)))
		return nil
	}
	m := &Map{Range: expr.Range()}
	for _, p := range pairs {
		key := hcl.ExprAsKeyword(p.Key)
		if key == "" {
			if v, diags := p.Key.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				key = v.AsString()
			}
		}
		if key == "" {
			d.add(Errorf(RuleType, p.Key.Range(), fmt.Sprintf("the keys of %s must be names", name), `write name = value, e.g. plan = "pro"`))
			continue
		}
		if v := item(p.Value); v != nil {
			m.Entries = append(m.Entries, MapEntry{Key: key, KeyRange: p.Key.Range(), Value: v})
		}
	}
	return m
}

// ref decodes a reference; parts > 0 demands exactly that many names.
func (d *decoder) ref(name string, expr hcl.Expression, parts int) Value {
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		if inner, ok := jsonInterpolation(expr); ok {
			trav, diags = hclsyntax.ParseTraversalAbs([]byte(inner), expr.Range().Filename, expr.Range().Start)
		}
	}
	if diags.HasErrors() {
		hint := "write a reference such as tag.customer, without quotes"
		if s, ok := stringLiteral(expr); ok {
			hint = fmt.Sprintf("write %s without quotes", s)
		}
		if _, native := expr.(hclsyntax.Expression); !native {
			hint = `in JSON, write the reference as a string: "tag.customer"`
		}
		d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must be a reference KIND.NAME", name), hint))
		return nil
	}
	r := &Ref{Range: trav.SourceRange(), Parts: make([]string, 0, len(trav))}
	if _, native := expr.(hclsyntax.Expression); !native {
		// HCL's JSON syntax reads the string's text from the opening
		// quote on, so its range is the text's length shifted by the
		// quote (and the "${"): the string itself is the place.
		r.Range = expr.Range()
	}
	for _, step := range trav {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			r.Parts = append(r.Parts, s.Name)
		case hcl.TraverseAttr:
			r.Parts = append(r.Parts, s.Name)
		default:
			d.add(Errorf(RuleType, step.SourceRange(), fmt.Sprintf("%s must be a plain reference KIND.NAME, without indexes", name), "remove the [ ... ]"))
			return nil
		}
	}
	if parts > 0 && len(r.Parts) != parts {
		d.add(Errorf(RuleType, r.Range, fmt.Sprintf("%s must be a reference KIND.NAME, not %s", name, r.String()),
			"a reference has two parts, such as tag.customer or wait.one_day"))
		return nil
	}
	return r
}

// jsonInterpolation returns X of a JSON string "${X}", the way HCL's JSON
// syntax writes expressions, for attributes that take a reference or an
// event (where the plain "tag.x" form works too).
func jsonInterpolation(expr hcl.Expression) (string, bool) {
	if _, native := expr.(hclsyntax.Expression); native {
		return "", false
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
		return "", false
	}
	s := strings.TrimSpace(v.AsString())
	if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1 {
		return strings.TrimSpace(s[2 : len(s)-1]), true
	}
	return "", false
}

func stringLiteral(expr hcl.Expression) (string, bool) {
	if t, ok := expr.(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() {
		v, _ := t.Value(nil)
		return v.AsString(), true
	}
	return "", false
}

// event decodes an event call by the table of events.
func (d *decoder) event(name string, expr hcl.Expression) Value {
	call, diags := hcl.ExprCall(expr)
	if diags.HasErrors() {
		if inner, ok := jsonInterpolation(expr); ok {
			if diag := parseNestingError([]byte(inner), expr.Range().Filename, expr.Range().Start, expressionSyntax); diag != nil {
				d.add(diag)
				return nil
			}
			if parsed, pd := hclsyntax.ParseExpression([]byte(inner), expr.Range().Filename, expr.Range().Start); !pd.HasErrors() {
				if diag := d.depth.tooDeep(parsed); diag != nil {
					d.add(diag)
					return nil
				}
				call, diags = hcl.ExprCall(parsed)
			}
		}
	}
	if diags.HasErrors() {
		d.add(Errorf(RuleType, expr.Range(), fmt.Sprintf("%s must be an event such as tag_added(tag.NAME)", name),
			"events: "+eventNames()))
		return nil
	}
	c := &Call{Name: call.Name, NameRange: call.NameRange, Range: expr.Range()}
	ev := kinds.LookupEvent(call.Name)
	if ev == nil {
		hint := "events: " + eventNames()
		if s := suggest.Closest(call.Name, eventNameList()); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
		d.add(Errorf(RuleSchema, call.NameRange, fmt.Sprintf("there is no event %q", call.Name), hint))
		return nil
	}
	required := 0
	for _, p := range ev.Params {
		if p.Required {
			required++
		}
	}
	if len(call.Arguments) < required || len(call.Arguments) > len(ev.Params) {
		d.add(Errorf(RuleSchema, call.ArgsRange,
			fmt.Sprintf("%s takes %s, not %d", ev.Name, paramList(ev), len(call.Arguments)),
			fmt.Sprintf("write %s(%s)", ev.Name, paramSample(ev))))
		return nil
	}
	for i, arg := range call.Arguments {
		v := d.value(&ev.Params[i], arg)
		if v == nil {
			return nil
		}
		c.Args = append(c.Args, v)
	}
	return c
}

// template decodes a message text: an inline template, or template("file")
// read from beside the workspace.
func (d *decoder) template(name string, expr hcl.Expression) Value {
	if call, diags := hcl.ExprCall(expr); !diags.HasErrors() && call.Name == "template" {
		if len(call.Arguments) != 1 {
			d.add(Errorf(RuleSchema, call.ArgsRange, "template takes one argument, the file's path", `write template("welcome.html")`))
			return nil
		}
		lit, ok := d.literal("template's path", call.Arguments[0], cty.String).(*Literal)
		if !ok {
			return nil
		}
		return d.templateFile(lit.Val.AsString(), expr.Range())
	}
	return d.expr(expr, false)
}

func (d *decoder) templateFile(rel string, at hcl.Range) Value {
	name := path.Join(d.dir, rel)
	if !fs.ValidPath(name) || strings.HasPrefix(rel, "/") {
		d.add(Errorf(RuleInvalidValue, at, fmt.Sprintf("template path %q leaves the workspace", rel),
			"give a path relative to the workspace directory, inside it"))
		return nil
	}
	src, diag := readSource(d.fsys, name, false)
	if diag != nil {
		// The template() call is what is wrong: a path to nothing, or to a
		// file that is not text.
		diag.Subject = at.Ptr()
		diag.Extra = &DiagInfo{Rule: RuleInvalidValue}
		d.add(diag)
		return nil
	}
	d.templates = append(d.templates, &File{Name: name, Src: src})
	if diag := parseNestingError(src, name, hcl.InitialPos, templateSyntax); diag != nil {
		d.add(diag)
		return nil
	}
	tmpl, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
	d.add(tagRule(diags, RuleSyntax)...)
	if diags.HasErrors() {
		return nil
	}
	if diag := d.depth.tooDeep(tmpl); diag != nil {
		d.add(diag)
		return nil
	}
	return &Expr{Native: tmpl, Range: tmpl.Range()}
}

// expr returns the native-syntax tree of an expression; for the JSON
// syntax a string is parsed as a template, and unwrap turns "${x}" into x.
func (d *decoder) expr(expr hcl.Expression, unwrap bool) Value {
	native, diags := NativeExpr(expr, unwrap)
	d.add(tagRule(diags, RuleSyntax)...)
	if native == nil {
		return nil
	}
	if _, parsed := expr.(hclsyntax.Expression); !parsed {
		// A JSON string parsed here; an expression of the native syntax
		// was measured before it was decoded.
		if diag := d.depth.tooDeep(native); diag != nil {
			d.add(diag)
			return nil
		}
	}
	return &Expr{Native: native, Range: expr.Range()}
}

// NativeExpr returns the native-syntax tree of an expression from either
// syntax.
func NativeExpr(expr hcl.Expression, unwrap bool) (hclsyntax.Expression, hcl.Diagnostics) {
	if e, ok := expr.(hclsyntax.Expression); ok {
		return e, nil
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	r := expr.Range()
	if v.Type() != cty.String || v.IsNull() {
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: r}, nil
	}
	start := hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
	if diag := parseNestingError([]byte(v.AsString()), r.Filename, start, templateSyntax); diag != nil {
		return nil, hcl.Diagnostics{diag}
	}
	tmpl, diags := hclsyntax.ParseTemplate([]byte(v.AsString()), r.Filename, start)
	if diags.HasErrors() {
		return nil, diags
	}
	if w, ok := tmpl.(*hclsyntax.TemplateWrapExpr); ok && unwrap {
		return w.Wrapped, nil
	}
	return tmpl, nil
}

func eventNameList() []string {
	var names []string
	for _, e := range kinds.Events() {
		names = append(names, e.Name)
	}
	return names
}

func eventNames() string { return strings.Join(eventNameList(), ", ") }

func paramList(ev *kinds.EventKind) string {
	if len(ev.Params) == 0 {
		return "no arguments"
	}
	var names []string
	for _, p := range ev.Params {
		n := p.Name
		if !p.Required {
			n += " (optional)"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

func paramSample(ev *kinds.EventKind) string {
	var parts []string
	for _, p := range ev.Params {
		if p.Required {
			parts = append(parts, example(p))
		}
	}
	return strings.Join(parts, ", ")
}

func typeName(t cty.Type) string {
	switch {
	case t == cty.String:
		return "string"
	case t == cty.Number:
		return "number"
	case t == cty.Bool:
		return "bool"
	}
	return "value"
}

func sampleOf(t cty.Type) string {
	switch t {
	case cty.Number:
		return "50"
	case cty.Bool:
		return "true"
	}
	return `"text"`
}
