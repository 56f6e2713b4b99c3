package runtime

import (
	"errors"
	"fmt"
	"strings"
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
	assets      plan.AssetIndex

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
	// segments by name, in plan order; dynamicSegments in the order a
	// contact's are evaluated (segments.go).
	segments        map[string]*Segment
	segmentList     []*Segment
	dynamicSegments []*Segment
	// pages are the URL patterns the plan listens for (page_visited), each
	// with its route: a visit goes to every pattern it matches.
	pages    []pageRoute
	pageKeys map[string]bool

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
	// Event: triggers, goals and decisions; Within or Deadline: a
	// decision's deadline, a duration or a date.
	Event    *plan.Event
	eventKey string
	// Key is the event property that names an entry: a trigger's starts
	// one per key, a goal or decision moves the one of its event's key.
	Key      string
	Where    *Expr
	Within   *plan.Duration
	Deadline *plan.Timer
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
	// Paths are a split step's: each contact gets one path's action.
	Paths  []*StepPath
	Source *plan.Source
}

// allActions are every action the step may perform: its own, or each
// path's of its split.
func (st *Step) allActions() []*Action {
	out := st.Actions
	for _, p := range st.Paths {
		out = append(out[:len(out):len(out)], p.Action)
	}
	return out
}

// StepPath is a linked path of a split step.
type StepPath struct {
	Weight float64
	Action *Action
}

// Rule is a linked legacy rule.
type Rule struct {
	Name    string
	When    plan.Event
	If      *Expr
	Actions []*Action
}

// LinkError is a plan this runtime cannot run, with every reason: each a
// *BlockError at the block of the plan that has it.
type LinkError struct {
	// Problems is errors.Join of the BlockErrors, in plan order.
	Problems error
}

func (e *LinkError) Error() string {
	return "this runtime cannot run the plan:\n" + e.Problems.Error() +
		"\nhint: compile the workspace again with this journey (journey compile), which writes plans this runtime runs"
}

func (e *LinkError) Unwrap() error { return e.Problems }

// BlockError is one problem of a block of a plan, named by its ID and, from
// the plan's source map, its HCL file and line.
type BlockError struct {
	Source *plan.Source // nil when the plan has no source for the block
	Block  string       // "onboarding/welcome (send_email)", "task call"
	Err    error
}

func (e *BlockError) Error() string {
	if e.Source == nil {
		return e.Block + ": " + e.Err.Error()
	}
	return e.Source.String() + ": " + e.Block + ": " + e.Err.Error()
}

func (e *BlockError) Unwrap() error { return e.Err }

// linking is one Link: the linkers by kind, and the plan's problems, so
// that Link reports them all at once.
type linking struct {
	flows    map[string]flowLinker
	actions  *executorTable
	problems []error
}

// fail records err at a block: each error errors.Join joined is a problem
// of its own.
func (l *linking) fail(src *plan.Source, block string, err error) {
	if err == nil {
		return
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			l.fail(src, block, e)
		}
		return
	}
	l.problems = append(l.problems, &BlockError{Source: src, Block: block, Err: err})
}

// within says where in a block each of err's problems is.
func within(where string, err error) error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range joined.Unwrap() {
			errs = append(errs, within(where, e))
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("%s: %w", where, err)
}

