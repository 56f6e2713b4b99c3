package compiler

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Scenarios resolves the scenarios of *.journeytest.hcl files against a
// compiled workspace. It only reads prog: a scenario's references are not
// uses of what they name (an email only a test mentions is still unused),
// so the rules may read prog while scenarios are checked. A scenario with
// an error is reported, not returned.
func Scenarios(prog *Program, tests *lang.Workspace) ([]plan.Scenario, hcl.Diagnostics) {
	view := scenarioView(prog)
	c := &compiler{prog: view, targets: view.targets, exprs: newExprChecker(prog)}
	var out []plan.Scenario
	for _, b := range tests.Of("scenario") {
		before := len(c.diags)
		c.walk(b)
		sc := c.scenario(b)
		if !c.diags[before:].HasErrors() {
			out = append(out, sc)
		}
	}
	names := map[string]*lang.Block{}
	for _, b := range tests.Of("scenario") {
		if first := names[b.Name]; first != nil {
			c.add(lang.Errorf(lang.RuleDuplicateName, b.DefRange, fmt.Sprintf("two scenarios are named %q", b.Name),
				"rename one: journey test --run selects scenarios by name", lang.Related{Message: "the first", Range: first.DefRange}))
		}
		names[b.Name] = b
	}
	return out, c.diags
}

// scenarioView is prog with reference maps of its own: what the scenarios
// reference is recorded there, and the declarations are shared.
func scenarioView(prog *Program) *Program {
	view := *prog
	view.targets = map[*lang.Block]Targets{}
	view.Uses = map[*lang.Block][]Use{}
	view.Suggested = map[*lang.Block]bool{}
	view.exprs = map[*lang.Expr]*plan.Expression{}
	return &view
}

func (c *compiler) scenario(b *lang.Block) plan.Scenario {
	sc := plan.Scenario{Name: b.Name, Source: *source(b)}
	camp := c.campaignOf(c.prog.Target(b, "campaign"))
	if camp != nil {
		sc.Campaign = camp.Name
	}
	sc.Trigger, _ = b.String("trigger")
	if sc.Trigger != "" && camp != nil {
		if el := camp.Element(sc.Trigger); el == nil || el.Kind.Name != "trigger" {
			c.add(lang.Errorf(lang.RuleUnknownReference, b.Attr("trigger").ValueRange,
				fmt.Sprintf("campaign %q has no trigger %q", camp.Name, sc.Trigger), "name one of the campaign's triggers"))
		}
	}
	sc.Start = c.instant(b, "start")
	span := plan.Duration{Days: 365}
	if d, ok := durationAttr(b, "for"); ok {
		span = d
	}
	sc.Until = sc.Start.AddDate(0, 0, span.Days).Add(time.Duration(span.Minutes) * time.Minute)
	sc.Contact = c.contactFields(b, "contact")
	entry := entryTrigger(camp, sc.Trigger)
	var src *eventSource
	if entry != nil {
		if call := entry.Block.Call("on"); call != nil {
			s := c.sourceWith(entry.Block, call, entry.Target("on"))
			src = &s
		}
	}
	sc.Properties = c.eventProperties(b, src)
	if r := entryKey(entry); r != nil && sc.Properties[r.Name()] == nil {
		at := b.DefRange
		if a := b.Attr("properties"); a != nil {
			at = a.ValueRange
		}
		c.add(lang.Errorf(lang.RuleSchema, at,
			fmt.Sprintf("the contact enters through trigger %q, whose key is %s, and the scenario's properties have no %s: it would not enter", entry.Name, r, r.Name()),
			fmt.Sprintf(`give the event it enters with its key: properties = { %s = "..." }`, r.Name())))
	}
	for _, eb := range b.Nested("event") {
		ev := plan.ScenarioEvent{Source: *source(eb), Args: map[string]string{}}
		switch {
		case eb.Has("at") && eb.Has("after"):
			c.add(lang.Errorf(lang.RuleSchema, eb.Attr("after").NameRange, "an event has at or after, not both", "keep one"))
		case eb.Has("at"):
			ev.At = c.instant(eb, "at")
		case eb.Has("after"):
			d, _ := durationAttr(eb, "after")
			ev.At = sc.Start.AddDate(0, 0, d.Days).Add(time.Duration(d.Minutes) * time.Minute)
		default:
			c.add(lang.Errorf(lang.RuleSchema, eb.DefRange, "the event has no time", `set at = "2026-06-12T10:00:00Z" or after = "2d"`))
		}
		if call := eb.Call("on"); call != nil {
			pe := (&emitter{prog: c.prog}).event(eb, "on", call)
			ev.Kind = pe.Kind
			for k := range pe.Args {
				ev.Args[k] = pe.Args.String(k)
			}
		}
		if a := eb.Attr("value"); a != nil {
			if lit, ok := a.Value.(*lang.Literal); ok {
				ev.Value = goValue(lit.Val)
			}
		}
		var evSrc *eventSource
		if call := eb.Call("on"); call != nil && kinds.LookupEvent(call.Name) != nil {
			s := c.sourceOf(eb, "on", call)
			evSrc = &s
		}
		ev.Properties = c.eventProperties(eb, evSrc)
		sc.Events = append(sc.Events, ev)
	}
	sort.SliceStable(sc.Events, func(i, j int) bool { return sc.Events[i].At.Before(sc.Events[j].At) })
	for _, xb := range b.Nested("expect") {
		sc.Expects = append(sc.Expects, c.expectation(xb, camp))
	}
	return sc
}

