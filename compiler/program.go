// Package compiler turns a decoded workspace into a resolved program:
// references resolved (with "did you mean"), literals parsed, expressions
// type-checked against the contact's fields, timers normalized, and every
// campaign's graph built. The program is what validate's rules read and what
// the execution plan is made from.
package compiler

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Program is a resolved workspace.
type Program struct {
	Workspace *lang.Workspace
	Account   Account
	// Fields are the contact fields by name, built-in ones included.
	Fields map[string]*Field
	// Decls are the top-level declarations by kind and name (the first of
	// duplicates).
	Decls     map[string]map[string]*lang.Block
	Campaigns []*Campaign
	Sequences []*Sequence
	Rules     []*Rule
	// Suggested are the declarations an unknown reference's "did you mean"
	// names: most likely used, under a typo.
	Suggested map[*lang.Block]bool
	// Uses are the references to each declaration, in source order.
	Uses    map[*lang.Block][]Use
	targets map[*lang.Block]Targets
	exprs   map[*lang.Expr]*plan.Expression
	names   *declNames
	// Complete is false when syntax errors kept some files from being
	// decoded: the program then lacks what they declare, and rules that
	// judge the whole workspace must not run.
	Complete bool
}

// Expression returns the compiled form of a type-checked expression, or nil
// when it did not check.
func (p *Program) Expression(e *lang.Expr) *plan.Expression { return p.exprs[e] }

// Account is the account block with its defaults filled in.
type Account struct {
	Block           *lang.Block // nil when there is none
	TimeZone        string
	Location        *time.Location
	DefaultSendTime string
	Senders         []string
	SMSNumbers      []string
	Edition         string
}

// Field is a contact field.
type Field struct {
	Name     string
	Type     string // string, number, bool, date, datetime, list(string)
	ReadOnly bool
	Builtin  bool
	Block    *lang.Block // nil for built-in fields
	Default  cty.Value
}

// CtyType is the field's type in expressions (dates are strings).
func (f *Field) CtyType() cty.Type { return plan.FieldCtyType(f.Type) }

// Use is one reference to a declaration.
type Use struct {
	// From is the block whose attribute holds the reference.
	From  *lang.Block
	Attr  string
	Range hcl.Range
}

// Campaign is a campaign with its resolved graph.
type Campaign struct {
	Name     string
	Block    *lang.Block
	Reentry  Reentry
	Elements []*Element // source order
	byName   map[string]*Element
	// elementNames is the did-you-mean index of the elements, built for
	// the first reference to an element that does not exist.
	elementNames *suggest.Index
}

// Element returns the element by name (the first of duplicates), or nil.
func (c *Campaign) Element(name string) *Element { return c.byName[name] }

// Reentry is a campaign's re-entry setting.
type Reentry struct {
	Mode  string // once, always, interval
	After plan.Duration
}

// Element is one campaign element.
type Element struct {
	Campaign *Campaign
	Block    *lang.Block
	Kind     *kinds.Kind
	Name     string
	Draft    bool
	// Edges in the order of Kind.Edges; a split has one per path.
	Edges []*Edge
	// Timer is set for waits, create_appointment's at, and a decision
	// whose deadline is a date (until or until_field).
	Timer *Timer
	// Event is set for triggers, goals and decisions.
	Event *Event
	// Targets are the declarations the element's attributes reference.
	Targets Targets
	// next are the targets of Edges that resolved (Next); prev the
	// elements whose next holds this one (Prev).
	next, prev []*Element
}

// ID is the element's stable ID, campaign/name.
func (e *Element) ID() string { return e.Campaign.Name + "/" + e.Name }

// Target returns the first declaration an attribute references, or nil.
func (e *Element) Target(attr string) *lang.Block { return e.Targets.First(attr) }

// Target is a declaration that an attribute of a block references.
type Target struct {
	Attr string
	Decl *lang.Block
}

// Targets are what one block's attributes reference, in the order they
// were resolved. A block has a handful, so a list is smaller and quicker
// than a map by attribute.
type Targets []Target

// First returns the first declaration the attribute references, or nil.
func (ts Targets) First(attr string) *lang.Block {
	for _, t := range ts {
		if t.Attr == attr {
			return t.Decl
		}
	}
	return nil
}

// Of returns the declarations the attribute references, in order.
func (ts Targets) Of(attr string) []*lang.Block {
	var out []*lang.Block
	for _, t := range ts {
		if t.Attr == attr {
			out = append(out, t.Decl)
		}
	}
	return out
}

// Next returns the element's edges' targets that resolved, in the order
// of Edges. The graph rules walk it many times per element, so it is built
// once, when the edges are; callers share it and must not modify it.
func (e *Element) Next() []*Element { return e.next }

// Prev returns the elements whose Next holds e, in the order of the
// campaign's elements (one per edge: a decision with both branches to e
// is there twice). Callers share it and must not modify it.
func (e *Element) Prev() []*Element { return e.prev }

// Edge is one way out of an element.
type Edge struct {
	// Label is the attribute ("next", "then", "else", "yes", "no") or, for
	// fork and split paths, "path 1", "path 2"...
	Label string
	To    *Element // nil when the reference did not resolve
	Range hcl.Range
	// Weight is a split path's weight.
	Weight float64
}

// Timer is a normalized timer with the block it came from.
type Timer struct {
	plan.Timer
	Block *lang.Block
	// Configured is false when none of the timer settings is set.
	Configured bool
	// Empty is set when no instant satisfies the timer; EmptyWhy says why
	// and EmptyRange where.
	EmptyWhy   string
	EmptyRange hcl.Range
}

// Event is a resolved event call.
type Event struct {
	Kind *kinds.EventKind
	Call *lang.Call
	// Target is the declaration the event names (form, tag, email...), or
	// nil for events without one.
	Target *lang.Block
}

// Sequence is a legacy step or date sequence.
type Sequence struct {
	Name                     string
	Block                    *lang.Block
	Kind                     string // step or date
	UnsubscribeAfterLastStep bool
	Steps                    []*Step
}

// Step is one step of a sequence.
type Step struct {
	Sequence *Sequence
	Block    *lang.Block
	Name     string
	Draft    bool
	// Schedule is normalized; ScheduleBlock is nil when the step has none.
	Schedule      *plan.Schedule
	ScheduleBlock *lang.Block
	// Configured is false for an empty schedule block.
	Configured bool
	EmptyWhy   string
	EmptyRange hcl.Range
	// Content is the attribute doing the work (email, sms, task, postcard,
	// fulfillment), "rule" or "split"; Target its declaration.
	Content string
	Target  *lang.Block
	// Actions are a rule step's actions.
	Actions []*lang.Block
	// Paths are a split step's paths, in the order written.
	Paths []*StepPath
}

// StepPath is one path of a split step: the message it sends, by weight.
type StepPath struct {
	Block  *lang.Block
	Weight float64
	// Content is the path's message attribute (email, sms, postcard);
	// Target the message, nil when it did not resolve.
	Content string
	Target  *lang.Block
}

// Messages are the declarations the step names: its content's target,
// or each of its paths' messages.
func (st *Step) Messages() []*lang.Block {
	var out []*lang.Block
	if st.Target != nil {
		out = append(out, st.Target)
	}
	for _, p := range st.Paths {
		if p.Target != nil {
			out = append(out, p.Target)
		}
	}
	return out
}

// Rule is a legacy rule.
type Rule struct {
	Name    string
	Block   *lang.Block
	When    *Event
	Actions []*lang.Block
}
