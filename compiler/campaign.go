package compiler

import (
	"fmt"
	"slices"

	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// RuleInvalidTarget is the rule of an edge that points where contacts cannot
// go; the compiler finds it while resolving edges.
const RuleInvalidTarget = "invalid-target"

// campaign builds a campaign's elements and resolves its edges; nil for
// a duplicate.
func (c *compiler) campaign(b *lang.Block) *Campaign {
	if c.prog.Decls["campaign"][b.Name] != b {
		return nil // a duplicate, already reported
	}
	elements := b.Elements()
	camp := &Campaign{Name: b.Name, Block: b, byName: make(map[string]*Element, len(elements)), Reentry: Reentry{Mode: "once"}}
	if s, ok := b.String("reentry"); ok && s != "once" {
		if s == "always" {
			camp.Reentry.Mode = "always"
		} else if d, err := ParseDuration(s); err == nil {
			camp.Reentry = Reentry{Mode: "interval", After: d}
		}
	}
	byKindName := make(map[kindName]*Element, len(elements))
	for _, eb := range elements {
		el := &Element{Campaign: camp, Block: eb, Kind: eb.Kind, Name: eb.Name, Draft: eb.Bool("draft"), Targets: c.targets[eb]}
		if first := camp.byName[eb.Name]; first != nil {
			c.add(lang.Errorf(lang.RuleDuplicateName, eb.DefRange,
				fmt.Sprintf("campaign %q has two elements named %q: element names are unique within a campaign, whatever their kind", b.Name, eb.Name),
				"rename one of them (the name is the element's ID in logs, state and the API)",
				lang.Related{Message: fmt.Sprintf("%s.%s is declared here", first.Kind.Name, first.Name), Range: first.Block.DefRange}))
		} else {
			camp.byName[eb.Name] = el
		}
		if _, dup := byKindName[kindName{eb.Type, eb.Name}]; !dup {
			byKindName[kindName{eb.Type, eb.Name}] = el
		}
		camp.Elements = append(camp.Elements, el)
	}
	for _, el := range camp.Elements {
		c.edges(camp, el, byKindName)
		c.element(el)
		for _, ed := range el.Edges {
			if ed.To != nil {
				el.next = append(el.next, ed.To)
			}
		}
		el.next = slices.Clip(el.next)
	}
	for _, el := range camp.Elements {
		for _, to := range el.next {
			to.prev = append(to.prev, el)
		}
	}
	for _, el := range camp.Elements {
		el.prev = slices.Clip(el.prev)
	}
	c.prog.Campaigns = append(c.prog.Campaigns, camp)
	return camp
}

// kindName is an element's KIND.NAME within its campaign.
type kindName struct{ kind, name string }

// edges resolves the element's next, then, else, yes, no and paths.
func (c *compiler) edges(camp *Campaign, el *Element, byKindName map[kindName]*Element) {
	for _, attr := range el.Kind.Edges {
		switch attr {
		case "path":
			for i, pb := range el.Block.Nested("path") {
				ed := &Edge{Label: fmt.Sprintf("path %d", i+1)}
				ed.Weight, _ = pb.Number("weight")
				if r := pb.Ref("next"); r != nil {
					ed.Range = r.Range
					ed.To = c.edgeTarget(camp, el, ed.Label+" next", r, byKindName)
				} else {
					ed.Range = pb.DefRange
				}
				el.Edges = append(el.Edges, ed)
			}
		case "paths":
			for i, r := range el.Block.Refs("paths") {
				el.Edges = append(el.Edges, &Edge{Label: fmt.Sprintf("path %d", i+1), Range: r.Range, To: c.edgeTarget(camp, el, "paths", r, byKindName)})
			}
		default:
			if r := el.Block.Ref(attr); r != nil {
				el.Edges = append(el.Edges, &Edge{Label: attr, Range: r.Range, To: c.edgeTarget(camp, el, attr, r, byKindName)})
			}
		}
	}
}

// edgeTarget resolves a reference to an element of the campaign.
func (c *compiler) edgeTarget(camp *Campaign, from *Element, attr string, r *lang.Ref, byKindName map[kindName]*Element) *Element {
	if len(r.Parts) == 2 {
		if el := byKindName[kindName{r.Parts[0], r.Parts[1]}]; el != nil {
			return el
		}
	}
	if r.Kind() == "campaign" {
		c.add(lang.Errorf(RuleInvalidTarget, r.Range,
			fmt.Sprintf("%s of %s points at campaign %q: next only moves within a campaign", attr, lang.Describe(from.Block), r.Name()),
			fmt.Sprintf("to send the contact there, use add_to_campaign { campaign = campaign.%s }", r.Name())))
		return nil
	}
	if kinds.LookupElement(r.Kind()) == nil {
		c.add(lang.Errorf(lang.RuleType, r.Range,
			fmt.Sprintf("%s must name an element of campaign %q, not %s", attr, camp.Name, r.String()),
			"write KIND.NAME of an element of this campaign, such as wait.one_day"))
		return nil
	}
	for _, other := range c.prog.Workspace.Of("campaign") {
		if other == camp.Block {
			continue
		}
		for _, eb := range other.Elements() {
			if eb.Type == r.Kind() && eb.Name == r.Name() {
				c.add(lang.Errorf(RuleInvalidTarget, r.Range,
					fmt.Sprintf("%s is an element of campaign %q, not of %q: contacts cannot jump between campaigns", r.String(), other.Name, camp.Name),
					fmt.Sprintf("use add_to_campaign { campaign = campaign.%s } to move the contact there", other.Name),
					lang.Related{Message: "the element in the other campaign", Range: eb.DefRange}))
				return nil
			}
		}
	}
	hint := fmt.Sprintf("add a %s %q block to campaign %q", r.Kind(), r.Name(), camp.Name)
	if el := camp.byName[r.Name()]; el != nil {
		hint = fmt.Sprintf("did you mean %s.%s?", el.Kind.Name, el.Name)
	} else if s := camp.closestElement(r.String(), byKindName); s != "" {
		hint = fmt.Sprintf("did you mean %s?", s)
	}
	c.add(lang.Errorf(lang.RuleUnknownReference, r.Range,
		fmt.Sprintf("campaign %q has no %s %q", camp.Name, r.Kind(), r.Name()), hint))
	return nil
}

// element resolves an element's event and timer.
func (c *compiler) element(el *Element) {
	if call := el.Block.Call("on"); call != nil {
		el.Event = c.event(el.Block, "on", call)
	}
	switch {
	case el.Kind.Has(kinds.Timer):
		el.Timer = c.timer(el.Block)
	case el.Kind.Has(kinds.Deadline):
		el.Timer = c.deadline(el.Block)
	case el.Block.First("at") != nil:
		el.Timer = c.timer(el.Block.First("at"))
	}
}

// event resolves an event call; the argument references were resolved by
// walk.
func (c *compiler) event(b *lang.Block, attr string, call *lang.Call) *Event {
	ev := kinds.LookupEvent(call.Name)
	if ev == nil {
		return nil
	}
	if ev.TriggerOnly && b.Type != "trigger" {
		c.add(lang.Errorf(lang.RuleSchema, call.NameRange,
			fmt.Sprintf("%s() only starts a campaign: it cannot be the event of a %s", ev.Name, b.Type),
			"use it in a trigger block"))
	}
	return &Event{Kind: ev, Call: call, Target: c.prog.Target(b, attr)}
}
