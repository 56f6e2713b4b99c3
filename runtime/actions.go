package runtime

import (
	"fmt"
	"strings"

	"github.com/journeyhq/journey/compiler/plan"
)

// Action is a linked action: its settings decoded once, bound to its
// executor.
type Action struct {
	Kind string
	// Settings are the action's settings, of its kind's type
	// (*plan.SendEmail for a send_email).
	Settings plan.KindSettings
	// Source is the element or step ID (or rule/NAME) that performs it.
	Source string
	// index is the action's place in a rule's or step's list: one rule's
	// actions share a Source, and their deliveries need distinct keys.
	index int
	run   func(*actx) error
}

// actx is one performance of an action.
type actx struct {
	s   *state
	a   *Action
	enr *Enrollment // the campaign or sequence enrollment, nil in rules
	tok *Token      // the campaign position, nil outside campaigns
	// event is what event.NAME reads: the campaign entry's event, or the
	// rule's (nil in a sequence).
	event map[string]any
	// outcome and detail go on the timeline ("sent", {"email": ...}).
	outcome string
	detail  any
	// holdOn / holdTask: the contact waits for this enrollment to return
	// or this task to be completed before going on.
	holdOn   *Enrollment
	holdTask int64
	// waitsForTasks: a task the action waits for holds the position it
	// runs for (a campaign element's, a sequence step's; not a rule's).
	waitsForTasks bool
}

// linker decodes an action's settings strictly into its kind's struct and
// binds them to the kind's executor.
type linker func(p *Program, raw plan.Settings) (plan.KindSettings, func(*actx) error, error)

// executorTable is every action kind the runtime performs, with its
// linker; twice lists the kinds registered more than once, which a test
// says never happens.
type executorTable struct {
	byKind map[string]linker
	twice  []string
}

// executors lists every action kind of the language with its executor; a
// test checks it against the kinds table.
func executors() *executorTable {
	t := &executorTable{byKind: map[string]linker{}}
	sendExecutors(t)
	dataExecutors(t)
	membershipExecutors(t)
	return t
}

// register adds an action kind's executor: link binds the kind's typed
// settings, and the kind is the one the settings are of, so that an
// executor cannot read another kind's settings.
func register[S any, P interface {
	*S
	plan.KindSettings
}](t *executorTable, link func(*Program, P) (func(*actx) error, error)) {
	kind := P(new(S)).SettingsKind()
	if _, ok := t.byKind[kind]; ok {
		t.twice = append(t.twice, kind)
	}
	t.byKind[kind] = func(p *Program, raw plan.Settings) (plan.KindSettings, func(*actx) error, error) {
		s := P(new(S))
		if err := plan.DecodeSettings(raw, s); err != nil {
			return nil, nil, err
		}
		run, err := link(p, s)
		return s, run, err
	}
}

// ActionKinds lists the action kinds the runtime can perform.
func ActionKinds() []string {
	var out []string
	for k := range executors().byKind {
		out = append(out, k)
	}
	return out
}

func (p *Program) linkAction(l *linking, kind string, raw plan.Settings, source string) (*Action, error) {
	link, ok := l.actions.byKind[kind]
	if !ok {
		return nil, fmt.Errorf("this runtime cannot perform %q actions", kind)
	}
	s, run, err := link(p, raw)
	if err != nil {
		return nil, err
	}
	return &Action{Kind: kind, Settings: s, Source: source, run: run}, nil
}

// act performs a campaign element's action and says where the token goes.
func (s *state) act(enr *Enrollment, tok *Token, el *Element) (*Element, bool) {
	x := &actx{s: s, a: el.Action, enr: enr, tok: tok, event: enr.Properties, outcome: "done", waitsForTasks: true}
	if err := el.Action.run(x); err != nil {
		s.logElement(el, "failed", map[string]string{"error": err.Error()})
		return el.edge("next"), false
	}
	s.logElement(el, x.outcome, x.detail)
	switch {
	case s.deleted || tok.gone || enr.Status == StatusExited:
		return nil, true
	case x.holdOn != nil:
		if x.holdOn.Returned {
			return el.edge("next"), false
		}
		tok.holdingFor = x.holdOn
		tok.set(StateHolding, nil)
		return nil, true
	case x.holdTask != 0:
		tok.Data.Task = x.holdTask
		tok.set(StateHolding, nil)
		return nil, true
	}
	return el.edge("next"), false
}

