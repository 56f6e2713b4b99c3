// Package diff compares two execution plans and says what changed, block by
// block and element by element, in the words a reviewer reads: settings
// before and after, edges rewired, elements moved, template text as a line
// diff. The same change model renders as text, markdown and JSON.
package diff

import (
	"sort"
	"strings"

	"github.com/journeyhq/journey/compiler/plan"
)

// Ops of a change.
const (
	Create = "create"
	Update = "update"
	Delete = "delete"
	Move   = "move"
)

// Changes is everything that differs between two plans.
type Changes struct {
	OldHash string   `json:"old_hash"`
	NewHash string   `json:"new_hash"`
	Changes []Change `json:"changes"`
	Summary Summary  `json:"summary"`
	// RecomputeWaits is set when the apply recomputes the due times of
	// the contacts on a changed wait (--recompute-waits) instead of
	// keeping them.
	RecomputeWaits bool `json:"recompute_waits,omitempty"`
}

// Summary counts the top-level blocks (campaigns, sequences, rules,
// assets, fields, the account) to add, change and remove.
type Summary struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
}

// Empty reports whether nothing changed.
func (c *Changes) Empty() bool { return len(c.Changes) == 0 }

// Change is one block or element that differs.
type Change struct {
	Op   string `json:"op"`
	Type string `json:"type"` // campaign, sequence, rule, email..., or an element kind, or step
	Name string `json:"name"`
	// OldName and OldType are set when a moved block renamed it.
	OldName string `json:"old_name,omitempty"`
	OldType string `json:"old_type,omitempty"`
	// Attrs are the settings and edges that changed.
	Attrs []Attr `json:"attrs,omitempty"`
	// Children are the changed elements of a campaign or steps of a
	// sequence.
	Children []Change `json:"children,omitempty"`
	// Contacts on the element, when the plan was made against a running
	// instance; nil otherwise.
	Contacts *int `json:"contacts,omitempty"`
	// DrainTo is where the apply sends the contacts on a removed element
	// (--drain), when a running instance previewed it.
	DrainTo string `json:"drain_to,omitempty"`
	// Reach is, for a step added to a sequence with subscribers, who gets
	// it, when a running instance previewed it.
	Reach *Reach `json:"reach,omitempty"`
}

// Reach is how many contacts will get a new step, and when the first of
// them will (RFC 3339 in the account's time zone; "" when none will).
type Reach struct {
	Contacts int    `json:"contacts"`
	First    string `json:"first,omitempty"`
}