// Link prepares a plan for running. It decodes every setting of every
// asset, element, step and rule strictly into its kind's typed settings,
// and refuses a plan this runtime cannot run (a setting its kind does not
// have or of the wrong type, an unknown kind, an expression it cannot
// evaluate) with a *LinkError that names every problem.
func Link(p *plan.Plan) (*Program, error) {
	prog := &Program{
		Plan: p, fields: map[string]plan.Field{},
		campaigns: map[string]*Campaign{}, sequences: map[string]*Sequence{},
		triggers: map[string][]*Element{}, goals: map[string][]*Element{}, rules: map[string][]*Rule{},
		dateKeys: map[string]*dateWatch{}, pageKeys: map[string]bool{}, zones: map[string]*time.Location{}, segments: map[string]*Segment{},
	}
	l := &linking{flows: flowLinkers(), actions: executors()}
	loc, err := prog.location(p.Account.TimeZone)
	if err != nil {
		l.fail(nil, "account", fmt.Errorf("time zone: %w", err))
	}
	prog.accountLoc, prog.defaultSend = loc, parseClock(p.Account.DefaultSendTime)
	for _, f := range p.Fields {
		prog.fields[f.Name] = f
	}
	for i := range p.Assets {
		a := &p.Assets[i]
		l.fail(a.Source, a.Kind+" "+a.Name, prog.assets.Add(a))
		if list := prog.assets.FulfillmentList[a.Name]; a.Kind == "fulfillment_list" && list != nil && list.DeliverTo != nil && list.DeliverTo.Owner {
			l.fail(a.Source, a.Kind+" "+a.Name, errors.New("deliver_to is the contact's owner, but a batch holds many contacts: deliver it to a user or an address"))
		}
	}
	prog.linkSegments(l)
	for i := range p.Campaigns {
		prog.linkCampaign(l, &p.Campaigns[i])
	}
	for i := range p.Sequences {
		prog.linkSequence(l, &p.Sequences[i])
	}
	for i := range p.Rules {
		prog.linkRule(l, &p.Rules[i])
	}
	if len(l.problems) > 0 {
		return nil, &LinkError{Problems: errors.Join(l.problems...)}
	}
	return prog, nil
}

func (p *Program) linkCampaign(l *linking, pc *plan.Campaign) {
	c := &Campaign{Name: pc.Name, Reentry: pc.Reentry, byName: map[string]*Element{}}
	for i := range pc.Elements {
		pe := &pc.Elements[i]
		el := &Element{Campaign: c, ID: pe.ID, Name: pe.Name, Kind: pe.Kind, Draft: pe.Draft, Source: pe.Source}
		l.fail(pe.Source, pe.ID+" ("+pe.Kind+")", p.linkElement(l, el, pe.Settings))
		c.Elements = append(c.Elements, el)
		c.byName[el.Name] = el
	}
	for i := range pc.Elements {
		el := c.Elements[i]
		for _, ed := range pc.Elements[i].Edges {
			to := c.byName[ed.To]
			if to == nil {
				l.fail(el.Source, el.ID+" ("+el.Kind+")", fmt.Errorf("edge %s leads to %q, which the plan lacks", ed.Label, ed.To))
				continue
			}
			el.Edges = append(el.Edges, &Edge{Label: ed.Label, To: to, Weight: ed.Weight})
		}
	}
	p.Campaigns = append(p.Campaigns, c)
	p.campaigns[c.Name] = c
}

// linkElement decodes an element's settings into its kind's and binds
// them: a flow element's by its linker, an action's by its executor.
func (p *Program) linkElement(l *linking, el *Element, s plan.Settings) error {
	if link, ok := l.flows[el.Kind]; ok {
		return link(p, el, s)
	}
	var err error
	el.Action, err = p.linkAction(l, el.Kind, s, el.ID)
	return err
}

func (p *Program) linkSequence(l *linking, ps *plan.Sequence) {
	s := &Sequence{Name: ps.Name, Kind: ps.Kind, Unsubscribe: ps.UnsubscribeAfterLastStep}
	for i := range ps.Steps {
		pst := &ps.Steps[i]
		st := &Step{Sequence: s, ID: pst.ID, Name: pst.Name, Index: i, Draft: pst.Draft, Schedule: pst.Schedule, Source: pst.Source}
		var err error
		st.If, err = compileExpr(pst.If)
		l.fail(pst.Source, pst.ID, err)
		st.Actions = p.linkActions(l, pst.Actions, pst.Source, pst.ID, pst.ID)
		for j, path := range pst.Split {
			a, err := p.linkAction(l, path.Action.Kind, path.Action.Settings, pst.ID)
			if err != nil {
				l.fail(pst.Source, fmt.Sprintf("%s, path %d (%s)", pst.ID, j+1, path.Action.Kind), err)
				continue
			}
			st.Paths = append(st.Paths, &StepPath{Weight: path.Weight, Action: a})
		}
		s.Steps = append(s.Steps, st)
	}
	p.Sequences = append(p.Sequences, s)
	p.sequences[s.Name] = s
}

