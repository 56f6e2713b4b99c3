package validate

import (
	"fmt"
	"math"
	"strconv"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about the flow inside a campaign: loops, terminals, targets, forks,
// splits, branches, drafts (of campaign elements and sequence steps).

func instantLoop() Rule {
	return Rule{
		Name: "instant-loop", Severity: Error,
		Summary: "a cycle with no wait, decision or other timer on it",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				instant := func(el *compiler.Element) bool { return !delays(el) }
				for _, comp := range stronglyConnected(c, instant) {
					if len(comp) == 1 && !selfLoop(comp[0]) {
						continue
					}
					in := map[*compiler.Element]bool{}
					for _, el := range comp {
						in[el] = true
					}
					// The shortest loop through the first element, as
					// written; a component may hold more loops.
					loop := cycleThrough(comp[0], in)
					p.Report(comp[0].Block.DefRange,
						fmt.Sprintf("%s loops with no wait on it: a contact would spin forever in one instant", pathText(loop)),
						"put a wait on the loop, or give it a way out",
						relatedElements("on the loop: %s", loop[1:len(loop)-1])...)
				}
			}
		},
	}
}

func nextAfterTerminal() Rule {
	return Rule{
		Name: "next-after-terminal", Severity: Error,
		Summary: "a next after delete_contact, or after a remove_from_campaign of its own campaign",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					next := el.Block.Attr("next")
					if next == nil || el.Draft {
						continue // a draft is skipped: contacts do go on to its next
					}
					switch {
					case el.Kind.Has(kinds.Terminal):
						p.Report(next.Range(),
							fmt.Sprintf("%s deletes the contact: nothing after it runs", label(el)),
							"remove next, or move the deletion to the end of the path")
					case el.Kind.Name == "remove_from_campaign" && el.Target("campaign") == c.Block:
						p.Report(next.Range(),
							fmt.Sprintf("%s removes the contact from campaign %q itself: nothing after it runs", label(el), c.Name),
							`remove next, or use end { exit = true }`)
					}
				}
			}
		},
	}
}

// checkInvalidTarget reports edges into triggers and goals; edges into
// other campaigns are reported by the compiler while resolving.
func checkInvalidTarget(p *Pass) {
	for _, c := range p.Program.Campaigns {
		for _, el := range c.Elements {
			for _, ed := range el.Edges {
				if ed.To != nil && ed.To.Kind.Has(kinds.Entry) {
					hint := fmt.Sprintf("point at an element that is not a %s", ed.To.Kind.Name)
					if after := ed.To.Next(); len(after) > 0 {
						hint = fmt.Sprintf("point at the element after it instead, %s (%s's next)", ref(after[0]), ref(ed.To))
					}
					p.Report(ed.Range,
						fmt.Sprintf("%s of %s points at %s: contacts reach a %s only through its event, so this way leads nowhere", ed.Label, label(el), label(ed.To), ed.To.Kind.Name),
						hint)
				}
			}
		}
	}
}

func invalidFork() Rule {
	return Rule{
		Name: "invalid-fork", Severity: Error,
		Summary: "a fork with fewer than two paths, or the same path twice",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if !el.Kind.Has(kinds.Forks) {
						continue
					}
					paths := el.Block.Refs("paths")
					at := el.Block.DefRange
					if a := el.Block.Attr("paths"); a != nil {
						at = a.Range()
					}
					if len(paths) < 2 {
						p.Report(at,
							fmt.Sprintf("%s has %s: a fork sends the contact down every path at once, so with fewer than two it forks nothing", label(el), paths1(len(paths))),
							"add another path, or replace the fork with a plain next")
						continue
					}
					seen := map[string]bool{}
					for _, r := range paths {
						if seen[r.String()] {
							p.Report(r.Range,
								fmt.Sprintf("%s lists %s twice: the contact would run that path twice at once", label(el), r),
								"list each path once")
						}
						seen[r.String()] = true
					}
				}
			}
		},
	}
}

func splitWeights() Rule {
	return Rule{
		Name: "split-weights", Severity: Error,
		Summary: "split paths (of a campaign split or a split step) whose weights do not sum to 100, or fewer than two paths",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if el.Kind.Name == "split" {
						checkSplitPaths(p, el.Block, label(el), "every contact takes the same way, so the A/B test compares nothing",
							"add another path block, or replace the split with a plain next")
					}
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range s.Steps {
					sb := st.Block.First(kinds.StepSplit)
					if sb == nil {
						continue
					}
					hint := "add another path block"
					if len(st.Paths) == 1 && st.Paths[0].Target != nil {
						hint += fmt.Sprintf(", or replace the split with %s = %s.%s", st.Paths[0].Content, st.Paths[0].Target.Type, st.Paths[0].Target.Name)
					}
					checkSplitPaths(p, sb, fmt.Sprintf("the split of step %q in sequence %q", st.Name, s.Name), "every contact gets the same message, so the split test compares nothing", hint)
				}
			}
		},
	}
}

