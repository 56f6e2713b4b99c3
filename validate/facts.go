package validate

import (
	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// facts are indexes over the program that several rules ask for, built once
// per run before any rule starts and only read afterwards, so that a rule's
// cost stays proportional to what it checks (and rules may run at once).
type facts struct {
	prog *compiler.Program
	// actions are every action that runs (drafts left out): campaign
	// elements, rule actions, actions of sequence rule steps.
	actions  []*lang.Block
	byTarget map[actionKey][]*lang.Block
	// campaigns and sequences by their declaration.
	campaigns map[*lang.Block]*compiler.Campaign
	sequences map[*lang.Block]*compiler.Sequence
	// adders are the add_to_campaign elements that target a campaign.
	adders map[*lang.Block][]*compiler.Element
	// contentSteps are the sequence steps that do an action with one
	// attribute (email = email.tip is a send_email), drafts left out.
	contentSteps []contentStep
}

// contentStep is a step and the action its content attribute does.
type contentStep struct {
	*compiler.Step
	Action *kinds.Kind
}

type actionKey struct {
	kind, attr string
	target     *lang.Block
}

func newFacts(p *compiler.Program) *facts {
	f := &facts{
		prog:      p,
		byTarget:  map[actionKey][]*lang.Block{},
		campaigns: map[*lang.Block]*compiler.Campaign{},
		sequences: map[*lang.Block]*compiler.Sequence{},
		adders:    map[*lang.Block][]*compiler.Element{},
	}
	for _, c := range p.Campaigns {
		f.campaigns[c.Block] = c
		for _, el := range c.Elements {
			if el.Kind.Class == kinds.Action && !el.Draft {
				f.actions = append(f.actions, el.Block)
			}
			if el.Kind.Name == "add_to_campaign" && !el.Draft {
				if t := el.Target("campaign"); t != nil {
					f.adders[t] = append(f.adders[t], el)
				}
			}
		}
	}
	for _, r := range p.Rules {
		f.actions = append(f.actions, r.Actions...)
	}
	for _, s := range p.Sequences {
		f.sequences[s.Block] = s
		for _, st := range s.Steps {
			if st.Draft {
				continue
			}
			f.actions = append(f.actions, st.Actions...)
			if action, _ := kinds.StepAction(st.Content); action != nil {
				f.contentSteps = append(f.contentSteps, contentStep{st, action})
			}
		}
	}
	for _, b := range f.actions {
		for _, t := range p.TargetsOf(b) {
			key := actionKey{b.Type, t.Attr, t.Decl}
			f.byTarget[key] = append(f.byTarget[key], b)
		}
	}
	return f
}

// actionsOf lists the actions of one kind that reference target through
// attr.
func (f *facts) actionsOf(kind, attr string, target *lang.Block) []*lang.Block {
	return f.byTarget[actionKey{kind, attr, target}]
}

// campaignOf is the campaign an element's campaign attribute names.
func (f *facts) campaignOf(el *compiler.Element) *compiler.Campaign {
	return f.campaigns[el.Target("campaign")]
}

// sequenceOf is the sequence an element's sequence attribute names.
func (f *facts) sequenceOf(el *compiler.Element) *compiler.Sequence {
	return f.sequences[el.Target("sequence")]
}
