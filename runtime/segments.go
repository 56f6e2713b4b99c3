package runtime

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/journeyhq/journey/compiler/plan"
)

// Segments are named sets of contacts. A static segment's members are the
// contacts modify_segments added; a dynamic segment's are the contacts its
// where is true of, which the engine evaluates again whenever a step of the
// contact settles (never by reading every contact): the difference with
// the memberships the store keeps is written and raised as segment_entered
// and segment_left, in that step's cascade.

// Segment is a linked segment.
type Segment struct {
	Name string
	// Where is a dynamic segment's filter; nil for a static segment.
	Where *Expr
}

// Dynamic reports whether the segment's members are those its where is
// true of.
func (g *Segment) Dynamic() bool { return g.Where != nil }

// Segments lists the plan's segments in plan order.
func (p *Program) Segments() []*Segment { return p.segmentList }

// Segment returns a segment by name, or nil.
func (p *Program) Segment(name string) *Segment { return p.segments[name] }

// linkSegments compiles the segments' where and orders the dynamic ones so
// that each comes after the segments its where reads (in_segment): a
// contact's memberships are then settled in one pass. A where that reads
// itself back through others has no order, and no meaning.
func (p *Program) linkSegments(l *linking) {
	reads := map[string][]string{}
	sources := map[string]*plan.Source{}
	for i := range p.Plan.Assets {
		a := &p.Plan.Assets[i]
		settings := p.assets.Segment[a.Name]
		if a.Kind != "segment" || settings == nil {
			continue
		}
		g := &Segment{Name: a.Name}
		var err error
		g.Where, err = compileExpr(settings.Where)
		l.fail(a.Source, "segment "+a.Name, within("where", err))
		if settings.Where != nil {
			reads[a.Name] = segmentsRead(settings.Where.Root)
		}
		sources[a.Name] = a.Source
		p.segmentList = append(p.segmentList, g)
		p.segments[g.Name] = g
	}
	const (
		unvisited = iota
		visiting
		done
	)
	marks := map[string]int{}
	var visit func(name string, path []string)
	visit = func(name string, path []string) {
		switch marks[name] {
		case done:
			return
		case visiting:
			cycle := append(slices.Clone(path[slices.Index(path, name):]), name)
			l.fail(sources[name], "segment "+name, fmt.Errorf("its where reads itself through in_segment (%s): no contact could be said to be in it or not", strings.Join(cycle, " -> ")))
			return
		}
		marks[name] = visiting
		for _, other := range reads[name] {
			if g := p.segments[other]; g != nil && g.Dynamic() {
				visit(other, append(path, name))
			}
		}
		marks[name] = done
		if g := p.segments[name]; g != nil && g.Dynamic() {
			p.dynamicSegments = append(p.dynamicSegments, g)
		}
	}
	for _, g := range p.segmentList {
		visit(g.Name, nil)
	}
}

// segmentsRead lists the segments an expression's in_segment calls name.
func segmentsRead(n *plan.Node) []string {
	var out []string
	if n == nil {
		return nil
	}
	if n.Op == plan.OpCall && n.Name == "in_segment" && len(n.Args) == 1 && n.Args[0].Op == plan.OpLit {
		var name string
		if json.Unmarshal(n.Args[0].Value, &name) == nil {
			out = append(out, name)
		}
	}
	for _, a := range n.Args {
		out = append(out, segmentsRead(a)...)
	}
	return out
}

// memberships reads the contact's memberships once per step.
func (s *state) memberships() map[string]bool {
	if s.members == nil {
		s.members = map[string]bool{}
		ms, err := s.tx.Memberships(s.c.ID)
		if err != nil {
			// The guarded transaction keeps the error: the step is undone.
			return s.members
		}
		for _, m := range ms {
			s.members[m.Segment] = true
		}
	}
	return s.members
}

// inSegment reports whether the contact is in a segment now: a static
// segment's membership, or a dynamic segment's where, evaluated at this
// moment, so that a condition right after the change that makes a contact
// match sees it match (the event comes when the step's changes settle).
func (s *state) inSegment(name string) bool {
	g := s.prog.segments[name]
	if g == nil {
		return false
	}
	if g.Dynamic() {
		in, _ := s.matches(g)
		return in
	}
	return s.memberships()[name]
}