// checkSplitPaths checks the weights of the path blocks of b (a split
// element, a step's split block), which what names; one path is alone.
func checkSplitPaths(p *Pass, b *lang.Block, what, alone, aloneHint string) {
	paths := b.Nested("path")
	total, weighed := 0.0, true
	for i, pb := range paths {
		w, ok := pb.Number("weight")
		if !ok {
			weighed = false // schema or type says what is wrong
			continue
		}
		total += w
		if w <= 0 {
			p.Report(pb.Attr("weight").Range(), fmt.Sprintf("path %d of %s has weight %v: no contact would take it", i+1, what, w),
				"give it a positive weight, or remove it")
		}
	}
	switch n := len(paths); {
	case n < 2:
		p.Report(b.DefRange, fmt.Sprintf("%s has %s: %s", what, paths1(n), alone), aloneHint)
	case weighed && math.Abs(total-100) > 1e-6:
		p.Report(b.DefRange,
			fmt.Sprintf("the paths of %s weigh %s in all, not 100: the share of contacts on each path would not be what it says", what, strconv.FormatFloat(math.Round(total*1e6)/1e6, 'f', -1, 64)),
			"make the weights sum to 100")
	}
}

func sameBranch() Rule {
	return Rule{
		Name: "same-branch", Severity: Warning,
		Summary: "a condition's then and else, or two paths of a split, lead to the same element (two paths of a split step send the same message)",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					// A decision is left alone: yes and no to one element
					// means "go on when the event happens or within runs
					// out, whichever is first"; it decides when, not where.
					switch el.Kind.Name {
					case "condition":
						if len(el.Edges) == 2 && el.Edges[0].To != nil && el.Edges[0].To == el.Edges[1].To {
							p.Report(el.Block.DefRange,
								fmt.Sprintf("%s and %s of %s both lead to %s: the branch decides nothing", el.Edges[0].Label, el.Edges[1].Label, label(el), ref(el.Edges[0].To)),
								"point one branch elsewhere, or replace the element with a plain next")
						}
					case "split":
						if a, b := sameTargets(el.Edges); a != nil {
							p.Report(b.Range,
								fmt.Sprintf("%s and %s of %s both lead to %s: the contacts on them get the same thing, so the test cannot tell them apart", a.Label, b.Label, label(el), ref(a.To)),
								"point one of the paths elsewhere, or make them one path with the sum of their weights")
						}
					}
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range s.Steps {
					if i, j := sameMessages(st.Paths); i >= 0 {
						msg := st.Paths[i].Target
						p.Report(st.Paths[j].Block.Attr(st.Paths[j].Content).Range(),
							fmt.Sprintf("paths %d and %d of the split of step %q in sequence %q both send %s: the contacts on them get the same message, so the test cannot tell them apart", i+1, j+1, st.Name, s.Name, lang.Describe(msg)),
							"send another message on one of them, or make them one path with the sum of their weights")
					}
				}
			}
		},
	}
}

// sameMessages returns the indexes of the first two split step paths
// that send the same message, or -1, -1.
func sameMessages(paths []*compiler.StepPath) (first, second int) {
	for j, b := range paths {
		for i, a := range paths[:j] {
			if a.Target != nil && a.Target == b.Target {
				return i, j
			}
		}
	}
	return -1, -1
}

// sameTargets returns the first two edges that lead to the same element.
func sameTargets(edges []*compiler.Edge) (first, second *compiler.Edge) {
	for j, b := range edges {
		for _, a := range edges[:j] {
			if a.To != nil && a.To == b.To {
				return a, b
			}
		}
	}
	return nil, nil
}

func draftElement() Rule {
	return Rule{
		Name: "draft-element", Severity: Warning,
		Summary: "a draft = true element or sequence step: contacts skip it at run time",
		Check: func(p *Pass) {
			draftSteps(p)
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if !el.Draft {
						continue
					}
					where := "stop there"
					if next := el.Next(); len(next) > 0 {
						where = "go straight to " + ref(next[0])
					}
					switch el.Kind.Name {
					case "trigger":
						where = "never enter through it"
					case "goal":
						where = "never jump to it"
					}
					p.Report(el.Block.DefRange,
						fmt.Sprintf("%s is a draft: contacts skip it and %s", label(el), where),
						"remove draft = true when it is ready, or remove the element")
				}
			}
		},
	}
}

// draftSteps reports the draft steps of sequences. A step sequence's
// draft keeps its place in the schedule (contacts pass it on its day), so
// the warning says what the steps after it count from.
func draftSteps(p *Pass) {
	for _, s := range p.Program.Sequences {
		for i, st := range s.Steps {
			if !st.Draft {
				continue
			}
			what := fmt.Sprintf("step %q of sequence %q is a draft: contacts pass it on its day without getting it", st.Name, s.Name)
			hint := "remove draft = true when the step is ready; removing the step instead would move the steps after it earlier"
			switch {
			case s.Kind == "date":
				what = fmt.Sprintf("step %q of date sequence %q is a draft: contacts never get it", st.Name, s.Name)
				hint = "remove draft = true when the step is ready, or remove the step"
			case i+1 < len(s.Steps):
				what += fmt.Sprintf(", and step %q still counts its days from then", s.Steps[i+1].Name)
			case s.UnsubscribeAfterLastStep:
				what += ", and the sequence lets them go then"
				hint = "remove draft = true when the step is ready, or remove the step"
			default:
				hint = "remove draft = true when the step is ready, or remove the step"
			}
			p.Report(st.Block.DefRange, what, hint)
		}
	}
}

// paths1 says how many paths there are: "no path", "1 path", "3 paths".
func paths1(n int) string {
	if n == 0 {
		return "no path"
	}
	return words.Count(n, "path")
}
