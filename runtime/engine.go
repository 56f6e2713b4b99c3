package runtime

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Clock tells the engine what time it is.
type Clock interface {
	Now() time.Time
}

// WallClock is the real time.
type WallClock struct{}

// Now is time.Now.
func (WallClock) Now() time.Time { return time.Now() }

// VirtualClock is a clock that only moves when told: simulate and test jump
// it to the next due timer.
type VirtualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewVirtualClock starts a virtual clock at t.
func NewVirtualClock(t time.Time) *VirtualClock { return &VirtualClock{t: t} }

// Now is the clock's time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock (never backwards).
func (c *VirtualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Sink takes the deliveries a step produced, inside the step's transaction:
// the server queues them for sending, simulate and test record them. What
// a sink does outside tx stays when tx rolls back, as RunDue's batch does
// when one of its steps fails, before it runs the batch again.
type Sink interface {
	Deliver(tx Tx, d *Delivery) error
}

// Engine runs a linked program over a store.
type Engine struct {
	mu   sync.RWMutex
	prog *Program
	// serial is the deployment prog is (0 outside journey server).
	serial int64
	store  Store
	clock  Clock
	sink   Sink
	// MaxCascade bounds the events that actions raise within one step (a
	// tag added by one campaign starting another...).
	MaxCascade int
	// Observe, when set, hears of every due step RunDue ran, after its
	// batch committed (journey server's metrics and logs).
	Observe func(StepReport)
	// Reload, when set, gives the program of a deployment serial: every
	// transaction reads the store's deployment head first and, when an
	// apply (on this node or another) moved it, runs the new plan from
	// there on. Nil outside journey server (simulate, test).
	Reload func(tx Tx, serial int64) (*Program, error)
}

// StepReport is one due step that RunDue ran: whose, when it was due,
// when it ran, and the error that made the engine park the position
// instead (nil when the step went through).
type StepReport struct {
	ContactID int64
	TokenID   int64
	Due       time.Time
	Ran       time.Time
	Err       error
}

// NewEngine returns an engine for the program.
func NewEngine(prog *Program, store Store, clock Clock, sink Sink) *Engine {
	return &Engine{prog: prog, store: store, clock: clock, sink: sink, MaxCascade: 64}
}

// Program returns the program the engine runs.
func (e *Engine) Program() *Program {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.prog
}

// SetProgram switches to a new plan version.
func (e *Engine) SetProgram(p *Program) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.prog = p
}

// SetDeployment switches to the program of a deployment serial.
func (e *Engine) SetDeployment(p *Program, serial int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.prog, e.serial = p, serial
}

// Deployment is the program the engine runs and its deployment serial.
func (e *Engine) Deployment() (*Program, int64) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.prog, e.serial
}

// begin starts a transaction on the deployment the store says steps run:
// a plan applied since the engine last looked is loaded first (Reload).
func (e *Engine) begin(ctx context.Context) (Tx, error) {
	tx, err := e.store.Begin(ctx)
	if err != nil || e.Reload == nil {
		return tx, err
	}
	head, err := tx.DeploymentHead()
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	if _, serial := e.Deployment(); head != serial {
		p, err := e.Reload(tx, head)
		if err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("loading deployment %d: %w", head, err)
		}
		e.SetDeployment(p, head)
	}
	return tx, nil
}

// Event is something a contact did or that happened to it.
type Event struct {
	Kind string
	// Args name the event's object: {"tag": "attended"}, {"email": "welcome"}.
	Args map[string]string
	// Value is a field_changed event's new value.
	Value any
	// Properties are what the event carries beyond what it names (an
	// amount, a URL), stored with it.
	Properties map[string]any
}

// key routes the event like EventKey routes the plan's events.
func (ev Event) key() string {
	if ev.Kind == "date_reached" {
		offset := ev.Args["offset"]
		if offset == "" {
			offset = (plan.Duration{}).String()
		}
		return dateKey(ev.Args["field"], offset, ev.Args["annual"] == "true")
	}
	key := ev.Kind
	for _, arg := range eventParams(ev.Kind) {
		if v := ev.Args[arg]; v != "" {
			key += ":" + v
		}
	}
	return key
}

