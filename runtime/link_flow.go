package runtime

import "github.com/journeyhq/journey/compiler/plan"

// flowLinker binds a flow element's settings, decoded strictly into its
// kind's struct, to the element.
type flowLinker func(p *Program, el *Element, raw plan.Settings) error

// flowLinkers lists every flow kind of the language with its linker; a
// test checks it against the kinds table.
func flowLinkers() map[string]flowLinker {
	m := map[string]flowLinker{}
	registerFlow(m, func(p *Program, el *Element, s *plan.Trigger) error {
		el.Key = s.Key
		return p.linkEntry(el, &s.On, s.Where, p.triggers)
	})
	registerFlow(m, func(p *Program, el *Element, s *plan.Goal) error {
		el.Key = s.Key
		return p.linkEntry(el, &s.On, s.Where, p.goals)
	})
	registerFlow(m, func(p *Program, el *Element, s *plan.Wait) error {
		el.Timer = &s.Timer
		return nil
	})
	registerFlow(m, func(p *Program, el *Element, s *plan.Decision) error {
		args, err := s.On.DecodeArgs()
		el.Event, el.eventKey, el.Within, el.Deadline, el.Key = &s.On, eventKey(s.On.Kind, args), s.Within, s.Deadline, s.Key
		if err != nil {
			return err
		}
		return p.watchEvent(el, args)
	})
	registerFlow(m, func(p *Program, el *Element, s *plan.Condition) error {
		var err error
		el.If, err = compileExpr(&s.If)
		return err
	})
	registerFlow(m, func(*Program, *Element, *plan.Fork) error { return nil })
	registerFlow(m, func(*Program, *Element, *plan.Split) error { return nil })
	registerFlow(m, func(p *Program, el *Element, s *plan.End) error {
		el.Exit = s.Exit
		return nil
	})
	return m
}

// registerFlow adds a flow kind's linker, the kind named by its settings.
func registerFlow[S any, P interface {
	*S
	plan.KindSettings
}](m map[string]flowLinker, link func(*Program, *Element, P) error) {
	m[P(new(S)).SettingsKind()] = func(p *Program, el *Element, raw plan.Settings) error {
		s := P(new(S))
		if err := plan.DecodeSettings(raw, s); err != nil {
			return err
		}
		return link(p, el, s)
	}
}

// linkEntry binds a trigger or goal: its event routes contacts to it
// (a draft's never does) and its where is compiled.
func (p *Program) linkEntry(el *Element, on *plan.Event, where *plan.Expression, routes map[string][]*Element) error {
	args, err := on.DecodeArgs()
	if err != nil {
		return err
	}
	el.Event, el.eventKey = on, eventKey(on.Kind, args)
	if err := p.watchEvent(el, args); err != nil {
		return err
	}
	if !el.Draft {
		routes[el.eventKey] = append(routes[el.eventKey], el)
	}
	el.Where, err = compileExpr(where)
	return err
}

// watchEvent watches the date of an element's date_reached event, and the
// pages of its page_visited.
func (p *Program) watchEvent(el *Element, args plan.EventArgs) error {
	if el.Draft {
		return nil
	}
	p.watchDate(el.eventKey, el.Event.Kind, args)
	return within("on", p.watchPage(el.eventKey, el.Event.Kind, args))
}
