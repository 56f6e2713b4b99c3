package compiler

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Event properties: event.NAME reads a property of "the event", which
// depends on where it is written (docs/language.md, "Event properties"):
// a trigger's or goal's where and key read that element's own event, a
// rule's if and actions the rule's event, every other element of a
// campaign the event that brought the contact onto its path (the
// triggers and goals that lead to it), and a message the events of every
// place that sends it. So a value that reads event is checked once the
// graph says which events those are: walk defers it (deferScoped), and
// the campaign, the rules and the messages check it in their scope.

// eventSource is one event that may be "the event" at a place.
type eventSource struct {
	// via names where the event comes from, for messages: `trigger
	// "booked"`, `rule "paid"`.
	via string
	// call is the event as written: api("appointment_booked").
	call string
	// props are the properties it carries, by name: their types.
	props map[string]string
	// declare says how to declare another property of it, NAME standing
	// for the property's name ("" when its properties are the language's
	// own).
	declare string
}

// eventScope is what event.NAME may read at a place: the events that may
// be the event there, every one of which must carry the property.
type eventScope struct {
	sources []eventSource
	// none says why there is no event at all here (sources is empty).
	none string
	// unchecked: a message nothing sends; its properties cannot be known
	// and are read as text.
	unchecked bool
}

// scoped is a value that reads event, checked in its scope later.
type scoped struct {
	b    *lang.Block
	spec *kinds.Attr
	v    lang.Value
}

// readsEvent reports a value that reads a property of the event: an
// event.NAME attribute (key, until_event), or an expression that
// mentions event.
func readsEvent(spec *kinds.Attr, v lang.Value) bool {
	switch spec.Type {
	case kinds.EventProperty:
		return true
	case kinds.Condition, kinds.Template:
		e, ok := v.(*lang.Expr)
		return ok && exprReadsEvent(e)
	case kinds.FieldValues:
		m, ok := v.(*lang.Map)
		if !ok {
			return false
		}
		for _, entry := range m.Entries {
			if e, ok := entry.Value.(*lang.Expr); ok && exprReadsEvent(e) {
				return true
			}
		}
	}
	return false
}

func exprReadsEvent(e *lang.Expr) bool {
	for _, t := range variables(e.Native) {
		if t.RootName() == "event" {
			return true
		}
	}
	return false
}

// declaredProperties are the properties a declaration's property blocks
// declare, by name: their type keywords.
func declaredProperties(decl *lang.Block) map[string]string {
	out := map[string]string{}
	if decl == nil {
		return out
	}
	for _, pb := range decl.Nested("property") {
		a := pb.Attr("type")
		if a == nil {
			continue
		}
		if kw, ok := a.Value.(*lang.Keyword); ok && slices.Contains(kinds.FieldTypes(), kw.Name) {
			if _, dup := out[pb.Name]; !dup {
				out[pb.Name] = kw.Name
			}
		}
	}
	return out
}

// properties reports property blocks declared twice in one declaration.
func (c *compiler) properties() {
	for _, kind := range []string{"event", "form"} {
		for _, b := range c.prog.Workspace.Of(kind) {
			seen := map[string]*lang.Block{}
			for _, pb := range b.Nested("property") {
				if first := seen[pb.Name]; first != nil {
					c.add(lang.Errorf(lang.RuleDuplicateName, pb.DefRange,
						fmt.Sprintf("%s declares the property %q twice", lang.Describe(b), pb.Name),
						"remove one of them", lang.Related{Message: "first declared here", Range: first.DefRange}))
					continue
				}
				seen[pb.Name] = pb
			}
		}
	}
}

// eventDeclaration is the event declaration of an api event's name, or
// nil.
func (c *compiler) eventDeclaration(call *lang.Call) *lang.Block {
	if call == nil || call.Name != "api" || len(call.Args) != 1 {
		return nil
	}
	lit, ok := call.Args[0].(*lang.Literal)
	if !ok || lit.Val.Type() != cty.String {
		return nil
	}
	return c.prog.Decls["event"][lit.Val.AsString()]
}

// sourceOf is the event an element or rule listens for, as a source of
// properties: its kind's own and what its declaration declares.
func (c *compiler) sourceOf(b *lang.Block, attr string, call *lang.Call) eventSource {
	return c.sourceWith(b, call, c.prog.Target(b, attr))
}