// String shows the event as it is written in HCL, email_opened(email.promo)
// or api("renewed"), as the plan's events show themselves, so that a
// decision's "waiting for" and its "yes" read the same on the timeline.
func (ev Event) String() string {
	var args []string
	if ev.Kind == "date_reached" {
		args = append(args, "field."+ev.Args["field"])
		if o := ev.Args["offset"]; o != "" {
			args = append(args, strconv.Quote(o))
		}
		if ev.Args["annual"] == "true" {
			args = append(args, "true")
		}
		return ev.Kind + "(" + strings.Join(args, ", ") + ")"
	}
	k, _ := plan.LookupEvent(ev.Kind)
	for _, p := range k.Params {
		v := ev.Args[p.Name]
		switch {
		case v == "":
		case p.Declared == "":
			// A value as written: api's "name", page_visited's "url".
			args = append(args, strconv.Quote(v))
		default:
			args = append(args, p.Name+"."+v)
		}
	}
	return ev.Kind + "(" + strings.Join(args, ", ") + ")"
}

// within runs fn over one contact's state in one transaction.
func (e *Engine) within(ctx context.Context, contactID int64, fn func(s *state) error) error {
	tx, err := e.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := e.withinTx(tx, contactID, fn); err != nil {
		return err
	}
	return tx.Commit()
}

func (e *Engine) withinTx(tx Tx, contactID int64, fn func(s *state) error) error {
	return e.withinTxProg(tx, contactID, e.Program(), fn)
}

// withinTxProg is withinTx on a given program (an apply migrates the
// contacts by the plan it applies, before the engine runs it).
func (e *Engine) withinTxProg(tx Tx, contactID int64, prog *Program, fn func(s *state) error) error {
	g := &guardedTx{Tx: tx}
	s, err := e.load(g, contactID, prog)
	if err != nil {
		return err
	}
	s.watchDates()
	if err := fn(s); err != nil {
		return err
	}
	if err := s.settle(); err != nil {
		return err
	}
	if g.fault != nil {
		return g.fault
	}
	if err := s.flush(); err != nil {
		return err
	}
	return g.fault
}

// CreateContact stores a new contact (setting its ID) and raises
// contact_created.
func (e *Engine) CreateContact(ctx context.Context, c *Contact) error {
	tx, err := e.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := e.create(tx, c); err != nil {
		return err
	}
	return tx.Commit()
}

// create stores a new contact in tx and raises contact_created.
func (e *Engine) create(tx Tx, c *Contact) error { return e.createTagged(tx, c, nil) }

// createTagged stores a new contact in tx, raises contact_created, then
// adds the tags, raising tag_added for each: a contact a client creates
// with tags starts the campaigns those tags start, as a CRM's import does.
func (e *Engine) createTagged(tx Tx, c *Contact, tags []string) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = e.clock.Now()
	}
	if c.Fields == nil {
		c.Fields = map[string]any{}
	}
	if err := tx.CreateContact(c); err != nil {
		return err
	}
	return e.withinTx(tx, c.ID, func(s *state) error {
		s.raise(Event{Kind: "contact_created"})
		for _, t := range tags {
			s.addTag(t)
		}
		return nil
	})
}

// Entry says how a contact enters a campaign when it is put there rather
// than brought by an event: the campaign, the trigger ("" for its first)
// and the properties of the event it enters with, as if the trigger's
// event had carried them (a keyed trigger's key among them).
type Entry struct {
	Campaign   string
	Trigger    string
	Properties map[string]any
}

// Enroll puts a contact on a campaign through one of its triggers,
// whatever the trigger's event.
func (e *Engine) Enroll(ctx context.Context, contactID int64, entry Entry) error {
	return e.within(ctx, contactID, func(s *state) error {
		c := s.prog.Campaign(entry.Campaign)
		if c == nil {
			return fmt.Errorf("no campaign %q", entry.Campaign)
		}
		// By name, or the first trigger that is not a draft (a draft
		// trigger enrols nobody).
		var t *Element
		for _, el := range c.Elements {
			if el.Kind == "trigger" && (el.Name == entry.Trigger || (entry.Trigger == "" && !el.Draft)) {
				t = el
				break
			}
		}
		if t == nil {
			return fmt.Errorf("campaign %q has no trigger %q", entry.Campaign, entry.Trigger)
		}
		s.enter(c, t, entry.Properties)
		return nil
	})
}

// Handle processes an event for a contact: decisions answered, goals
// reached, campaigns entered, rules run.
func (e *Engine) Handle(ctx context.Context, contactID int64, ev Event) error {
	return e.within(ctx, contactID, func(s *state) error {
		s.receive(ev)
		return nil
	})
}

