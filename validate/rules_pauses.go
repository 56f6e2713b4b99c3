package validate

import (
	"fmt"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about actions whose counterpart never happens: a pause nobody lifts,
// a removal from something nothing adds to.

func pausedForever() Rule {
	return Rule{
		Name: "paused-forever", Severity: Warning,
		Summary: "pause_campaign or pause_sequence with no matching unpause anywhere in the workspace",
		Check: func(p *Pass) {
			for _, b := range p.facts.actions {
				var attr, unpause string
				switch b.Type {
				case "pause_campaign":
					attr, unpause = "campaign", "unpause_campaign"
				case "pause_sequence":
					attr, unpause = "sequence", "unpause_sequence"
				default:
					continue
				}
				target := p.Program.Target(b, attr)
				if target == nil || len(p.facts.actionsOf(unpause, attr, target)) > 0 {
					continue
				}
				p.Report(b.DefRange,
					fmt.Sprintf("%s pauses %s, and nothing in the workspace unpauses it: paused contacts stay paused forever", describeAction(b), lang.Describe(target)),
					fmt.Sprintf("add an %s { %s = %s.%s } where contacts should resume, or use remove instead", unpause, attr, target.Type, target.Name))
			}
		},
	}
}

func removeNeverAdded() Rule {
	return Rule{
		Name: "remove-never-added", Severity: Warning,
		Summary: "remove_from_sequence or remove_from_fulfillment for a sequence or list that nothing adds contacts to",
		Check: func(p *Pass) {
			for _, b := range p.facts.actions {
				var attr, adder string
				switch b.Type {
				case "remove_from_sequence":
					attr, adder = "sequence", "add_to_sequence"
				case "remove_from_fulfillment":
					attr, adder = "list", "send_to_fulfillment"
				default:
					continue
				}
				target := p.Program.Target(b, attr)
				if target == nil || len(p.facts.actionsOf(adder, attr, target)) > 0 || doneBySteps(p.Program, adder, target) {
					continue
				}
				how := adder
				if step := kinds.LookupElement(adder).Step; step != nil {
					how += " or a sequence step's " + step.Attr
				}
				p.Report(b.DefRange,
					fmt.Sprintf("%s removes contacts from %s, but nothing adds contacts to it: the removal never does anything", describeAction(b), lang.Describe(target)),
					fmt.Sprintf("remove this action, or add contacts with %s", how))
			}
		},
	}
}

// doneBySteps reports whether a sequence step does the action to the
// target (fulfillment = ... adds rows to the fulfillment list).
func doneBySteps(p *compiler.Program, action string, target *lang.Block) bool {
	for _, s := range p.Sequences {
		for _, st := range liveSteps(s) {
			if k, _ := kinds.StepAction(st.Content); k != nil && k.Name == action && st.Target == target {
				return true
			}
		}
	}
	return false
}