func (c *compiler) expectation(xb *lang.Block, camp *Campaign) plan.Expectation {
	x := plan.Expectation{Source: *source(xb)}
	// The kind is the attribute written, whether its reference resolved or
	// not: a typo is one finding, the unknown reference, and the checks of
	// at and within below still speak of what the author wrote. The decoder
	// reports a block that sets none of them, or several.
	for _, kind := range []string{"sent", "never_sent", "at_element", "has_tag", "lacks_tag", "fields", "status"} {
		if xb.Has(kind) {
			x.Kind = kind
			break
		}
	}
	switch x.Kind {
	case "sent", "never_sent", "has_tag", "lacks_tag":
		if t := c.prog.Target(xb, x.Kind); t != nil {
			x.Name, x.MessageKind = t.Name, t.Type
		}
	case "at_element":
		if r := xb.Ref("at_element"); r != nil && camp != nil {
			el := camp.Element(r.Name())
			if el == nil || el.Kind.Name != r.Kind() {
				c.add(lang.Errorf(lang.RuleUnknownReference, r.Range, fmt.Sprintf("campaign %q has no %s", camp.Name, r), "name an element of the scenario's campaign"))
			} else {
				x.Name = el.Name
			}
		}
	case "fields":
		x.Fields = c.contactFields(xb, "fields")
	case "status":
		x.Status, _ = xb.String("status")
	}
	if xb.Has("at") {
		at := c.instant(xb, "at")
		x.At = &at
	}
	if d, ok := durationAttr(xb, "within"); ok {
		x.Within = &d
	}
	c.checkExpectationTimes(xb, x.Kind)
	return x
}

// checkExpectationTimes reports an at or within that the expectation's
// kind does not take: it would be ignored, and the test would not check
// what its author meant.
func (c *compiler) checkExpectationTimes(xb *lang.Block, kind string) {
	at, within := xb.Attr("at"), xb.Attr("within")
	if kind == "" {
		return
	}
	if at != nil && kind != "sent" && kind != "at_element" {
		c.add(lang.Errorf(lang.RuleSchema, at.NameRange,
			fmt.Sprintf("at does not go with %s: only sent and at_element take a time", kind),
			"remove at: "+whenChecked(kind)))
	}
	if within != nil && kind != "sent" {
		c.add(lang.Errorf(lang.RuleSchema, within.NameRange,
			fmt.Sprintf("within does not go with %s: only sent takes a deadline", kind),
			"remove within: "+whenChecked(kind)))
	}
	if at != nil && within != nil && kind == "sent" {
		c.add(lang.Errorf(lang.RuleSchema, within.NameRange, "sent has both at and within: at is the exact time, within a deadline",
			"keep one: at for the instant it must go out, within for the latest"))
	}
}

// whenChecked says when an expectation without a time is checked.
func whenChecked(kind string) string {
	switch kind {
	case "never_sent":
		return "never_sent holds over the whole run"
	case "at_element":
		return "at_element takes at = TIME, the instant the contact must stand there"
	}
	return kind + " is checked at the end of the run (the scenario's for sets when it ends)"
}

// instant parses an RFC 3339 attribute.
func (c *compiler) instant(b *lang.Block, name string) time.Time {
	s, ok := b.String(name)
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		c.add(lang.Errorf(lang.RuleInvalidValue, b.Attr(name).ValueRange, fmt.Sprintf("%q is not an RFC 3339 time", s),
			`write the date, time and offset: "2026-06-10T13:37:00-04:00" (or Z for UTC)`))
	}
	return t
}

