package compiler

import (
	"encoding/json"
	"fmt"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// NilValue is the zero cty value (no default).
var NilValue = cty.NilVal

// settings normalizes a block's attributes by the kinds table: every
// attribute in one canonical form, defaults filled in. Edges, timers and
// what only reviewers read (description, ignore) are left out.
func (e *emitter) settings(b *lang.Block) plan.Settings {
	out := plan.Settings{}
	timerKind := b.Kind != nil && (b.Kind.Has(kinds.Timer) || b.Kind.Has(kinds.Deadline))
	for i := range b.Specs {
		spec := &b.Specs[i]
		if !kinds.InPlan(spec) || timerKind && kinds.IsTimerAttr(spec.Name) {
			continue
		}
		a := b.Attr(spec.Name)
		if a == nil {
			if v, ok := spec.PlanDefault(); ok && (spec.DefaultWith == "" || b.Has(spec.DefaultWith)) {
				out[spec.Name] = e.marshal(v)
			}
			continue
		}
		if v, ok := e.value(b, spec, a.Value); ok {
			out[spec.Name] = e.marshal(v)
		}
	}
	for _, nb := range b.Blocks {
		// Elements are emitted by their campaign; timers, edges and the
		// parts of sequences and rules by their owners.
		if nb.Kind == nil && nestedPlan(b, nb) == kinds.PlanObject {
			out[nb.Type] = e.marshal(e.settings(nb))
		}
	}
	return out
}

// nestedPlan is where the plan holds a nested block, by the table's
// declaration of it in its owner.
func nestedPlan(owner, nb *lang.Block) kinds.BlockPlan {
	if owner.Kind != nil {
		if spec := owner.Kind.Block(nb.Type); spec != nil {
			return spec.Plan
		}
	}
	return kinds.PlanObject
}

// value is one attribute in its canonical form.
func (e *emitter) value(b *lang.Block, spec *kinds.Attr, v lang.Value) (any, bool) {
	p := e.prog
	switch spec.Type {
	case kinds.Ref:
		t := p.Target(b, spec.Name)
		switch {
		case t == nil:
			return nil, false
		case len(spec.Targets) > 1:
			// A user or a lead router may share a name: say which.
			return map[string]string{t.Type: t.Name}, true
		}
		return t.Name, true
	case kinds.RefList:
		names := []string{}
		for _, t := range p.Targets(b, spec.Name) {
			names = append(names, t.Name)
		}
		return names, true
	case kinds.RefOrString:
		if kw, ok := v.(*lang.Keyword); ok && spec.Owner && kw.Name == kinds.OwnerWord {
			return plan.Recipient{Owner: true}, true
		}
		if t := p.Target(b, spec.Name); t != nil {
			return plan.Recipient{User: t.Name}, true
		}
		if s, ok := b.String(spec.Name); ok {
			return plan.Recipient{Address: s}, true
		}
	case kinds.Event:
		if call, ok := v.(*lang.Call); ok {
			return e.event(b, spec.Name, call), true
		}
	case kinds.Condition, kinds.Template:
		if x, ok := v.(*lang.Expr); ok {
			if pe := p.Expression(x); pe != nil {
				return pe, true
			}
		}
		e.fail(b, spec.Name)
	case kinds.FieldValues:
		sets := []plan.FieldSet{}
		if m, ok := v.(*lang.Map); ok {
			for _, entry := range m.Entries {
				x, ok := entry.Value.(*lang.Expr)
				if !ok || p.Expression(x) == nil {
					e.fail(b, spec.Name)
					continue
				}
				sets = append(sets, plan.FieldSet{Field: entry.Key, Value: *p.Expression(x)})
			}
		}
		return sets, true
	case kinds.Duration:
		if s, ok := b.String(spec.Name); ok {
			if d, err := ParseDuration(s); err == nil {
				return d, true
			}
		}
	case kinds.TimeOfDay:
		return timeAttr(b, spec.Name), true
	case kinds.Weekdays:
		days, _ := onDays(b)
		return days, true
	case kinds.Number, kinds.Bool, kinds.Any:
		if lit, ok := v.(*lang.Literal); ok {
			return ctyJSON(lit.Val), true
		}
	case kinds.StringList, kinds.EmailList, kinds.NumberList, kinds.Window:
		if l, ok := v.(*lang.List); ok {
			items := []json.RawMessage{}
			for _, it := range l.Items {
				if lit, ok := it.(*lang.Literal); ok {
					items = append(items, ctyJSON(lit.Val))
				}
			}
			return items, true
		}
	case kinds.StringMap:
		out := map[string]string{}
		if m, ok := v.(*lang.Map); ok {
			for _, entry := range m.Entries {
				if lit, ok := entry.Value.(*lang.Literal); ok && lit.Val.Type() == cty.String {
					out[entry.Key] = lit.Val.AsString()
				}
			}
		}
		return out, true
	case kinds.FieldType:
		if kw, ok := v.(*lang.Keyword); ok {
			return kw.Name, true
		}
	case kinds.Address:
		if r, ok := v.(*lang.Ref); ok {
			return r.String(), true
		}
	case kinds.EventProperty:
		// The property's name: key = event.appointment_id is
		// "appointment_id" (until_event is part of the timer).
		if r, ok := v.(*lang.Ref); ok {
			return r.Name(), true
		}
	default:
		if s, ok := b.String(spec.Name); ok {
			return s, true
		}
	}
	return nil, false
}

// event is a normalized event call: its kind and its arguments by name.
func (e *emitter) event(b *lang.Block, attr string, call *lang.Call) plan.Event {
	ev := plan.Event{Kind: call.Name, Args: plan.Settings{}}
	kind := kinds.LookupEvent(call.Name)
	if kind == nil {
		return ev
	}
	targets := e.prog.Targets(b, attr)
	for i, arg := range call.Args {
		param := kind.Params[i]
		switch a := arg.(type) {
		case *lang.Ref:
			for _, t := range targets {
				if t.Type == a.Kind() && t.Name == a.Name() {
					ev.Args[param.Name] = e.marshal(t.Name)
				}
			}
		case *lang.Literal:
			if param.Type == kinds.Duration && a.Val.Type() == cty.String {
				if d, err := ParseDuration(a.Val.AsString()); err == nil {
					ev.Args[param.Name] = e.marshal(d)
				}
				continue
			}
			ev.Args[param.Name] = ctyJSON(a.Val)
		}
	}
	// Optional arguments are stated too: the plan says what will happen.
	for i := len(call.Args); i < len(kind.Params); i++ {
		switch kind.Params[i].Type {
		case kinds.Duration:
			ev.Args[kind.Params[i].Name] = e.marshal(plan.Duration{})
		case kinds.Bool:
			ev.Args[kind.Params[i].Name] = e.marshal(false)
		}
	}
	if len(ev.Args) == 0 {
		ev.Args = nil
	}
	return ev
}

func (e *emitter) marshal(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil && e.err == nil {
		e.err = err
	}
	return raw
}

func (e *emitter) fail(b *lang.Block, attr string) {
	if e.err == nil {
		e.err = fmt.Errorf("%s: %s of %s did not compile; run journey validate", b.DefRange, attr, lang.Describe(b))
	}
}

func ctyJSON(v cty.Value) json.RawMessage {
	raw, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return json.RawMessage("null")
	}
	return raw
}
