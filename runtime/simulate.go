package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Simulation runs contacts through a program on a virtual clock: the real
// engine and a real store, with deliveries recorded instead of sent.
type Simulation struct {
	Engine *Engine
	Clock  *VirtualClock
	store  Store
	// MaxSteps bounds one run (a loop with a short wait would otherwise run
	// until its end date).
	MaxSteps int
}

// TimedEvent is an event at a moment of a simulation.
type TimedEvent struct {
	At    time.Time
	Event Event
}

// NewSimulation returns a simulation of prog over store, its clock at
// start.
func NewSimulation(prog *Program, store Store, start time.Time) *Simulation {
	clock := NewVirtualClock(start)
	return &Simulation{Engine: NewEngine(prog, store, clock, nil), Clock: clock, store: store, MaxSteps: 100000}
}

// Result is what happened to a simulated contact.
type Result struct {
	ContactID  int64
	Timeline   []TimelineEntry
	Deliveries []*Delivery
	Final      Final
	// Contact is the contact at the end (nil when it was deleted).
	Contact *Contact
	// Truncated is set when the run hit MaxSteps before its end.
	Truncated bool
}

// Final is where the contact stands at the end: campaign, element, status
// (active, waiting, paused, ended, exited, deleted).
type Final struct {
	Campaign string `json:"campaign"`
	Element  string `json:"element"`
	Status   string `json:"status"`
}

// Run creates the contact at the clock's time, enters it into the
// campaign as entry says, delivers the events at their times, and runs
// every timer due before until.
func (sim *Simulation) Run(ctx context.Context, c *Contact, entry Entry, events []TimedEvent, until time.Time) (*Result, error) {
	if err := sim.Engine.CreateContact(ctx, c); err != nil {
		return nil, err
	}
	if err := sim.Engine.Enroll(ctx, c.ID, entry); err != nil {
		return nil, err
	}
	res := &Result{ContactID: c.ID}
	truncated, err := sim.Advance(ctx, c.ID, events, until)
	if err != nil {
		return nil, err
	}
	res.Truncated = truncated
	return res, sim.collect(ctx, res, entry.Campaign)
}

// Advance moves the clock to until, delivering the events to the contact
// at their times and running every timer that falls due on the way. It
// reports whether it stopped early at MaxSteps.
func (sim *Simulation) Advance(ctx context.Context, contactID int64, events []TimedEvent, until time.Time) (truncated bool, err error) {
	pending := append([]TimedEvent(nil), events...)
	sort.SliceStable(pending, func(i, j int) bool { return pending[i].At.Before(pending[j].At) })
	for steps := 0; steps < sim.MaxSteps; steps++ {
		if err := sim.runDueNow(ctx); err != nil {
			return false, err
		}
		next, err := sim.Engine.NextDue(ctx)
		if err != nil {
			return false, err
		}
		if len(pending) > 0 && (next == nil || !pending[0].At.After(*next)) {
			if pending[0].At.After(until) {
				return false, nil
			}
			sim.Clock.Set(pending[0].At)
			err := sim.Engine.Handle(ctx, contactID, pending[0].Event)
			if err != nil && err != ErrNoContact {
				return false, fmt.Errorf("event %s at %s: %w", pending[0].Event, pending[0].At.Format(time.RFC3339), err)
			}
			pending = pending[1:]
			continue
		}
		if next == nil || next.After(until) {
			return false, nil
		}
		sim.Clock.Set(*next)
	}
	return true, nil
}

// Collect reads what happened to a contact so far.
func (sim *Simulation) Collect(ctx context.Context, contactID int64, campaign string) (*Result, error) {
	res := &Result{ContactID: contactID}
	return res, sim.collect(ctx, res, campaign)
}

// runDueNow runs everything due at the clock's time, including what those
// steps make due at once.
func (sim *Simulation) runDueNow(ctx context.Context) error {
	for {
		n, err := sim.Engine.RunDue(ctx, 100)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (sim *Simulation) collect(ctx context.Context, res *Result, campaign string) error {
	tx, err := sim.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if res.Timeline, err = tx.Timeline(res.ContactID); err != nil {
		return err
	}
	if res.Deliveries, err = tx.Deliveries(res.ContactID); err != nil {
		return err
	}
	res.Final = Final{Campaign: campaign}
	enrs, err := tx.Enrollments(res.ContactID)
	if err != nil {
		return err
	}
	contact, err := tx.Contact(res.ContactID)
	if err == ErrNoContact {
		res.Final.Status = "deleted"
		return nil
	}
	if err != nil {
		return err
	}
	res.Contact = contact
	var last *Enrollment
	for _, e := range enrs {
		if e.Kind == "campaign" && e.Name == campaign {
			last = e
		}
	}
	if last == nil {
		res.Final.Status = "not entered"
		return nil
	}
	res.Final.Status = last.Status
	for _, t := range last.Tokens {
		res.Final.Element = t.Element
		switch t.State {
		case StateWaiting, StateAwaiting, StateHolding:
			res.Final.Status = "waiting"
		}
	}
	if res.Final.Element == "" {
		for i := len(res.Timeline) - 1; i >= 0; i-- {
			if res.Timeline[i].Campaign == campaign && res.Timeline[i].Element != "" {
				res.Final.Element = res.Timeline[i].Element
				break
			}
		}
	}
	return nil
}

// TimelineStep is one timeline entry as journey simulate prints it.
type TimelineStep struct {
	At       string          `json:"at"`
	Campaign string          `json:"campaign,omitempty"`
	Sequence string          `json:"sequence,omitempty"`
	Element  string          `json:"element,omitempty"`
	Kind     string          `json:"kind,omitempty"`
	Outcome  string          `json:"outcome"`
	Detail   json.RawMessage `json:"detail,omitempty"`
}

// Steps renders a timeline with times in loc, RFC 3339 to the second.
func Steps(timeline []TimelineEntry, loc *time.Location) []TimelineStep {
	out := make([]TimelineStep, len(timeline))
	for i, e := range timeline {
		out[i] = TimelineStep{At: e.At.In(loc).Format(time.RFC3339), Campaign: e.Campaign, Sequence: e.Sequence, Element: e.Element, Kind: e.Kind, Outcome: e.Outcome, Detail: e.Detail}
	}
	return out
}
