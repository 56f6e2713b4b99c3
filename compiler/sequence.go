package compiler

import (
	"fmt"

	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// sequence builds a sequence's steps with normalized schedules.
func (c *compiler) sequence(b *lang.Block) {
	if c.prog.Decls["sequence"][b.Name] != b {
		return
	}
	seq := &Sequence{Name: b.Name, Block: b, Kind: "step", UnsubscribeAfterLastStep: b.Bool("unsubscribe_after_last_step")}
	if k, ok := b.String("kind"); ok && k == "date" {
		seq.Kind = "date"
	}
	names := map[string]*lang.Block{}
	for _, sb := range b.Nested("step") {
		if first := names[sb.Name]; first != nil {
			c.add(lang.Errorf(lang.RuleDuplicateName, sb.DefRange,
				fmt.Sprintf("sequence %q has two steps named %q", b.Name, sb.Name),
				"rename one of them (the name is the step's ID in state and moved blocks)",
				lang.Related{Message: "the first step of that name", Range: first.DefRange}))
			continue
		}
		names[sb.Name] = sb
		st := &Step{Sequence: seq, Block: sb, Name: sb.Name, Draft: sb.Bool("draft"), ScheduleBlock: sb.First("schedule")}
		st.Schedule = c.schedule(seq, st, st.ScheduleBlock)
		for _, content := range kinds.StepContents() {
			if sb.Has(content) {
				st.Content, st.Target = content, c.prog.Target(sb, content)
				break
			}
			if rb := sb.First(content); rb != nil {
				st.Content = content
				if then := rb.First("then"); then != nil {
					st.Actions = then.Blocks
				}
				for _, pb := range rb.Nested("path") {
					st.Paths = append(st.Paths, c.stepPath(pb))
				}
				break
			}
		}
		seq.Steps = append(seq.Steps, st)
	}
	c.prog.Sequences = append(c.prog.Sequences, seq)
}

// stepPath reads one path of a split step.
func (c *compiler) stepPath(pb *lang.Block) *StepPath {
	p := &StepPath{Block: pb}
	p.Weight, _ = pb.Number("weight")
	for _, m := range kinds.SplitMessages() {
		if pb.Has(m) {
			p.Content, p.Target = m, c.prog.Target(pb, m)
			break
		}
	}
	return p
}

// rule builds a legacy rule.
func (c *compiler) rule(b *lang.Block) {
	if c.prog.Decls["rule"][b.Name] != b {
		return
	}
	r := &Rule{Name: b.Name, Block: b}
	if call := b.Call("when"); call != nil {
		r.When = c.event(b, "when", call)
	}
	if then := b.First("then"); then != nil {
		r.Actions = then.Blocks
	}
	c.prog.Rules = append(c.prog.Rules, r)
}