// perform runs actions outside a campaign (a rule's, with its event's
// properties; a step's), logging each under where ("rule:NAME",
// "sequence:NAME"). A step's actions may hold its sequence (step is
// true): holdTask is the task that the last of them that waits for one
// (assign_task with wait_for_completion) created.
func (s *state) perform(actions []*Action, enr *Enrollment, event map[string]any, step bool, where, element string) (holdTask int64) {
	for _, a := range actions {
		if s.deleted {
			return 0
		}
		x := &actx{s: s, a: a, enr: enr, event: event, outcome: "done", waitsForTasks: step}
		if err := a.run(x); err != nil {
			s.log(where, element, a.Kind, "failed", map[string]string{"error": err.Error()})
			continue
		}
		s.log(where, element, a.Kind, x.outcome, x.detail)
		if x.holdTask != 0 {
			holdTask = x.holdTask
		}
	}
	return holdTask
}

// key is a delivery's idempotency key: the contact, the element (and the
// action's place in a rule's or step's list), the plan version, the entry,
// and the instant (a loop may send again).
func (x *actx) key() string {
	entry := 0
	if x.enr != nil {
		entry = x.enr.Entries
	} else {
		// A rule has no entry: the events handled so far in this step tell
		// two firings of one rule apart.
		entry = x.s.raised
	}
	hash := strings.TrimPrefix(x.s.prog.Plan.Hash, "sha256:")
	if len(hash) > 12 {
		hash = hash[:12]
	}
	source := x.a.Source
	if x.a.index > 0 {
		source += fmt.Sprintf("#%d", x.a.index)
	}
	return fmt.Sprintf("%d/%s/%s/%d/%d", x.s.c.ID, source, hash, entry, x.s.now.UnixNano())
}

// deliver stores a delivery in the outbox and hands it to the sink. A
// delivery whose key is in the outbox already is the same message again:
// it is not stored or handed over twice, and the timeline says so.
func (x *actx) deliver(d *Delivery) error {
	x.prepare(d)
	stored, err := x.s.tx.AddDelivery(d)
	if err != nil {
		return err
	}
	return x.handOver(d, stored)
}

// prepare fills in what the step knows of a delivery: its contact, source,
// idempotency key, status and time.
func (x *actx) prepare(d *Delivery) {
	d.ContactID, d.Source, d.Key, d.Status, d.CreatedAt = x.s.c.ID, x.a.Source, x.key(), "pending", x.s.now
}

// handOver gives a delivery the store just took (stored) to the sink; one
// it did not take was there already.
func (x *actx) handOver(d *Delivery, stored bool) error {
	if !stored {
		x.outcome = "skipped: delivered already (same idempotency key)"
		return nil
	}
	if x.s.e.sink != nil {
		// The sink works in the store's own transaction (a queue inserts
		// its job there); a delivery it could not take is not a delivery,
		// so the step is undone rather than logged as failed. A batch's
		// deliveries go to a BatchSink together, as the batch commits.
		g := x.s.tx.(*guardedTx)
		if deferDelivery(g.Tx, d) {
			return nil
		}
		return g.note(x.s.e.sink.Deliver(g.Tx, d))
	}
	return nil
}

// render evaluates several templates, stopping at the first error.
func (x *actx) render(out map[string]any, templates map[string]*Expr) error {
	for key, t := range templates {
		if t == nil {
			continue
		}
		text, err := t.String(x.s.env(x.event))
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		out[key] = text
	}
	return nil
}

// skip records that an action did nothing, and why.
func (x *actx) skip(why string) error {
	x.outcome = "skipped: " + why
	return nil
}