// sourceWith is sourceOf with the declaration the call names (a form)
// given.
func (c *compiler) sourceWith(b *lang.Block, call *lang.Call, target *lang.Block) eventSource {
	src := eventSource{via: lang.Describe(b), call: c.sourceText(call.Range), props: map[string]string{}}
	ev := kinds.LookupEvent(call.Name)
	if ev == nil {
		return src
	}
	for _, p := range ev.Properties {
		src.props[p.Name] = p.Type
	}
	var decl *lang.Block
	switch ev.PropertiesFrom {
	case "event":
		decl = c.eventDeclaration(call)
		if lit, ok := call.Args[0].(*lang.Literal); ok && lit.Val.Type() == cty.String {
			src.declare = fmt.Sprintf(`event %q { property "NAME" { type = string } }`, lit.Val.AsString())
		}
	case "form":
		decl = target
		if decl != nil {
			src.declare = fmt.Sprintf(`a property "NAME" { type = string } block in form %q`, decl.Name)
		}
	}
	maps.Copy(src.props, declaredProperties(decl))
	return src
}

// deferScoped keeps a value that reads event for its scope's check.
func (c *compiler) deferScoped(b *lang.Block, spec *kinds.Attr, v lang.Value) {
	c.deferred = append(c.deferred, scoped{b: b, spec: spec, v: v})
}

// inScope checks a deferred value with event.NAME read in scope.
func (c *compiler) inScope(scope *eventScope, s scoped, done func(propType string)) {
	c.scope = scope
	defer func() { c.scope = nil }()
	if s.spec.Type != kinds.EventProperty {
		c.expressions(s.b, s.spec, s.v)
		return
	}
	r, ok := s.v.(*lang.Ref)
	if !ok {
		return
	}
	if r.Kind() != "event" {
		c.add(lang.Errorf(lang.RuleType, r.Range,
			fmt.Sprintf("%s of %s must be a property of the event, event.NAME, not %s", s.spec.Name, lang.Describe(s.b), r),
			"write event.NAME, a property the event carries"))
		return
	}
	if typ, ok := c.eventProperty(r.Name(), r.Range); ok && done != nil {
		done(typ)
	}
}

// eventProperty resolves event.NAME in the current scope: its type, or a
// finding that says why it cannot be read here.
func (c *compiler) eventProperty(name string, rng hcl.Range) (string, bool) {
	scope := c.scope
	if scope == nil || scope.unchecked {
		return "string", true
	}
	if len(scope.sources) == 0 {
		c.add(lang.Errorf(lang.RuleUnknownReference, rng,
			fmt.Sprintf("event.%s cannot be read here: %s", name, scope.none),
			"read a contact field instead, or read event.NAME in a campaign after the trigger whose event carries it"))
		return "", false
	}
	var carriers, lacking []eventSource
	for _, src := range scope.sources {
		if _, ok := src.props[name]; ok {
			carriers = append(carriers, src)
		} else {
			lacking = append(lacking, src)
		}
	}
	if len(carriers) == 0 {
		c.add(c.unknownProperty(name, rng, scope.sources[0]))
		return "", false
	}
	if len(lacking) > 0 {
		l := lacking[0]
		hint := "read it only on paths whose events all carry it"
		if l.declare != "" {
			hint += ", or declare it: " + strings.ReplaceAll(l.declare, "NAME", name)
		}
		c.add(lang.Errorf(lang.RuleUnknownReference, rng,
			fmt.Sprintf("event.%s is not carried by %s, the event of %s, which leads here", name, l.call, l.via), hint))
		return "", false
	}
	typ := carriers[0].props[name]
	for _, src := range carriers[1:] {
		if other := src.props[name]; other != typ {
			c.add(lang.Errorf(lang.RuleType, rng,
				fmt.Sprintf("event.%s is a %s in %s (%s) and a %s in %s (%s), which both lead here", name, typ, carriers[0].call, carriers[0].via, other, src.call, src.via),
				"declare the property with one type in both"))
			return "", false
		}
	}
	return typ, true
}