// matches evaluates a dynamic segment's where for the contact; a where
// that fails for this contact (a date field holding text that is no date)
// is false, as a condition's is, and err says why.
func (s *state) matches(g *Segment) (bool, error) {
	return g.Where.Bool(s.env(nil))
}

// purchased reports whether the contact ever bought the product: its
// purchases are read once per step.
func (s *state) purchased(product string) bool {
	if !s.purchasesRead {
		s.purchasesRead = true
		recs, err := s.tx.Records(s.c.ID, "purchase")
		if err != nil {
			return false
		}
		for _, r := range recs {
			s.purchases = append(s.purchases, r.Name)
		}
	}
	return slices.Contains(s.purchases, product)
}

// recordPurchase stores a purchase of the product.
func (s *state) recordPurchase(product string, data map[string]any) error {
	if err := s.tx.AddRecord(&Record{ContactID: s.c.ID, Kind: "purchase", Name: product, Status: "paid", Data: data, CreatedAt: s.now}); err != nil {
		return err
	}
	if s.purchasesRead {
		s.purchases = append(s.purchases, product)
	}
	return nil
}

// setMember makes the contact a member of a segment or not, raising
// segment_entered or segment_left; it reports false when that changes
// nothing.
func (s *state) setMember(name string, in bool) bool {
	members := s.memberships()
	if members[name] == in {
		return false
	}
	members[name] = in
	if s.memberChanges == nil {
		s.memberChanges = map[string]bool{}
	}
	s.memberChanges[name] = in
	kind := "segment_left"
	if in {
		kind = "segment_entered"
	}
	s.raise(Event{Kind: kind, Args: map[string]string{"segment": name}})
	return true
}

// refreshSegments evaluates the contact's dynamic segments again and
// records each it entered or left on the timeline; it reports whether any
// changed (and so raised events).
func (s *state) refreshSegments() bool {
	changed := false
	for _, g := range s.prog.dynamicSegments {
		in, err := s.matches(g)
		if !s.setMember(g.Name, in) {
			continue
		}
		changed = true
		kind, outcome := "segment_left", "left segment "+g.Name
		if in {
			kind, outcome = "segment_entered", "entered segment "+g.Name
		}
		detail := map[string]string{"segment": g.Name, "where": g.Where.Text}
		if err != nil {
			detail["error"] = err.Error()
		}
		s.log("", "", kind, outcome, detail)
	}
	return changed
}

// settle handles the queued events and what they change: after each round
// of events the contact's dynamic segments are evaluated again, and the
// segments it entered or left raise their events in turn, until nothing
// changes (or the cascade's bound drops the events that would go on).
func (s *state) settle() error {
	for {
		if err := s.drainEvents(); err != nil {
			return err
		}
		if s.deleted || len(s.prog.dynamicSegments) == 0 || !s.refreshSegments() {
			return nil
		}
	}
}

// flushMemberships writes the memberships the step changed, in name
// order.
func (s *state) flushMemberships() error {
	names := make([]string, 0, len(s.memberChanges))
	for name := range s.memberChanges {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var err error
		if s.memberChanges[name] {
			err = s.tx.JoinSegment(s.c.ID, name, s.now)
		} else {
			err = s.tx.LeaveSegment(s.c.ID, name)
		}
		if err != nil {
			return err
		}
	}
	s.memberChanges = nil
	return nil
}

func linkModifySegments(p *Program, s *plan.ModifySegments) (func(*actx) error, error) {
	add, remove := s.Add, s.Remove
	var missing []string
	for _, name := range append(slices.Clone(add), remove...) {
		if p.segments[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no segment %s in the plan", strings.Join(missing, ", "))
	}
	return func(x *actx) error {
		var added, removed, dynamic []string
		change := func(names []string, in bool, changed *[]string) {
			for _, name := range names {
				switch {
				case p.segments[name].Dynamic():
					// Its where says who is in it: a change by hand would be
					// undone when the step settles.
					dynamic = append(dynamic, name)
				case x.s.setMember(name, in):
					*changed = append(*changed, name)
				}
			}
		}
		change(add, true, &added)
		change(remove, false, &removed)
		detail := map[string]any{"added": added, "removed": removed}
		if len(dynamic) > 0 {
			detail["skipped_dynamic"] = dynamic
		}
		x.outcome, x.detail = "segments changed", detail
		return nil
	}, nil
}
