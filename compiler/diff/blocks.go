package diff

import (
	"fmt"
	"strings"

	"github.com/journeyhq/journey/compiler/plan"
)

// compareCampaigns compares campaigns by name (or by a moved block's
// rename) and, inside each, elements by name (or rename).
func compareCampaigns(old, new *plan.Plan, mv moves, counts Counts) []*Change {
	pairs, gone := pairByName(old.Campaigns, new.Campaigns, func(c *plan.Campaign) string { return c.Name },
		func(nc *plan.Campaign) string {
			return trimPrefix(mv.renamedFrom(address("campaign", nc.Name, "", "")), "campaign.")
		})
	var out []*Change
	for _, p := range pairs {
		oc, nc := p.old, p.new
		if oc == nil {
			out = append(out, &Change{Op: Create, Type: "campaign", Name: nc.Name})
			continue
		}
		ch := &Change{Op: Update, Type: "campaign", Name: nc.Name}
		if oc.Name != nc.Name {
			ch.Op, ch.OldName = Move, oc.Name
		}
		ch.Attrs = compareSettings(toSettings(oc.Reentry), toSettings(nc.Reentry))
		prefix(ch.Attrs, "reentry.")
		ch.Children = compareElements(oc, nc, mv, counts)
		if ch.Op == Move || len(ch.Attrs) > 0 || len(ch.Children) > 0 {
			out = append(out, ch)
		}
	}
	for _, oc := range gone {
		ch := &Change{Op: Delete, Type: "campaign", Name: oc.Name}
		total, known := 0, false
		for _, el := range oc.Elements {
			if n, ok := counts[el.ID]; ok {
				total, known = total+n, true
			}
		}
		if known {
			ch.Contacts = &total
		}
		out = append(out, ch)
	}
	return out
}

func compareElements(oc, nc *plan.Campaign, mv moves, counts Counts) []Change {
	count := func(el *plan.Element) *int {
		if n, ok := counts[el.ID]; ok {
			return &n
		}
		return nil
	}
	pairs, gone := pairByName(oc.Elements, nc.Elements, func(e *plan.Element) string { return e.Name },
		func(ne *plan.Element) string {
			from := mv.renamedFrom(address("campaign", nc.Name, ne.Kind, ne.Name))
			if parts := splitAddress(from); len(parts) == 4 && parts[1] == oc.Name {
				return parts[3]
			}
			return ""
		})
	kinds := [2]map[string]string{elementKinds(oc), elementKinds(nc)}
	var out []Change
	for _, p := range pairs {
		oe, ne := p.old, p.new
		if oe == nil {
			out = append(out, Change{Op: Create, Type: ne.Kind, Name: ne.Name})
			continue
		}
		ch := Change{Op: Update, Type: ne.Kind, Name: ne.Name, Contacts: count(oe)}
		if oe.Name != ne.Name || oe.Kind != ne.Kind {
			ch.Op, ch.OldName, ch.OldType = Move, oe.Name, oe.Kind
		}
		// Most elements of a changed campaign are as they were: they are
		// told apart without opening their settings and edges up.
		if oe.Draft != ne.Draft || !sameSettings(oe.Settings, ne.Settings) {
			ch.Attrs = compareSettings(elementSettings(oe), elementSettings(ne))
		}
		if !sameEdges(oe, ne, mv, kinds) {
			ch.Attrs = append(ch.Attrs, compareEdges(oc, oe, nc, ne, mv, kinds)...)
		}
		if ch.Op == Move || len(ch.Attrs) > 0 {
			out = append(out, ch)
		}
	}
	for _, oe := range gone {
		out = append(out, Change{Op: Delete, Type: oe.Kind, Name: oe.Name, Contacts: count(oe)})
	}
	return out
}

// sameSettings reports whether two elements' settings are the same JSON.
func sameSettings(old, new plan.Settings) bool {
	if len(old) != len(new) {
		return false
	}
	for key, raw := range old {
		other, ok := new[key]
		if !ok || !sameJSON(raw, other) {
			return false
		}
	}
	return true
}

