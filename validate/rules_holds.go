package validate

import (
	"fmt"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about waiting on another map: add_to_sequence and add_to_campaign
// hold the contact until it comes back, and a contact that never comes back
// never moves on.

func missingForkBeforeAddToSequence() Rule {
	return Rule{
		Name: "missing-fork-before-add-to-sequence", Severity: Error,
		Summary: "add_to_sequence with a next, whose sequence never lets contacts go",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if el.Kind.Name != "add_to_sequence" || el.Draft || len(el.Next()) == 0 {
						continue
					}
					s := sequenceOf(p.Program, el)
					if s == nil || !s.NeverReleases() {
						continue
					}
					why := fmt.Sprintf("step sequence %q has no unsubscribe_after_last_step", s.Name)
					hint := fmt.Sprintf("put a fork before it, one path adding to the sequence and one going on to %s, or set unsubscribe_after_last_step = true on sequence %q", ref(el.Next()[0]), s.Name)
					if s.Kind == "date" {
						why = fmt.Sprintf("date sequence %q has an annual step (or keeps its contacts)", s.Name)
						hint = fmt.Sprintf("put a fork before it, one path adding to the sequence and one going on to %s", ref(el.Next()[0]))
					}
					p.Report(el.Block.DefRange,
						fmt.Sprintf("%s holds contacts until sequence %q lets them go, and it never does (%s): they never reach %s", label(el), s.Name, why, ref(el.Next()[0])),
						hint,
						Related{Message: fmt.Sprintf("sequence %q", s.Name), Range: s.Block.DefRange})
				}
			}
		},
	}
}

func missingForkBeforeAddToCampaign() Rule {
	return Rule{
		Name: "missing-fork-before-add-to-campaign", Severity: Error,
		Summary: "add_to_campaign with a next, whose target campaign has a reachable path that never reaches an end",
		Check: func(p *Pass) {
			ret := newReturns(p.Program)
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if el.Kind.Name != "add_to_campaign" || el.Draft || len(el.Next()) == 0 {
						continue
					}
					target := campaignOf(p.Program, el)
					if target == nil {
						continue
					}
					sp := ret.stuckIn(target)
					if sp == nil {
						continue
					}
					last := sp.path[len(sp.path)-1]
					p.Report(el.Block.DefRange,
						fmt.Sprintf("%s holds contacts until they reach an end in campaign %q, but on the path %s a contact %s: contacts sent down it never reach %s",
							label(el), target.Name, pathText(sp.path), sp.why, ref(el.Next()[0])),
						fmt.Sprintf("put a fork before it, one path adding to the campaign and one going on, or end that path in campaign %q with an end", target.Name),
						Related{Message: fmt.Sprintf("where contacts stay in campaign %q", target.Name), Range: last.Block.DefRange})
				}
			}
		},
	}
}

func campaignCallCycle() Rule {
	return Rule{
		Name: "campaign-call-cycle", Severity: Error,
		Summary: "add_to_campaign chains that lead back to a campaign already waiting, none of them forked",
		Check: func(p *Pass) {
			// calls: campaign -> the holding add_to_campaign elements in it.
			calls := map[*compiler.Campaign][]*compiler.Element{}
			forked := forkPaths(p.Program)
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if el.Kind.Name == "add_to_campaign" && !el.Draft && len(el.Next()) > 0 && !forked[el] && campaignOf(p.Program, el) != nil {
						calls[c] = append(calls[c], el)
					}
				}
			}
			for _, cycle := range campaignCycles(p.Program, calls) {
				first := cycle[0]
				names := ""
				for _, el := range cycle {
					names += fmt.Sprintf("campaign %q adds to campaign %q, ", el.Campaign.Name, campaignOf(p.Program, el).Name)
				}
				p.Report(first.Block.DefRange,
					fmt.Sprintf("%swhile each waits for the contact to come back: the contacts wait on themselves forever", names),
					"put a fork before one of these add_to_campaign elements, or remove its next",
					relatedElements("also in the cycle: %s", cycle[1:])...)
			}
		},
	}
}

// forkPaths are the elements that are a fork's path.
func forkPaths(p *compiler.Program) map[*compiler.Element]bool {
	out := map[*compiler.Element]bool{}
	for _, c := range p.Campaigns {
		for _, el := range c.Elements {
			if el.Kind.Has(kinds.Forks) {
				for _, to := range el.Next() {
					out[to] = true
				}
			}
		}
	}
	return out
}

// campaignCycles finds each cycle of holding calls once, as the calling
// elements in order, starting from the earliest campaign.
func campaignCycles(p *compiler.Program, calls map[*compiler.Campaign][]*compiler.Element) [][]*compiler.Element {
	var out [][]*compiler.Element
	reported := map[*compiler.Campaign]bool{}
	for _, start := range p.Campaigns {
		if reported[start] {
			continue
		}
		// Depth-first from start, looking for a path of calls back to it.
		var stack []*compiler.Element
		visited := map[*compiler.Campaign]bool{}
		var find func(c *compiler.Campaign) bool
		find = func(c *compiler.Campaign) bool {
			for _, el := range calls[c] {
				target := campaignOf(p, el)
				stack = append(stack, el)
				if target == start {
					return true
				}
				if !visited[target] && !reported[target] {
					visited[target] = true
					if find(target) {
						return true
					}
				}
				stack = stack[:len(stack)-1]
			}
			return false
		}
		if find(start) {
			cycle := append([]*compiler.Element(nil), stack...)
			for _, el := range cycle {
				reported[el.Campaign] = true
			}
			out = append(out, cycle)
		}
	}
	return out
}