// contactFields reads an object of field values, checking the names and
// types against the workspace's fields.
func (c *compiler) contactFields(b *lang.Block, name string) map[string]any {
	a := b.Attr(name)
	out := map[string]any{}
	if a == nil {
		return out
	}
	lit, ok := a.Value.(*lang.Literal)
	if !ok || !(lit.Val.Type().IsObjectType() || lit.Val.Type().IsMapType()) {
		c.add(lang.Errorf(lang.RuleType, a.ValueRange, fmt.Sprintf("%s must be an object of fields", name), `write { email = "ada@example.com", tags = ["lead"] }`))
		return out
	}
	for key, v := range lit.Val.AsValueMap() {
		f := c.prog.Fields[key]
		if f == nil {
			hint := fmt.Sprintf("declare it: field %q { type = string }", key)
			if s := c.prog.closestName("field", key); s != "" {
				hint = fmt.Sprintf("did you mean %s?", s)
			}
			c.add(lang.Errorf(lang.RuleUnknownReference, a.ValueRange, fmt.Sprintf("the workspace has no field %q", key), hint))
			continue
		}
		if msg, hint := fieldValueProblem(f, v); msg != "" {
			c.add(lang.Errorf(lang.RuleType, a.ValueRange, msg, hint))
			continue
		}
		out[key] = goValue(v)
	}
	return out
}

// eventProperties reads a scenario's or its event's properties: an object
// of what the event carries (nil when not given), each a property the
// event (src, when known) carries, of its type.
func (c *compiler) eventProperties(b *lang.Block, src *eventSource) map[string]any {
	a := b.Attr("properties")
	if a == nil {
		return nil
	}
	lit, ok := a.Value.(*lang.Literal)
	if !ok || !(lit.Val.Type().IsObjectType() || lit.Val.Type().IsMapType()) {
		c.add(lang.Errorf(lang.RuleType, a.ValueRange, "properties must be an object of what the event carries",
			`write { appointment_id = "a-17", starts_at = "2026-06-20T15:00:00-04:00" }`))
		return nil
	}
	out := map[string]any{}
	values := lit.Val.AsValueMap()
	for _, key := range slices.Sorted(maps.Keys(values)) {
		v := values[key]
		if src != nil {
			typ, ok := src.props[key]
			if !ok {
				c.add(c.unknownProperty(key, a.ValueRange, *src))
				continue
			}
			if msg := propertyValueProblem(key, typ, v); msg != "" {
				c.add(lang.Errorf(lang.RuleType, a.ValueRange, msg, fmt.Sprintf("give %s a %s, as the event declares it", key, typ)))
				continue
			}
		}
		out[key] = goValue(v)
	}
	return out
}

// propertyValueProblem says why a value is not one of a property of the
// type ("" when it is). A date-time may carry its offset, as an event
// from your system's API does.
func propertyValueProblem(name, typ string, v cty.Value) string {
	conv, err := convert.Convert(v, plan.FieldCtyType(typ))
	if err != nil {
		return fmt.Sprintf("the property %s is a %s; this value is %s", name, typ, words.FriendlyType(v.Type()))
	}
	if (typ != "date" && typ != "datetime") || !conv.IsKnown() || conv.IsNull() || conv.AsString() == "" {
		return ""
	}
	s := conv.AsString()
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return ""
	}
	if _, _, err := ParseDateTime(s); err != nil {
		return fmt.Sprintf("the property %s is a %s; %q is not one", name, typ, s)
	}
	return ""
}

// entryTrigger is the trigger a scenario's contact enters through: the
// named one, or the campaign's first that is not a draft (as Enroll
// picks it); nil when there is none.
func entryTrigger(camp *Campaign, name string) *Element {
	if camp == nil {
		return nil
	}
	for _, el := range camp.Elements {
		if el.Kind.Name == "trigger" && (el.Name == name || name == "" && !el.Draft) {
			return el
		}
	}
	return nil
}

// entryKey is a keyed trigger's key, event.NAME, or nil.
func entryKey(el *Element) *lang.Ref {
	if el == nil {
		return nil
	}
	return el.Block.Ref("key")
}

// campaignOf returns the compiled campaign of a declaration.
func (c *compiler) campaignOf(b *lang.Block) *Campaign {
	for _, camp := range c.prog.Campaigns {
		if camp.Block == b && b != nil {
			return camp
		}
	}
	return nil
}

// goValue turns a cty value into plain Go (strings, float64, bool, lists).
func goValue(v cty.Value) any {
	raw, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil
	}
	var out any
	_ = json.Unmarshal(raw, &out)
	if list, ok := out.([]any); ok {
		strs := make([]string, 0, len(list))
		for _, it := range list {
			if s, ok := it.(string); ok {
				strs = append(strs, s)
			}
		}
		if len(strs) == len(list) {
			return strs
		}
	}
	return out
}
