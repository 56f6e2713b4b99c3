package compiler

import (
	"fmt"
	"sort"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/parallel"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Plan builds the execution plan of a program. Call it only on a program
// without error findings: the plan states what will happen, and a program
// with errors does not say.
func Plan(p *Program) (*plan.Plan, error) {
	if p == nil {
		return nil, fmt.Errorf("no program to plan")
	}
	e := &emitter{prog: p}
	out := &plan.Plan{
		FormatVersion: plan.FormatVersion,
		Account: plan.Account{
			TimeZone: p.Account.TimeZone, DefaultSendTime: p.Account.DefaultSendTime,
			Senders: nonNil(p.Account.Senders), SMSNumbers: nonNil(p.Account.SMSNumbers), Edition: p.Account.Edition,
			PostalAddress: p.PostalAddress(),
		},
		Fields:    e.fields(),
		Assets:    e.assets(),
		Sequences: []plan.Sequence{},
		Rules:     []plan.Rule{},
		Moved:     []plan.Moved{},
	}
	for _, s := range sortedBy(p.Sequences, func(s *Sequence) string { return s.Name }) {
		out.Sequences = append(out.Sequences, e.sequence(s))
	}
	for _, r := range sortedBy(p.Rules, func(r *Rule) string { return r.Name }) {
		out.Rules = append(out.Rules, e.rule(r))
	}
	// Campaigns are most of a plan and independent of one another: they
	// are emitted on every core, each by an emitter of its own.
	campaigns := sortedBy(p.Campaigns, func(c *Campaign) string { return c.Name })
	out.Campaigns = make([]plan.Campaign, len(campaigns))
	errs := make([]error, len(campaigns))
	parallel.Chunks(len(campaigns), workersFor(len(campaigns)), func(i int) int { return 1 + len(campaigns[i].Elements) }, func(_, lo, hi int) {
		ce := &emitter{prog: p}
		for i := lo; i < hi; i++ {
			out.Campaigns[i] = ce.campaign(campaigns[i])
			errs[i], ce.err = ce.err, nil
		}
	})
	for _, err := range errs {
		if err != nil && e.err == nil {
			e.err = err
		}
	}
	for _, b := range p.Workspace.Of("moved") {
		from, to := b.Ref("from"), b.Ref("to")
		if from != nil && to != nil {
			out.Moved = append(out.Moved, plan.Moved{From: from.String(), To: to.String()})
		}
	}
	sort.Slice(out.Moved, func(i, j int) bool {
		if out.Moved[i].From != out.Moved[j].From {
			return out.Moved[i].From < out.Moved[j].From
		}
		return out.Moved[i].To < out.Moved[j].To
	})
	if e.err != nil {
		return nil, e.err
	}
	hash, err := out.ComputeHash()
	if err != nil {
		return nil, err
	}
	out.Hash = hash
	return out, nil
}

type emitter struct {
	prog *Program
	err  error
}

func (e *emitter) fields() []plan.Field {
	var out []plan.Field
	for _, f := range e.prog.Fields {
		pf := plan.Field{Name: f.Name, Type: f.Type, ReadOnly: f.ReadOnly, Builtin: f.Builtin}
		if f.Default != NilValue && !f.Default.IsNull() {
			pf.Default = e.marshal(ctyJSON(f.Default))
		}
		out = append(out, pf)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// assets are the declarations of the table's asset kinds, sorted by kind
// and name.
func (e *emitter) assets() []plan.Asset {
	out := []plan.Asset{}
	for _, k := range kinds.Assets() {
		decls := e.prog.Decls[k.Name]
		names := make([]string, 0, len(decls))
		for n := range decls {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			b := decls[n]
			out = append(out, plan.Asset{Kind: k.Name, Name: n, Settings: e.settings(b), Source: source(b)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

func (e *emitter) campaign(c *Campaign) plan.Campaign {
	pc := plan.Campaign{Name: c.Name, Reentry: plan.Reentry{Mode: c.Reentry.Mode}, Elements: []plan.Element{}, Source: source(c.Block)}
	if c.Reentry.Mode == "interval" {
		after := c.Reentry.After
		pc.Reentry.After = &after
	}
	for _, el := range c.Elements {
		pe := plan.Element{ID: el.ID(), Name: el.Name, Kind: el.Kind.Name, Draft: el.Draft, Settings: e.settings(el.Block), Edges: []plan.Edge{}, Source: source(el.Block)}
		if el.Timer != nil {
			key := "at"
			switch {
			case el.Kind.Has(kinds.Timer):
				key = kinds.TimerSetting
			case el.Kind.Has(kinds.Deadline):
				key = kinds.DeadlineSetting
			}
			pe.Settings[key] = e.marshal(el.Timer.Timer)
		}
		for _, ed := range el.Edges {
			if ed.To != nil {
				pe.Edges = append(pe.Edges, plan.Edge{Label: ed.Label, To: ed.To.Name, Weight: ed.Weight})
			}
		}
		pc.Elements = append(pc.Elements, pe)
	}
	return pc
}

func (e *emitter) sequence(s *Sequence) plan.Sequence {
	ps := plan.Sequence{Name: s.Name, Kind: s.Kind, UnsubscribeAfterLastStep: s.UnsubscribeAfterLastStep, Steps: []plan.Step{}, Source: source(s.Block)}
	for _, st := range s.Steps {
		pst := plan.Step{ID: s.Name + "/" + st.Name, Name: st.Name, Draft: st.Draft, Actions: []plan.Action{}, Source: source(st.Block)}
		if st.Schedule != nil {
			pst.Schedule = *st.Schedule
		}
		if a, ok := e.stepAction(st.Block, st.Content, st.Target); ok {
			pst.Actions = append(pst.Actions, a)
		}
		if rb := st.Block.First(kinds.StepRule); rb != nil {
			pst.If = e.expression(rb, "if")
			pst.Actions = e.actions(st.Actions)
		}
		for _, p := range st.Paths {
			if a, ok := e.stepAction(p.Block, p.Content, p.Target); ok {
				pst.Split = append(pst.Split, plan.StepPath{Weight: p.Weight, Action: a})
			}
		}
		ps.Steps = append(ps.Steps, pst)
	}
	return ps
}

// stepAction is the action a step's content attribute (or a split path's
// message) does: the declaration it names, the defaults of the action's
// kind, and the options b sets beside the content (wait_for_completion).
func (e *emitter) stepAction(b *lang.Block, content string, target *lang.Block) (plan.Action, bool) {
	kind, setting := kinds.StepAction(content)
	if kind == nil || target == nil {
		return plan.Action{}, false
	}
	settings := plan.Settings{setting: e.marshal(target.Name)}
	for _, spec := range kind.Attrs {
		if v, ok := spec.PlanDefault(); ok && spec.DefaultWith == "" {
			settings[spec.Name] = e.marshal(v)
		}
	}
	for spec, a := range b.SetAttrs() {
		if kinds.StepOptionOf(spec.Name) != content {
			continue
		}
		if v, ok := e.value(b, spec, a.Value); ok {
			settings[spec.Name] = e.marshal(v)
		}
	}
	return plan.Action{Kind: kind.Name, Settings: settings}, true
}

func (e *emitter) rule(r *Rule) plan.Rule {
	pr := plan.Rule{Name: r.Name, If: e.expression(r.Block, "if"), Actions: e.actions(r.Actions), Source: source(r.Block)}
	if call := r.Block.Call("when"); call != nil {
		pr.When = e.event(r.Block, "when", call)
	}
	return pr
}

func (e *emitter) actions(blocks []*lang.Block) []plan.Action {
	out := []plan.Action{}
	for _, b := range blocks {
		out = append(out, plan.Action{Kind: b.Type, Settings: e.settings(b)})
	}
	return out
}

func (e *emitter) expression(b *lang.Block, attr string) *plan.Expression {
	if x := b.Expr(attr); x != nil {
		return e.prog.Expression(x)
	}
	return nil
}

func source(b *lang.Block) *plan.Source {
	if b == nil || b.DefRange.Filename == "" {
		return nil
	}
	return &plan.Source{File: b.DefRange.Filename, Line: b.DefRange.Start.Line}
}

func sortedBy[T any](list []T, key func(T) string) []T {
	out := append([]T(nil), list...)
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
