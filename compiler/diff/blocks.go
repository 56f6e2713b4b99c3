package diff

import (
	"fmt"
	"strings"

	"github.com/journeyhq/journey/compiler/plan"
)

// compareCampaigns compares campaigns by name (or by a moved block's
// rename) and, inside each, elements by name (or rename).
func compareCampaigns(old, new *plan.Plan, mv moves, counts Counts) []*Change {
	oldBy := map[string]*plan.Campaign{}
	for i := range old.Campaigns {
		oldBy[old.Campaigns[i].Name] = &old.Campaigns[i]
	}
	matched := map[string]bool{}
	var out []*Change
	for i := range new.Campaigns {
		nc := &new.Campaigns[i]
		oc, oldName := oldBy[nc.Name], ""
		if oc == nil {
			if from := mv.renamedFrom(address("campaign", nc.Name, "", "")); from != "" {
				oldName = trimPrefix(from, "campaign.")
				oc = oldBy[oldName]
			}
		}
		if oc == nil {
			out = append(out, &Change{Op: Create, Type: "campaign", Name: nc.Name})
			continue
		}
		matched[oc.Name] = true
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
	for _, oc := range old.Campaigns {
		if !matched[oc.Name] {
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
	}
	return out
}

func compareElements(oc, nc *plan.Campaign, mv moves, counts Counts) []Change {
	oldBy := map[string]*plan.Element{}
	for i := range oc.Elements {
		oldBy[oc.Elements[i].Name] = &oc.Elements[i]
	}
	count := func(el *plan.Element) *int {
		if n, ok := counts[el.ID]; ok {
			return &n
		}
		return nil
	}
	matched := map[string]bool{}
	var out []Change
	for i := range nc.Elements {
		ne := &nc.Elements[i]
		oe := oldBy[ne.Name]
		if oe == nil {
			if from := mv.renamedFrom(address("campaign", nc.Name, ne.Kind, ne.Name)); from != "" {
				if parts := splitAddress(from); len(parts) == 4 && parts[1] == oc.Name {
					oe = oldBy[parts[3]]
				}
			}
		}
		if oe == nil || matched[oe.Name] {
			out = append(out, Change{Op: Create, Type: ne.Kind, Name: ne.Name})
			continue
		}
		matched[oe.Name] = true
		ch := Change{Op: Update, Type: ne.Kind, Name: ne.Name, Contacts: count(oe)}
		if oe.Name != ne.Name || oe.Kind != ne.Kind {
			ch.Op, ch.OldName, ch.OldType = Move, oe.Name, oe.Kind
		}
		ch.Attrs = compareSettings(elementSettings(oe), elementSettings(ne))
		ch.Attrs = append(ch.Attrs, compareEdges(oc, oe, nc, ne, mv)...)
		if ch.Op == Move || len(ch.Attrs) > 0 {
			out = append(out, ch)
		}
	}
	for i := range oc.Elements {
		oe := &oc.Elements[i]
		if !matched[oe.Name] {
			out = append(out, Change{Op: Delete, Type: oe.Kind, Name: oe.Name, Contacts: count(oe)})
		}
	}
	return out
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
func compareEdges(oc *plan.Campaign, oe *plan.Element, nc *plan.Campaign, ne *plan.Element, mv moves) []Attr {
	render := func(c *plan.Campaign, el *plan.Element) map[string]string {
		m := map[string]string{}
		for _, ed := range el.Edges {
			target := ed.To
			for _, t := range c.Elements {
				if t.Name == ed.To {
					target = t.Kind + "." + t.Name
					if to, ok := mv[address("campaign", c.Name, t.Kind, t.Name)]; ok && c == oc {
						if parts := splitAddress(to); len(parts) == 4 {
							target = parts[2] + "." + parts[3]
						}
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
	o, n := render(oc, oe), render(nc, ne)
	var out []Attr
	for _, label := range unionKeys(o, n) {
		if o[label] != n[label] {
			out = append(out, Attr{Name: label, Edge: true, Before: o[label], After: n[label]})
		}
	}
	return out
}

func compareSequences(old, new []plan.Sequence, mv moves) []*Change {
	oldBy := map[string]*plan.Sequence{}
	for i := range old {
		oldBy[old[i].Name] = &old[i]
	}
	matched := map[string]bool{}
	var out []*Change
	for i := range new {
		ns := &new[i]
		os, oldName := oldBy[ns.Name], ""
		if os == nil {
			if from := mv.renamedFrom(address("sequence", ns.Name, "", "")); from != "" {
				oldName = trimPrefix(from, "sequence.")
				os = oldBy[oldName]
			}
		}
		if os == nil {
			out = append(out, &Change{Op: Create, Type: "sequence", Name: ns.Name})
			continue
		}
		matched[os.Name] = true
		ch := &Change{Op: Update, Type: "sequence", Name: ns.Name}
		if os.Name != ns.Name {
			ch.Op, ch.OldName = Move, os.Name
		}
		ch.Attrs = compareSettings(
			toSettings(map[string]any{"kind": os.Kind, "unsubscribe_after_last_step": os.UnsubscribeAfterLastStep}),
			toSettings(map[string]any{"kind": ns.Kind, "unsubscribe_after_last_step": ns.UnsubscribeAfterLastStep}))
		ch.Children = compareSteps(os, ns, mv)
		if ch.Op == Move || len(ch.Attrs) > 0 || len(ch.Children) > 0 {
			out = append(out, ch)
		}
	}
	for _, os := range old {
		if !matched[os.Name] {
			out = append(out, &Change{Op: Delete, Type: "sequence", Name: os.Name})
		}
	}
	return out
}

func compareSteps(os, ns *plan.Sequence, mv moves) []Change {
	oldBy := map[string]*plan.Step{}
	for i := range os.Steps {
		oldBy[os.Steps[i].Name] = &os.Steps[i]
	}
	stepSettings := func(st *plan.Step) plan.Settings {
		s := toSettings(st.Schedule)
		for k, v := range toSettings(struct {
			Draft   bool             `json:"draft,omitempty"`
			If      *plan.Expression `json:"if,omitempty"`
			Actions []plan.Action    `json:"actions"`
		}{st.Draft, st.If, st.Actions}) {
			s[k] = v
		}
		return s
	}
	matched := map[string]bool{}
	var out []Change
	for i := range ns.Steps {
		st := &ns.Steps[i]
		ost := oldBy[st.Name]
		if ost == nil {
			if from := mv.renamedFrom(address("sequence", ns.Name, "step", st.Name)); from != "" {
				if parts := splitAddress(from); len(parts) == 4 {
					ost = oldBy[parts[3]]
				}
			}
		}
		if ost == nil || matched[ost.Name] {
			ch := Change{Op: Create, Type: "step", Name: st.Name}
			if i > 0 {
				ch.Attrs = []Attr{{Name: "after", After: "step." + ns.Steps[i-1].Name}}
			} else {
				ch.Attrs = []Attr{{Name: "after", After: "(first step)"}}
			}
			out = append(out, ch)
			continue
		}
		matched[ost.Name] = true
		ch := Change{Op: Update, Type: "step", Name: st.Name}
		if ost.Name != st.Name {
			ch.Op, ch.OldName = Move, ost.Name
		}
		ch.Attrs = compareSettings(stepSettings(ost), stepSettings(st))
		if ch.Op == Move || len(ch.Attrs) > 0 {
			out = append(out, ch)
		}
	}
	for i := range os.Steps {
		if !matched[os.Steps[i].Name] {
			out = append(out, Change{Op: Delete, Type: "step", Name: os.Steps[i].Name})
		}
	}
	return out
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