// Update changes a contact's fields from outside (an API call, a form),
// raising field_changed for each change.
func (e *Engine) Update(ctx context.Context, contactID int64, fields map[string]any) error {
	return e.within(ctx, contactID, func(s *state) error {
		for name, v := range fields {
			s.setField(name, v)
		}
		return nil
	})
}

// RunDue performs up to limit steps that are due now, in one transaction,
// and returns how many ran: a claimed position that an earlier step of the
// batch moved, or another node's step as the batch was claimed, is no
// step, and is neither counted nor observed. A step that fails is undone and its position
// parked (StateFailed, the error on the contact's timeline), so that one
// contact the engine cannot move never holds up the others. An error of
// the store itself fails the batch.
//
// The steps run without savepoints first: on PostgreSQL each savepoint
// and its release are two more round trips a step, and a subtransaction
// each. Only when a step fails is the batch rolled back and run again
// with each step under a savepoint, where the failing one is undone alone.
func (e *Engine) RunDue(ctx context.Context, limit int) (int, error) {
	n, err := e.runDue(ctx, limit, false)
	if errors.Is(err, errStepFailed) {
		return e.runDue(ctx, limit, true)
	}
	return n, err
}

// errStepFailed is runDue's answer, without savepoints, when a step
// failed: nothing of the batch was kept.
var errStepFailed = errors.New("a step failed")

// runDue runs a batch; with isolate, each step under a savepoint.
func (e *Engine) runDue(ctx context.Context, limit int, isolate bool) (int, error) {
	now := e.clock.Now()
	tx, err := e.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	due, err := tx.Due(now, limit)
	if err != nil {
		return 0, err
	}
	batchSink, batching := e.sink.(BatchSink)
	if batching {
		tx = &batchTx{Tx: tx}
	}
	var reports []StepReport
	for _, d := range due {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		var ran bool
		var stepErr error
		if isolate {
			if ran, stepErr, err = e.runStep(tx, d); err != nil {
				return 0, fmt.Errorf("contact %d: %w", d.ContactID, err)
			}
		} else if ran, err = e.fire(tx, d); err != nil {
			return 0, errStepFailed
		}
		if ran {
			reports = append(reports, StepReport{ContactID: d.ContactID, TokenID: d.TokenID, Due: d.DueAt, Ran: now, Err: stepErr})
		}
	}
	if b, ok := tx.(*batchTx); ok && len(b.deliveries) > 0 {
		if err := batchSink.DeliverBatch(b.Tx, b.deliveries); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if e.Observe != nil {
		for _, r := range reports {
			e.Observe(r)
		}
	}
	return len(reports), nil
}

// fire fires one due token, and says whether it was a step: a position
// moved since it was claimed (state.dueToken), or a contact deleted, is
// none.
func (e *Engine) fire(tx Tx, d DueToken) (ran bool, err error) {
	err = e.withinTx(tx, d.ContactID, func(s *state) error {
		if _, tok := s.dueToken(d.TokenID); tok == nil {
			return nil
		}
		ran = true
		return s.fire(d.TokenID)
	})
	if errors.Is(err, ErrNoContact) {
		return false, nil
	}
	return ran, err
}

// runStep fires one due token under a savepoint, and says whether it was
// a step (Engine.fire). A step that fails is undone and its position
// parked: stepErr says why. err is an error the parking itself met: the
// transaction cannot go on.
func (e *Engine) runStep(tx Tx, d DueToken) (ran bool, stepErr, err error) {
	if err := tx.Savepoint(); err != nil {
		return false, nil, err
	}
	mark := batchMark(tx)
	if ran, stepErr = e.fire(tx, d); stepErr != nil {
		ran = true
		forget(tx, mark)
		if err := tx.RollbackTo(); err != nil {
			return ran, stepErr, errors.Join(stepErr, err)
		}
		if err := e.withinTx(tx, d.ContactID, func(s *state) error { return s.park(d.TokenID, stepErr) }); err != nil {
			return ran, stepErr, errors.Join(stepErr, err)
		}
	}
	return ran, stepErr, tx.Release()
}

// NextDue is when the next step is due, or nil when nothing is pending.
func (e *Engine) NextDue(ctx context.Context) (*time.Time, error) {
	tx, err := e.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.NextDue()
}