// Attr is one setting or edge that changed, rendered for people.
type Attr struct {
	Name string `json:"name"`
	// Edge marks next/then/else/yes/no/path changes.
	Edge   bool   `json:"edge,omitempty"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Lines is a line diff of template text that changed.
	Lines []Line `json:"lines,omitempty"`
}

// Line is one line of a text diff: Op is " ", "-" or "+".
type Line struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Counts gives the contacts on each element ID (campaign/element) and step
// (sequence/step) of the old plan, when known.
type Counts map[string]int

// Compare returns what changes from old to new. old may be nil (nothing
// deployed yet).
func Compare(old, new *plan.Plan, counts Counts) *Changes {
	if old == nil {
		old = &plan.Plan{}
	}
	ch := &Changes{OldHash: old.Hash, NewHash: new.Hash, Changes: []Change{}}
	moves := movesOf(new)
	add := func(c *Change) {
		if c == nil {
			return
		}
		ch.Changes = append(ch.Changes, *c)
		switch c.Op {
		case Create:
			ch.Summary.Add++
		case Delete:
			ch.Summary.Remove++
		default:
			ch.Summary.Change++
		}
	}
	add(compareAccount(old.Account, new.Account))
	for _, c := range compareFields(old.Fields, new.Fields) {
		add(c)
	}
	for _, c := range compareAssets(old.Assets, new.Assets) {
		add(c)
	}
	for _, c := range compareSequences(old.Sequences, new.Sequences, moves, counts) {
		add(c)
	}
	for _, c := range compareRules(old.Rules, new.Rules) {
		add(c)
	}
	for _, c := range compareCampaigns(old, new, moves, counts) {
		add(c)
	}
	return ch
}

// SetReach records who gets a step added to a sequence; it reports false
// when the changes add no such step.
func (c *Changes) SetReach(sequence, step string, r Reach) bool {
	ch := c.child("sequence", sequence, "step", step)
	if ch == nil || ch.Op != Create {
		return false
	}
	ch.Reach = &r
	return true
}

// SetDrain records where the apply sends the contacts on a removed
// element of a campaign (or step of a sequence); it reports false when the
// changes remove no such element.
func (c *Changes) SetDrain(block, name, to string) bool {
	for i := range c.Changes {
		top := &c.Changes[i]
		if top.Name != name || (top.Type != "campaign" && top.Type != "sequence") {
			continue
		}
		for j := range top.Children {
			if ch := &top.Children[j]; ch.Op == Delete && ch.Name == block {
				ch.DrainTo = to
				return true
			}
		}
	}
	return false
}

// child is the change of an element (or step) of a campaign (or
// sequence), nil when it did not change.
func (c *Changes) child(typ, name, childType, child string) *Change {
	for i := range c.Changes {
		top := &c.Changes[i]
		if top.Type != typ || top.Name != name {
			continue
		}
		for j := range top.Children {
			if ch := &top.Children[j]; ch.Name == child && ch.Type == childType {
				return ch
			}
		}
	}
	return nil
}

// moves maps a moved block's old address to its new one.
type moves map[string]string

func movesOf(p *plan.Plan) moves {
	m := moves{}
	for _, mv := range p.Moved {
		m[mv.From] = mv.To
	}
	return m
}

// renamedFrom returns the old name of a block at address to, or "".
func (m moves) renamedFrom(to string) string {
	for from, t := range m {
		if t == to {
			return from
		}
	}
	return ""
}

func compareAccount(old, new plan.Account) *Change {
	attrs := compareSettings(toSettings(old), toSettings(new))
	if len(attrs) == 0 {
		return nil
	}
	return &Change{Op: Update, Type: "account", Attrs: attrs}
}

func compareFields(old, new []plan.Field) []*Change {
	byName := func(fs []plan.Field) map[string]plan.Settings {
		m := map[string]plan.Settings{}
		for _, f := range fs {
			m[f.Name] = toSettings(f)
		}
		return m
	}
	return compareNamed("field", byName(old), byName(new))
}

func compareAssets(old, new []plan.Asset) []*Change {
	group := func(as []plan.Asset) map[string]map[string]plan.Settings {
		m := map[string]map[string]plan.Settings{}
		for _, a := range as {
			if m[a.Kind] == nil {
				m[a.Kind] = map[string]plan.Settings{}
			}
			m[a.Kind][a.Name] = a.Settings
		}
		return m
	}
	o, n := group(old), group(new)
	var out []*Change
	for _, kind := range unionKeys(o, n) {
		out = append(out, compareNamed(kind, o[kind], n[kind])...)
	}
	return out
}

func compareRules(old, new []plan.Rule) []*Change {
	byName := func(rs []plan.Rule) map[string]plan.Settings {
		m := map[string]plan.Settings{}
		for _, r := range rs {
			m[r.Name] = toSettings(struct {
				When    plan.Event       `json:"when"`
				If      *plan.Expression `json:"if,omitempty"`
				Actions []plan.Action    `json:"actions"`
			}{r.When, r.If, r.Actions})
		}
		return m
	}
	return compareNamed("rule", byName(old), byName(new))
}

// compareNamed compares blocks of one type by name.
func compareNamed(typ string, old, new map[string]plan.Settings) []*Change {
	var out []*Change
	for _, name := range unionKeys(old, new) {
		o, inOld := old[name]
		n, inNew := new[name]
		switch {
		case !inOld:
			out = append(out, &Change{Op: Create, Type: typ, Name: name})
		case !inNew:
			out = append(out, &Change{Op: Delete, Type: typ, Name: name})
		default:
			if attrs := compareSettings(o, n); len(attrs) > 0 {
				out = append(out, &Change{Op: Update, Type: typ, Name: name, Attrs: attrs})
			}
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// address is a moved block's address of an element or a step.
func address(parentType, parent, kind, name string) string {
	if kind == "" {
		return parentType + "." + parent
	}
	return strings.Join([]string{parentType, parent, kind, name}, ".")
}