func (p *Program) linkRule(l *linking, r *plan.Rule) {
	lr := &Rule{Name: r.Name, When: r.When}
	block := "rule " + r.Name
	var err error
	lr.If, err = compileExpr(r.If)
	l.fail(r.Source, block, err)
	args, err := r.When.DecodeArgs()
	l.fail(r.Source, block, within("when", err))
	lr.Actions = p.linkActions(l, r.Actions, r.Source, block, "rule/"+r.Name)
	p.Rules = append(p.Rules, lr)
	key := eventKey(r.When.Kind, args)
	p.rules[key] = append(p.rules[key], lr)
	p.watchDate(key, r.When.Kind, args)
	l.fail(r.Source, block, within("when", p.watchPage(key, r.When.Kind, args)))
}

// linkActions links a step's or rule's actions; block names the owner in
// errors, source in deliveries.
func (p *Program) linkActions(l *linking, list []plan.Action, src *plan.Source, block, source string) []*Action {
	var out []*Action
	for i, a := range list {
		la, err := p.linkAction(l, a.Kind, a.Settings, source)
		if err != nil {
			l.fail(src, fmt.Sprintf("%s, action %d (%s)", block, i+1, a.Kind), err)
			continue
		}
		la.index = i
		out = append(out, la)
	}
	return out
}

// Campaign returns a campaign by name, or nil.
func (p *Program) Campaign(name string) *Campaign { return p.campaigns[name] }

// Sequence returns a sequence by name, or nil.
func (p *Program) Sequence(name string) *Sequence { return p.sequences[name] }

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

// watchDate notes a date_reached event the plan listens for (key routes
// it). A date field's date is reached at the account's default_send_time,
// a datetime field's at its time (as until_field counts them).
func (p *Program) watchDate(key, kind string, args plan.EventArgs) {
	if kind != "date_reached" || p.dateKeys[key] != nil {
		return
	}
	w := &dateWatch{key: key, fd: plan.FieldDate{Field: args.Field, Annual: args.Annual}}
	if args.Offset != nil {
		w.fd.Offset = *args.Offset
	}
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

// eventKey routes one of the plan's events: its kind and its main
// argument, as Event.key routes the events the engine is handed.
func eventKey(kind string, args plan.EventArgs) string {
	if kind == "date_reached" {
		var offset plan.Duration
		if args.Offset != nil {
			offset = *args.Offset
		}
		return dateKey(args.Field, offset.String(), args.Annual)
	}
	key := kind
	for _, name := range eventParams(kind) {
		if v := args.Text(name); v != "" {
			key += ":" + v
		}
	}
	return key
}

// eventParams are the names of the arguments of an event kind, which name
// what it is about, in the table's order; none for a kind this journey does
// not have.
func eventParams(kind string) []string {
	k, _ := plan.LookupEvent(kind)
	return k.ParamNames()
}

// pageRoute is a URL pattern the plan listens for and the key that routes
// the visits it matches.
type pageRoute struct {
	key     string
	param   string
	pattern plan.URLPattern
}

// watchPage notes an event's URL pattern (page_visited's url), so that a
// visit is routed to every pattern it matches. A pattern this runtime does
// not read is a plan it cannot run.
func (p *Program) watchPage(key, kind string, args plan.EventArgs) error {
	k, _ := plan.LookupEvent(kind)
	for _, param := range k.Params {
		if !param.Pattern || p.pageKeys[key] {
			continue
		}
		pattern, err := plan.ParseURLPattern(args.Text(param.Name))
		if err != nil {
			return fmt.Errorf("%s: %w", param.Name, err)
		}
		p.pageKeys[key] = true
		p.pages = append(p.pages, pageRoute{key: key, param: param.Name, pattern: pattern})
	}
	return nil
}

// routes are the keys an event is routed by: its own, or for a page
// visit the key of every pattern its URL matches, in plan order.
func (p *Program) routes(ev Event) []string {
	k, _ := plan.LookupEvent(ev.Kind)
	for _, param := range k.Params {
		if !param.Pattern {
			continue
		}
		var keys []string
		for _, r := range p.pages {
			if r.param == param.Name && strings.HasPrefix(r.key, ev.Kind+":") && r.pattern.Match(ev.Args[param.Name]) {
				keys = append(keys, r.key)
			}
		}
		return keys
	}
	return []string{ev.key()}
}