// sameEdges reports whether two elements' edges render alike: the same
// labels, targets and weights, to elements of the same kinds, with no
// moved block to rename them.
func sameEdges(oe, ne *plan.Element, mv moves, kinds [2]map[string]string) bool {
	if len(mv) > 0 || len(oe.Edges) != len(ne.Edges) {
		return false
	}
	for i, a := range oe.Edges {
		b := ne.Edges[i]
		if a.Label != b.Label || a.To != b.To || a.Weight != b.Weight || kinds[0][a.To] != kinds[1][b.To] {
			return false
		}
	}
	return true
}

// elementSettings are an element's settings plus its draft flag.
func elementSettings(el *plan.Element) plan.Settings {
	s := plan.Settings{}
	for k, v := range el.Settings {
		s[k] = v
	}
	if el.Draft {
		s["draft"] = []byte("true")
	}
	return s
}

// compareEdges reports edges whose target changed, as KIND.NAME.
// An edge into an element that a moved block renamed is the same edge.
// kinds are the elements' kinds by name, of the old and the new campaign.
func compareEdges(oc *plan.Campaign, oe *plan.Element, nc *plan.Campaign, ne *plan.Element, mv moves, kinds [2]map[string]string) []Attr {
	render := func(c *plan.Campaign, el *plan.Element, kindOf map[string]string) map[string]string {
		m := map[string]string{}
		for _, ed := range el.Edges {
			target := ed.To
			if kind, ok := kindOf[ed.To]; ok {
				target = kind + "." + ed.To
				if to, ok := mv[address("campaign", c.Name, kind, ed.To)]; ok && c == oc {
					if parts := splitAddress(to); len(parts) == 4 {
						target = parts[2] + "." + parts[3]
					}
				}
			}
			if ed.Weight != 0 {
				target += fmt.Sprintf(" (%v%%)", ed.Weight)
			}
			m[ed.Label] = target
		}
		return m
	}
	o, n := render(oc, oe, kinds[0]), render(nc, ne, kinds[1])
	var out []Attr
	for _, label := range unionKeys(o, n) {
		if o[label] != n[label] {
			out = append(out, Attr{Name: label, Edge: true, Before: o[label], After: n[label]})
		}
	}
	return out
}

// elementKinds maps a campaign's element names to their kinds.
func elementKinds(c *plan.Campaign) map[string]string {
	m := make(map[string]string, len(c.Elements))
	for _, el := range c.Elements {
		m[el.Name] = el.Kind
	}
	return m
}

func compareSequences(old, new []plan.Sequence, mv moves, counts Counts) []*Change {
	pairs, gone := pairByName(old, new, func(s *plan.Sequence) string { return s.Name },
		func(ns *plan.Sequence) string {
			return trimPrefix(mv.renamedFrom(address("sequence", ns.Name, "", "")), "sequence.")
		})
	var out []*Change
	for _, p := range pairs {
		os, ns := p.old, p.new
		if os == nil {
			out = append(out, &Change{Op: Create, Type: "sequence", Name: ns.Name})
			continue
		}
		ch := &Change{Op: Update, Type: "sequence", Name: ns.Name}
		if os.Name != ns.Name {
			ch.Op, ch.OldName = Move, os.Name
		}
		ch.Attrs = compareSettings(
			toSettings(map[string]any{"kind": os.Kind, "unsubscribe_after_last_step": os.UnsubscribeAfterLastStep}),
			toSettings(map[string]any{"kind": ns.Kind, "unsubscribe_after_last_step": ns.UnsubscribeAfterLastStep}))
		ch.Children = compareSteps(os, ns, mv, counts)
		if ch.Op == Move || len(ch.Attrs) > 0 || len(ch.Children) > 0 {
			out = append(out, ch)
		}
	}
	for _, os := range gone {
		ch := &Change{Op: Delete, Type: "sequence", Name: os.Name}
		total, known := 0, false
		for _, st := range os.Steps {
			if n, ok := counts[os.Name+"/"+st.Name]; ok {
				total, known = total+n, true
			}
		}
		if known {
			ch.Contacts = &total
		}
		out = append(out, ch)
	}
	return out
}

