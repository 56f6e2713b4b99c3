package runtime

import (
	"fmt"
	"sync"
	"time"

	// Zones come from the tz database built into the binary, so that timers
	// fire at the same instants on every machine.
	_ "time/tzdata"

	"github.com/journeyhq/journey/compiler/plan"
)

// Program is a plan linked for running: elements indexed and wired, settings
// decoded, expressions compiled and actions bound, once per plan version.
type Program struct {
	Plan        *plan.Plan
	accountLoc  *time.Location
	defaultSend clock
	fields      map[string]plan.Field
	assets      map[string]map[string]plan.Settings

	Campaigns []*Campaign
	Sequences []*Sequence
	Rules     []*Rule
	campaigns map[string]*Campaign
	sequences map[string]*Sequence

	// Routing of events: event key -> triggers, goals, rules, in plan order.
	triggers map[string][]*Element
	goals    map[string][]*Element
	rules    map[string][]*Rule
	// dates are the date_reached events the plan listens for; the runtime
	// raises them itself when a contact's date comes.
	dates    []*dateWatch
	dateKeys map[string]*dateWatch

	zoneMu sync.Mutex
	zones  map[string]*time.Location
}

// Campaign is a linked campaign.
type Campaign struct {
	Name     string
	Reentry  plan.Reentry
	Elements []*Element
	byName   map[string]*Element
}

// Element returns the element by name, or nil.
func (c *Campaign) Element(name string) *Element { return c.byName[name] }

// Element is a linked campaign element.
type Element struct {
	Campaign *Campaign
	ID       string
	Name     string
	Kind     string
	Draft    bool
	Edges    []*Edge
	Source   *plan.Source
	// Event: triggers, goals and decisions; Within: decisions.
	Event    *plan.Event
	eventKey string
	Where    *Expr
	Within   plan.Duration
	Timer    *plan.Timer
	If       *Expr
	Exit     bool
	Action   *Action
}

// Edge is a linked edge.
type Edge struct {
	Label  string
	To     *Element
	Weight float64
}

// edge returns the element an edge label leads to, or nil.
func (e *Element) edge(label string) *Element {
	for _, ed := range e.Edges {
		if ed.Label == label {
			return ed.To
		}
	}
	return nil
}

// Sequence is a linked sequence.
type Sequence struct {
	Name        string
	Kind        string
	Unsubscribe bool
	Steps       []*Step
}

// Step is a linked sequence step.
type Step struct {
	Sequence *Sequence
	ID       string
	Name     string
	Index    int
	Draft    bool
	Schedule plan.Schedule
	If       *Expr
	Actions  []*Action
	Source   *plan.Source
}

// Rule is a linked legacy rule.
type Rule struct {
	Name    string
	When    plan.Event
	If      *Expr
	Actions []*Action
}

// Link prepares a plan for running. It fails on a plan this runtime cannot
// run (an unknown action kind, an expression it cannot evaluate).
func Link(p *plan.Plan) (*Program, error) {
	prog := &Program{
		Plan: p, fields: map[string]plan.Field{}, assets: map[string]map[string]plan.Settings{},
		campaigns: map[string]*Campaign{}, sequences: map[string]*Sequence{},
		triggers: map[string][]*Element{}, goals: map[string][]*Element{}, rules: map[string][]*Rule{},
		dateKeys: map[string]*dateWatch{}, zones: map[string]*time.Location{},
	}
	loc, err := prog.location(p.Account.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("account time zone: %w", err)
	}
	prog.accountLoc, prog.defaultSend = loc, parseClock(p.Account.DefaultSendTime)
	for _, f := range p.Fields {
		prog.fields[f.Name] = f
	}
	for _, a := range p.Assets {
		if prog.assets[a.Kind] == nil {
			prog.assets[a.Kind] = map[string]plan.Settings{}
		}
		prog.assets[a.Kind][a.Name] = a.Settings
	}
	for i := range p.Campaigns {
		if err := prog.linkCampaign(&p.Campaigns[i]); err != nil {
			return nil, err
		}
	}
	for i := range p.Sequences {
		if err := prog.linkSequence(&p.Sequences[i]); err != nil {
			return nil, err
		}
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		lr := &Rule{Name: r.Name, When: r.When}
		if lr.If, err = compileExpr(r.If); err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.Name, err)
		}
		if lr.Actions, err = prog.linkActions(r.Actions, "rule/"+r.Name); err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.Name, err)
		}
		prog.Rules = append(prog.Rules, lr)
		key := EventKey(r.When)
		prog.rules[key] = append(prog.rules[key], lr)
		prog.watchDate(r.When)
	}
	return prog, nil
}

func (p *Program) linkCampaign(pc *plan.Campaign) error {
	c := &Campaign{Name: pc.Name, Reentry: pc.Reentry, byName: map[string]*Element{}}
	for i := range pc.Elements {
		pe := &pc.Elements[i]
		el := &Element{Campaign: c, ID: pe.ID, Name: pe.Name, Kind: pe.Kind, Draft: pe.Draft, Source: pe.Source}
		if err := p.linkElement(el, pe.Settings); err != nil {
			return fmt.Errorf("%s: %w", pe.ID, err)
		}
		c.Elements = append(c.Elements, el)
		c.byName[el.Name] = el
	}
	for i := range pc.Elements {
		el := c.Elements[i]
		for _, ed := range pc.Elements[i].Edges {
			to := c.byName[ed.To]
			if to == nil {
				return fmt.Errorf("%s: edge %s leads to %q, which the plan lacks", el.ID, ed.Label, ed.To)
			}
			el.Edges = append(el.Edges, &Edge{Label: ed.Label, To: to, Weight: ed.Weight})
		}
	}
	p.Campaigns = append(p.Campaigns, c)
	p.campaigns[c.Name] = c
	return nil
}

