package validate

import (
	"fmt"

	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about how contacts get into a campaign and where they can go.

func noEntry() Rule {
	return Rule{
		Name: "no-entry", Severity: Error,
		Summary: "a campaign with no trigger, that no add_to_campaign targets either",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				hasTrigger, drafts := false, 0
				for _, el := range c.Elements {
					if el.Kind.Name == "trigger" {
						hasTrigger = hasTrigger || !el.Draft
						if el.Draft {
							drafts++
						}
					}
				}
				if hasTrigger || len(p.facts.actionsOf("add_to_campaign", "campaign", c.Block)) > 0 {
					continue
				}
				what, hint := "has no trigger", `add a trigger, e.g. trigger "start" { on = tag_added(tag.NAME) next = ... }`
				if drafts > 0 {
					what, hint = "has only draft triggers", "remove draft = true from a trigger when the campaign is ready"
				}
				p.Report(c.Block.DefRange,
					fmt.Sprintf("campaign %q %s and no add_to_campaign adds to it: no contact can ever enter it", c.Name, what),
					hint)
			}
		},
	}
}

func missingAddedTrigger() Rule {
	return Rule{
		Name: "missing-added-trigger", Severity: Error,
		Summary: "a campaign targeted by add_to_campaign without a trigger on added_to_campaign()",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				if addedTriggers(c) != nil {
					continue
				}
				for _, b := range p.facts.actionsOf("add_to_campaign", "campaign", c.Block) {
					p.Report(b.DefRange,
						fmt.Sprintf("%s adds contacts to campaign %q, which has no added_to_campaign() trigger: the added contacts go nowhere", describeAction(b), c.Name),
						fmt.Sprintf(`add trigger "added" { on = added_to_campaign() next = ... } to campaign %q`, c.Name),
						Related{Message: "the campaign", Range: c.Block.DefRange})
				}
			}
		},
	}
}

func unreachable() Rule {
	return Rule{
		Name: "unreachable", Severity: Warning,
		Summary: "an element that no path from a trigger or goal reaches",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				starts := entries(c)
				if len(starts) == 0 {
					continue // no-entry says it
				}
				seen := reachable(starts)
				for _, el := range c.Elements {
					if c.Element(el.Name) != el {
						continue // a second element of one name: duplicate-name says it
					}
					if !seen[el] && !el.Kind.Has(kinds.Entry) {
						p.Report(el.Block.DefRange,
							fmt.Sprintf("no path from a trigger or goal reaches %s: no contact will ever get here", label(el)),
							fmt.Sprintf("point a next at %s, or remove it", ref(el)))
					}
				}
			}
		},
	}
}
