package validate

import (
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"

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
					s := p.facts.sequenceOf(el)
					if s == nil {
						continue
					}
					h := holdsForever(p.Program, s)
					if h == nil {
						continue
					}
					next := ref(el.Next()[0])
					hint := fmt.Sprintf("put a fork before it, one path adding to the sequence and one going on to %s", next)
					if h.fix != "" {
						hint += ", or " + h.fix
					}
					p.Report(el.Block.DefRange,
						fmt.Sprintf("%s holds contacts until sequence %q lets them go, and it never does (%s): they never reach %s", label(el), s.Name, h.why, next),
						hint,
						Related{Message: fmt.Sprintf("sequence %q", s.Name), Range: h.at})
				}
			}
		},
	}
}

// hold says why a sequence never lets the contacts it holds go.
type hold struct {
	why string
	// fix is the change to the sequence that would let them go, if any.
	fix string
	at  hcl.Range
}

// holdsForever returns why contacts added to the sequence are never let go,
// or nil. A sequence lets them go when one of its steps removes them from
// it unconditionally (Ontraport's documented fix for a date sequence under
// add_to_sequence), once that step and the steps before it can fire;
// otherwise after its last step, with unsubscribe_after_last_step, unless
// an annual date step keeps it going for ever.
func holdsForever(prog *compiler.Program, s *compiler.Sequence) *hold {
	live := liveSteps(s)
	if i := removingStep(prog, s, live); i >= 0 {
		if s.Kind == "date" {
			// Date steps fire by their dates, not in order: only the
			// removing step itself has to fire.
			return unfireableStep(s, live[i:i+1])
		}
		// Contacts wait for every step up to it, drafts included.
		return unfireableStep(s, s.Steps[:slices.Index(s.Steps, live[i])+1])
	}
	if s.Kind == "date" {
		for _, st := range live {
			if st.Schedule != nil && st.Schedule.OnField != nil && st.Schedule.OnField.Annual {
				return &hold{why: fmt.Sprintf("step %q of date sequence %q is annual: it comes round every year, so the sequence never ends", st.Name, s.Name), at: st.Block.DefRange}
			}
		}
	}
	if !s.UnsubscribeAfterLastStep {
		return &hold{
			why: fmt.Sprintf("%s sequence %q has no unsubscribe_after_last_step", s.Kind, s.Name),
			fix: fmt.Sprintf("set unsubscribe_after_last_step = true on sequence %q", s.Name),
			at:  s.Block.DefRange,
		}
	}
	return unfireableStep(s, waitedSteps(s))
}

// unfireableStep returns the hold of the first of steps that can never
// fire, or nil.
func unfireableStep(s *compiler.Sequence, steps []*compiler.Step) *hold {
	for _, st := range steps {
		if !st.Configured || st.EmptyWhy != "" {
			return &hold{
				why: fmt.Sprintf("step %q of sequence %q can never fire, so contacts wait before it forever", st.Name, s.Name),
				fix: fmt.Sprintf("fix the schedule of step %q", st.Name),
				at:  st.Block.DefRange,
			}
		}
	}
	return nil
}

// removingStep returns the index in steps of the first rule step whose
// rule, with no if, removes the contact from s, or -1.
func removingStep(prog *compiler.Program, s *compiler.Sequence, steps []*compiler.Step) int {
	for i, st := range steps {
		rule := st.Block.First("rule")
		if rule == nil || rule.Has("if") {
			continue
		}
		for _, action := range st.Actions {
			if action.Type == "remove_from_sequence" && prog.Target(action, "sequence") == s.Block {
				return i
			}
		}
	}
	return -1
}

func missingForkBeforeAddToCampaign() Rule {
	return Rule{
		Name: "missing-fork-before-add-to-campaign", Severity: Error,
		Summary: "add_to_campaign with a next, whose target campaign has a reachable path that never reaches an end",
		Check: func(p *Pass) {
			ret := newReturns(p.facts)
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if el.Kind.Name != "add_to_campaign" || el.Draft || len(el.Next()) == 0 {
						continue
					}
					target := p.facts.campaignOf(el)
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
					if el.Kind.Name == "add_to_campaign" && !el.Draft && len(el.Next()) > 0 && !forked[el] && p.facts.campaignOf(el) != nil {
						calls[c] = append(calls[c], el)
					}
				}
			}
			for _, cycle := range campaignCycles(p.facts, calls) {
				first := cycle[0]
				names := ""
				for _, el := range cycle {
					names += fmt.Sprintf("campaign %q adds to campaign %q, ", el.Campaign.Name, p.facts.campaignOf(el).Name)
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

// campaignCycles finds one cycle of holding calls in each group of
// campaigns that call one another (a strongly connected component of the
// call graph, found once for the whole workspace), as the calling elements
// in order from the group's first campaign.
func campaignCycles(f *facts, calls map[*compiler.Campaign][]*compiler.Element) [][]*compiler.Element {
	callees := func(c *compiler.Campaign) []*compiler.Campaign {
		var out []*compiler.Campaign
		for _, el := range calls[c] {
			out = append(out, f.campaignOf(el))
		}
		return out
	}
	order := map[*compiler.Campaign]int{}
	for i, c := range f.prog.Campaigns {
		order[c] = i
	}
	var out [][]*compiler.Element
	for _, group := range components(f.prog.Campaigns, callees) {
		in := map[*compiler.Campaign]bool{}
		for _, c := range group {
			in[c] = true
		}
		if cycle := cycleFrom(f, calls, group[0], in); cycle != nil {
			out = append(out, cycle)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i][0].Campaign] < order[out[j][0].Campaign] })
	return out
}

// cycleFrom follows calls inside one group from start back to start.
func cycleFrom(f *facts, calls map[*compiler.Campaign][]*compiler.Element, start *compiler.Campaign, in map[*compiler.Campaign]bool) []*compiler.Element {
	visited := map[*compiler.Campaign]bool{}
	var path []*compiler.Element
	var find func(c *compiler.Campaign) bool
	find = func(c *compiler.Campaign) bool {
		for _, el := range calls[c] {
			to := f.campaignOf(el)
			if !in[to] {
				continue
			}
			path = append(path, el)
			if to == start {
				return true
			}
			if !visited[to] {
				visited[to] = true
				if find(to) {
					return true
				}
			}
			path = path[:len(path)-1]
		}
		return false
	}
	if find(start) {
		return path
	}
	return nil
}