func (p *Program) linkElement(el *Element, s plan.Settings) error {
	var err error
	if s.Has("on") {
		var ev plan.Event
		if err := s.Decode("on", &ev); err != nil {
			return err
		}
		el.Event, el.eventKey = &ev, EventKey(ev)
		if !el.Draft {
			p.watchDate(ev)
		}
	}
	if err := s.Decode("within", &el.Within); err != nil {
		return err
	}
	if s.Has("timer") {
		el.Timer = &plan.Timer{}
		if err := s.Decode("timer", el.Timer); err != nil {
			return err
		}
	}
	el.Exit = s.Bool("exit")
	for key, dst := range map[string]**Expr{"where": &el.Where, "if": &el.If} {
		var x *plan.Expression
		if err := s.Decode(key, &x); err != nil {
			return err
		}
		if *dst, err = compileExpr(x); err != nil {
			return err
		}
	}
	switch el.Kind {
	case "trigger":
		if !el.Draft {
			p.triggers[el.eventKey] = append(p.triggers[el.eventKey], el)
		}
	case "goal":
		if !el.Draft {
			p.goals[el.eventKey] = append(p.goals[el.eventKey], el)
		}
	case "wait", "decision", "condition", "fork", "split", "end":
	default:
		el.Action, err = p.linkAction(el.Kind, s, el.ID)
	}
	return err
}

func (p *Program) linkSequence(ps *plan.Sequence) error {
	s := &Sequence{Name: ps.Name, Kind: ps.Kind, Unsubscribe: ps.UnsubscribeAfterLastStep}
	for i := range ps.Steps {
		pst := &ps.Steps[i]
		st := &Step{Sequence: s, ID: pst.ID, Name: pst.Name, Index: i, Draft: pst.Draft, Schedule: pst.Schedule, Source: pst.Source}
		var err error
		if st.If, err = compileExpr(pst.If); err != nil {
			return fmt.Errorf("%s: %w", pst.ID, err)
		}
		if st.Actions, err = p.linkActions(pst.Actions, pst.ID); err != nil {
			return fmt.Errorf("%s: %w", pst.ID, err)
		}
		s.Steps = append(s.Steps, st)
	}
	p.Sequences = append(p.Sequences, s)
	p.sequences[s.Name] = s
	return nil
}

func (p *Program) linkActions(list []plan.Action, source string) ([]*Action, error) {
	var out []*Action
	for i, a := range list {
		la, err := p.linkAction(a.Kind, a.Settings, source)
		if err != nil {
			return nil, err
		}
		la.index = i
		out = append(out, la)
	}
	return out, nil
}

// Campaign returns a campaign by name, or nil.
func (p *Program) Campaign(name string) *Campaign { return p.campaigns[name] }

// Sequence returns a sequence by name, or nil.
func (p *Program) Sequence(name string) *Sequence { return p.sequences[name] }

// asset returns an asset's settings, or nil.
func (p *Program) asset(kind, name string) plan.Settings { return p.assets[kind][name] }

// location loads a zone once per program.
func (p *Program) location(name string) (*time.Location, error) {
	p.zoneMu.Lock()
	defer p.zoneMu.Unlock()
	if loc, ok := p.zones[name]; ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	p.zones[name] = loc
	return loc, nil
}

// AccountLocation is the account's time zone.
func (p *Program) AccountLocation() *time.Location { return p.accountLoc }

// dateWatch is a date_reached event: the field, offset and annual of the
// contact's date that raises it.
type dateWatch struct {
	key string
	fd  plan.FieldDate
}

// watchDate notes a date_reached event the plan listens for. A date
// field's date is reached at the account's default_send_time, a datetime
// field's at its time (as until_field counts them).
func (p *Program) watchDate(ev plan.Event) {
	if ev.Kind != "date_reached" {
		return
	}
	key := EventKey(ev)
	if p.dateKeys[key] != nil {
		return
	}
	w := &dateWatch{key: key, fd: plan.FieldDate{Field: ev.Args.String("field"), Annual: ev.Args.Bool("annual")}}
	_ = ev.Args.Decode("offset", &w.fd.Offset)
	if f, ok := p.fields[w.fd.Field]; !ok || f.Type != "datetime" {
		w.fd.At = p.Plan.Account.DefaultSendTime
	}
	p.dates = append(p.dates, w)
	p.dateKeys[key] = w
}

// dateKey routes a date_reached event: its field, offset and annual, so
// that "two days before" and "on the day" are different events.
func dateKey(field, offset string, annual bool) string {
	key := "date_reached:" + field + ":" + offset
	if annual {
		key += ":annual"
	}
	return key
}

// EventKey routes an event: its kind and its main argument.
func EventKey(ev plan.Event) string {
	if ev.Kind == "date_reached" {
		var offset plan.Duration
		_ = ev.Args.Decode("offset", &offset)
		return dateKey(ev.Args.String("field"), offset.String(), ev.Args.Bool("annual"))
	}
	key := ev.Kind
	for _, arg := range eventArgs {
		if v := ev.Args.String(arg); v != "" {
			key += ":" + v
		}
	}
	return key
}
