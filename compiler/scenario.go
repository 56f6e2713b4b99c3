package compiler

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang"
)

// Scenarios resolves the scenarios of *.journeytest.hcl files against a
// compiled workspace.
func Scenarios(prog *Program, tests *lang.Workspace) ([]plan.Scenario, hcl.Diagnostics) {
	c := &compiler{prog: prog, targets: prog.targets, exprs: newExprChecker(prog)}
	var out []plan.Scenario
	for _, b := range tests.Of("scenario") {
		c.walk(b)
		if sc, ok := c.scenario(b); ok {
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

func (c *compiler) scenario(b *lang.Block) (plan.Scenario, bool) {
	errs := len(c.diags)
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
		sc.Events = append(sc.Events, ev)
	}
	sort.SliceStable(sc.Events, func(i, j int) bool { return sc.Events[i].At.Before(sc.Events[j].At) })
	for _, xb := range b.Nested("expect") {
		sc.Expects = append(sc.Expects, c.expectation(xb, camp))
	}
	return sc, len(c.diags) == errs
}

func (c *compiler) expectation(xb *lang.Block, camp *Campaign) plan.Expectation {
	x := plan.Expectation{Source: *source(xb)}
	for _, kind := range []string{"sent", "never_sent", "has_tag", "lacks_tag"} {
		if t := c.prog.Target(xb, kind); t != nil {
			x.Kind, x.Name, x.MessageKind = kind, t.Name, t.Type
		}
	}
	if r := xb.Ref("at_element"); r != nil {
		x.Kind = "at_element"
		if camp != nil {
			el := camp.Element(r.Name())
			if el == nil || el.Kind.Name != r.Kind() {
				c.add(lang.Errorf(lang.RuleUnknownReference, r.Range, fmt.Sprintf("campaign %q has no %s", camp.Name, r), "name an element of the scenario's campaign"))
			} else {
				x.Name = el.Name
			}
		}
	}
	if xb.Has("fields") {
		x.Kind, x.Fields = "fields", c.contactFields(xb, "fields")
	}
	if s, ok := xb.String("status"); ok {
		x.Kind, x.Status = "status", s
	}
	if xb.Has("at") {
		at := c.instant(xb, "at")
		x.At = &at
	}
	if d, ok := durationAttr(xb, "within"); ok {
		x.Within = &d
	}
	if (x.At != nil && x.Kind != "sent" && x.Kind != "at_element") || (x.Within != nil && x.Kind != "sent") {
		c.add(lang.Errorf(lang.RuleSchema, xb.DefRange, fmt.Sprintf("at and within go with sent (and at with at_element), not with %s", x.Kind), "remove them"))
	}
	return x
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