func compareSteps(os, ns *plan.Sequence, mv moves, counts Counts) []Change {
	count := func(st *plan.Step) *int {
		if n, ok := counts[os.Name+"/"+st.Name]; ok {
			return &n
		}
		return nil
	}
	stepSettings := func(st *plan.Step) plan.Settings {
		s := toSettings(st.Schedule)
		for k, v := range toSettings(struct {
			Draft   bool             `json:"draft,omitempty"`
			If      *plan.Expression `json:"if,omitempty"`
			Actions []plan.Action    `json:"actions"`
			Split   []plan.StepPath  `json:"split,omitempty"`
		}{st.Draft, st.If, st.Actions, st.Split}) {
			s[k] = v
		}
		return s
	}
	pairs, gone := pairByName(os.Steps, ns.Steps, func(st *plan.Step) string { return st.Name },
		func(st *plan.Step) string {
			if parts := splitAddress(mv.renamedFrom(address("sequence", ns.Name, "step", st.Name))); len(parts) == 4 {
				return parts[3]
			}
			return ""
		})
	var out []Change
	for i, p := range pairs {
		ost, st := p.old, p.new
		if ost == nil {
			ch := Change{Op: Create, Type: "step", Name: st.Name}
			if i > 0 {
				ch.Attrs = []Attr{{Name: "after", After: "step." + ns.Steps[i-1].Name}}
			} else {
				ch.Attrs = []Attr{{Name: "after", After: "(first step)"}}
			}
			out = append(out, ch)
			continue
		}
		ch := Change{Op: Update, Type: "step", Name: st.Name, Contacts: count(ost)}
		if ost.Name != st.Name {
			ch.Op, ch.OldName = Move, ost.Name
		}
		ch.Attrs = compareSettings(stepSettings(ost), stepSettings(st))
		if ch.Op == Move || len(ch.Attrs) > 0 {
			out = append(out, ch)
		}
	}
	for _, ost := range gone {
		out = append(out, Change{Op: Delete, Type: "step", Name: ost.Name, Contacts: count(ost)})
	}
	return out
}

// pairing is an old item and the new item that continues it; old is nil
// for a new item that continues none.
type pairing[T any] struct{ old, new *T }

// pairByName matches each new item with the old item of the same name or,
// when there is none, the old item a moved block renames into it
// (renamedFrom returns that old name, or ""). An old item continues at
// most one new item. It returns every new item in order with its old one,
// and the old items nothing continues, in order.
func pairByName[T any](old, new []T, name func(*T) string, renamedFrom func(*T) string) ([]pairing[T], []*T) {
	oldBy := make(map[string]*T, len(old))
	for i := range old {
		oldBy[name(&old[i])] = &old[i]
	}
	matched := make(map[*T]bool, len(old))
	pairs := make([]pairing[T], 0, len(new))
	for i := range new {
		n := &new[i]
		o := oldBy[name(n)]
		if o == nil {
			if from := renamedFrom(n); from != "" {
				o = oldBy[from]
			}
		}
		if o != nil && matched[o] {
			o = nil
		}
		if o != nil {
			matched[o] = true
		}
		pairs = append(pairs, pairing[T]{old: o, new: n})
	}
	var gone []*T
	for i := range old {
		if !matched[&old[i]] {
			gone = append(gone, &old[i])
		}
	}
	return pairs, gone
}

func prefix(attrs []Attr, p string) {
	for i := range attrs {
		attrs[i].Name = p + attrs[i].Name
	}
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func splitAddress(a string) []string { return strings.Split(a, ".") }