// unknownProperty reports a property the event does not carry, with the
// closest one it does.
func (c *compiler) unknownProperty(name string, rng hcl.Range, src eventSource) *hcl.Diagnostic {
	names := slices.Sorted(maps.Keys(src.props))
	hint := ""
	switch {
	case len(names) > 0:
		if s := suggest.Closest(name, names); s != "" {
			hint = fmt.Sprintf("did you mean event.%s?", s)
		} else {
			hint = "it carries " + words.JoinOr(prefixed("event.", names))
		}
		if src.declare != "" {
			hint += "; or declare it: " + strings.ReplaceAll(src.declare, "NAME", name)
		}
	case src.declare != "":
		hint = "declare it: " + strings.ReplaceAll(src.declare, "NAME", name)
	default:
		hint = "this event carries no properties; read a contact field instead"
	}
	return lang.Errorf(lang.RuleUnknownReference, rng,
		fmt.Sprintf("%s (the event of %s) carries no property %q", src.call, src.via, name), hint)
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// eventVariable is the event as the type check sees it in the current
// scope: every property all of its events carry, of its type, unknown.
func (c *compiler) eventVariable() cty.Value {
	attrs := map[string]cty.Value{}
	if c.scope == nil || len(c.scope.sources) == 0 {
		return cty.DynamicVal
	}
	for name, typ := range c.scope.sources[0].props {
		same := true
		for _, src := range c.scope.sources[1:] {
			same = same && src.props[name] == typ
		}
		if same {
			attrs[name] = cty.UnknownVal(plan.FieldCtyType(typ))
		}
	}
	return cty.ObjectVal(attrs)
}

// evalContext is the context expressions are type-checked in: the
// contact and the declarations, and the event in scope.
func (c *compiler) evalContext() *hcl.EvalContext {
	if c.scope == nil {
		return c.exprs.ctx
	}
	child := c.exprs.ctx.NewChild()
	child.Variables = map[string]cty.Value{"event": c.eventVariable()}
	return child
}

// propertyType is the type event.NAME is lowered with: the scope's.
func (c *compiler) propertyType(name string) string {
	if c.scope == nil || c.scope.unchecked || len(c.scope.sources) == 0 {
		return "string"
	}
	if t := c.scope.sources[0].props[name]; t != "" {
		return t
	}
	return "string"
}

// campaignScopes checks the deferred values of a campaign's elements once
// its graph is built: each in the scope of its element.
func (c *compiler) campaignScopes(camp *Campaign, items []scoped) {
	if len(items) == 0 {
		return
	}
	reach := entriesReaching(camp)
	keyed := false
	for _, el := range camp.Elements {
		keyed = keyed || el.Kind.Name == "trigger" && el.Block.Has("key")
	}
	for _, s := range items {
		el := owningElement(camp, s.b)
		if el == nil {
			continue
		}
		scope := c.elementScope(el, reach[el])
		c.inScope(scope, s, func(typ string) { c.eventValue(el, s, typ, keyed) })
	}
}

// elementScope is what event means on an element: a trigger's or goal's
// own event, else the events of the entries that lead to it.
func (c *compiler) elementScope(el *Element, entries []*Element) *eventScope {
	if el.Kind.Has(kinds.Entry) {
		entries = []*Element{el}
	}
	scope := &eventScope{none: fmt.Sprintf("no trigger or goal of campaign %q leads to %s, so no event is known there", el.Campaign.Name, lang.Describe(el.Block))}
	for _, entry := range entries {
		if call := entry.Block.Call("on"); call != nil {
			scope.sources = append(scope.sources, c.sourceOf(entry.Block, "on", call))
		}
	}
	return scope
}

// eventValue finishes an event.NAME attribute of an element once its
// property's type is known: a key tells entries apart, a date is a timer.
func (c *compiler) eventValue(el *Element, s scoped, typ string, keyed bool) {
	r := s.v.(*lang.Ref)
	switch s.spec.Name {
	case "key":
		if typ != "string" && typ != "number" {
			c.add(lang.Errorf(lang.RuleType, r.Range,
				fmt.Sprintf("the key event.%s is a %s property; a key names one entry, such as an appointment's id", r.Name(), typ),
				"use a string or number property that identifies the entry"))
			return
		}
		if el.Kind.Name != "trigger" && !keyed {
			c.add(lang.Errorf(lang.RuleSchema, r.Range,
				fmt.Sprintf("%s has a key, but no trigger of campaign %q has one: its contacts are on it once each, with no key to match", lang.Describe(el.Block), el.Campaign.Name),
				"give the campaign's triggers a key (key = event.NAME), or remove this one"))
		}
	case "until_event":
		if typ != "date" && typ != "datetime" {
			c.add(lang.Errorf(lang.RuleType, r.Range,
				fmt.Sprintf("until_event must be a date or datetime property; event.%s is a %s", r.Name(), typ),
				"declare the property with type = date or type = datetime, or wait on another"))
			return
		}
		if el.Timer == nil {
			return
		}
		b := s.b
		ed := &plan.EventDate{Property: r.Name(), At: el.Timer.At}
		ed.Offset, _ = durationAttr(b, "offset")
		if ed.At == "" && typ == "date" {
			ed.At = c.prog.Account.DefaultSendTime
		}
		el.Timer.UntilEvent = ed
	}
}

// owningElement is the element of the campaign a block is, or is inside.
func owningElement(camp *Campaign, b *lang.Block) *Element {
	for at := b; at != nil; at = at.Parent {
		if at.Parent == camp.Block {
			return camp.byName[at.Name]
		}
	}
	return nil
}

// entriesReaching lists, for each element of a campaign, the triggers and
// goals from which a contact can reach it, in the campaign's order.
func entriesReaching(camp *Campaign) map[*Element][]*Element {
	out := map[*Element][]*Element{}
	for _, entry := range camp.Elements {
		if !entry.Kind.Has(kinds.Entry) {
			continue
		}
		seen := map[*Element]bool{}
		queue := slices.Clone(entry.Next())
		for len(queue) > 0 {
			el := queue[0]
			queue = queue[1:]
			if seen[el] {
				continue
			}
			seen[el] = true
			out[el] = append(out[el], entry)
			queue = append(queue, el.Next()...)
		}
	}
	return out
}

// topBlock is the top-level block a block is inside.
func topBlock(b *lang.Block) *lang.Block {
	for b.Parent != nil {
		b = b.Parent
	}
	return b
}

// laterScopes checks the deferred values outside campaigns, once the
// rules and sequences are built: a rule's in the rule's event, a
// sequence's and a segment's with none, a message's in the events of
// every place that sends it.
func (c *compiler) laterScopes() {
	items := c.deferred
	c.deferred = nil
	if len(items) == 0 {
		return
	}
	rules := map[*lang.Block]*Rule{}
	for _, r := range c.prog.Rules {
		rules[r.Block] = r
	}
	sends := &sendScopes{c: c, reach: map[*Campaign]map[*Element][]*Element{}}
	for _, s := range items {
		top := topBlock(s.b)
		var scope *eventScope
		switch top.Type {
		case "campaign":
			continue // a duplicate campaign, reported already
		case "rule":
			scope = c.ruleScope(rules[top])
		case "sequence":
			scope = &eventScope{none: fmt.Sprintf("%s runs on its schedule, not on an event", lang.Describe(s.b))}
		case "segment":
			scope = &eventScope{none: fmt.Sprintf("%s is evaluated over the contact's record whenever the contact changes, not on an event", lang.Describe(top))}
		default:
			scope = sends.of(top)
		}
		c.inScope(scope, s, nil)
	}
}

func (c *compiler) ruleScope(r *Rule) *eventScope {
	scope := &eventScope{none: "the rule has no event"}
	if r == nil {
		return scope
	}
	if call := r.Block.Call("when"); call != nil {
		scope.sources = append(scope.sources, c.sourceOf(r.Block, "when", call))
	}
	return scope
}

// sendScopes finds the events in scope where a message is sent.
type sendScopes struct {
	c     *compiler
	reach map[*Campaign]map[*Element][]*Element
}

// of is the scope of a message (an email, a text, a task...): the events
// of every element, rule or step that sends it, each of which must carry
// what it reads.
func (ss *sendScopes) of(asset *lang.Block) *eventScope {
	c := ss.c
	scope := &eventScope{}
	senders := 0
	for _, use := range c.prog.Uses[asset] {
		from := use.From
		if from.Type != "step" && (from.Kind == nil || from.Kind.Class != kinds.Action) {
			continue // not a send: an event that names it, an expression
		}
		senders++
		top := topBlock(from)
		var sub *eventScope
		switch top.Type {
		case "campaign":
			camp := c.campaignOf(top)
			if camp == nil {
				continue
			}
			el := owningElement(camp, from)
			if el == nil {
				continue
			}
			if ss.reach[camp] == nil {
				ss.reach[camp] = entriesReaching(camp)
			}
			sub = c.elementScope(el, ss.reach[camp][el])
			for i := range sub.sources {
				sub.sources[i].via += fmt.Sprintf(" (campaign %q), which leads to %s", camp.Name, lang.Describe(from))
			}
		case "rule":
			for _, r := range c.prog.Rules {
				if r.Block == top {
					sub = c.ruleScope(r)
				}
			}
		case "sequence":
			return &eventScope{none: fmt.Sprintf("%s sends %s, and a sequence step runs on its schedule, not on an event", describeStep(from), lang.Describe(asset))}
		}
		if sub == nil {
			continue
		}
		if len(sub.sources) == 0 {
			return &eventScope{none: fmt.Sprintf("%s sends %s, and %s", lang.Describe(from), lang.Describe(asset), sub.none)}
		}
		scope.sources = append(scope.sources, sub.sources...)
	}
	if senders == 0 {
		scope.unchecked = true
	}
	sort.SliceStable(scope.sources, func(i, j int) bool { return scope.sources[i].via < scope.sources[j].via })
	return scope
}

func describeStep(b *lang.Block) string {
	if b.Type == "step" && b.Parent != nil {
		return fmt.Sprintf("step %q of sequence %q", b.Name, b.Parent.Name)
	}
	return lang.Describe(b)
}

// eventCallUse records that an api("NAME") event uses its declaration.
func (c *compiler) eventCallUse(b *lang.Block, attr string, call *lang.Call) {
	if decl := c.eventDeclaration(call); decl != nil {
		c.prog.Uses[decl] = append(c.prog.Uses[decl], Use{From: b, Attr: attr, Range: call.Args[0].SourceRange()})
	}
}
