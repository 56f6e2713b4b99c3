// Package graph draws the campaigns and sequences of a compiled plan as
// diagrams: Mermaid (renders in GitHub comments and Markdown) and Graphviz
// dot. Both formats are written from one model, built here from the plan
// alone: a diagram shows what the runtime will run, never the HCL.
//
// Output is deterministic: the same plan gives the same bytes. Node IDs are
// derived from the campaign and element names (readable in the diagram's
// source, stable across unrelated edits) and are unique across the whole
// diagram; every label is escaped for the syntax it is written in.
package graph

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeyhq/journey/compiler/plan"
)

// Shape is how a node is drawn; each format maps it to its own shapes.
type Shape int

// The shapes, one per kind of element.
const (
	ShapeAction   Shape = iota // actions: a box
	ShapeEntry                 // trigger, goal: a stadium
	ShapeBranch                // condition, decision: a diamond
	ShapeWait                  // wait: a hexagon
	ShapeEnd                   // end: a double circle
	ShapeFork                  // fork: a parallelogram
	ShapeSplit                 // split: a trapezoid
	ShapeSequence              // a sequence's entry: a subroutine box
	ShapeStep                  // a sequence step: a rounded box
)

// Node is one box of the diagram.
type Node struct {
	ID    string
	Shape Shape
	// Title is the first line: the kind and name as written in HCL,
	// `send_email "welcome"`.
	Title string
	// Lines are the details under it (the key setting), already wrapped to
	// LineWidth runes; plain text, escaped by each format.
	Lines []string
	// Draft nodes are drawn dashed.
	Draft bool
}

// Edge is one arrow.
type Edge struct {
	From, To string
	// Label is "" for a plain next, then/else, yes/no, "path N" of a fork,
	// a weight ("50%") of a split.
	Label string
	// Ref edges are dotted: a campaign adding contacts to a sequence or to
	// another campaign, not a path a contact walks on this map.
	Ref bool
}

// Group is a campaign or a sequence: a mermaid subgraph, a dot cluster.
type Group struct {
	ID    string
	Title string
	Nodes []*Node
	// Edges are those between the group's own nodes.
	Edges []Edge
}

// Graph is a whole diagram.
type Graph struct {
	Groups []*Group
	// Edges are those between groups (always Ref edges).
	Edges []Edge
}

// NodeCount is the number of nodes drawn.
func (g *Graph) NodeCount() int {
	n := 0
	for _, gr := range g.Groups {
		n += len(gr.Nodes)
	}
	return n
}

// EdgeCount is the number of edges drawn.
func (g *Graph) EdgeCount() int {
	n := len(g.Edges)
	for _, gr := range g.Groups {
		n += len(gr.Edges)
	}
	return n
}

// Options choose what to draw.
type Options struct {
	// Campaign, when set, draws that campaign alone; otherwise every
	// campaign and every sequence is drawn.
	Campaign string
}

// Layout limits of labels.
const (
	// LineWidth is where detail lines wrap.
	LineWidth = 48
	// MaxLines is how many detail lines a node shows; the rest is cut with
	// an ellipsis.
	MaxLines = 4
)

// UnknownCampaignError is returned for Options.Campaign naming no
// campaign of the plan.
type UnknownCampaignError struct {
	Name string
	// Campaigns are the plan's campaign names.
	Campaigns []string
}

func (e *UnknownCampaignError) Error() string {
	return fmt.Sprintf("there is no campaign %q", e.Name)
}

// Build makes the diagram of a plan.
func Build(p *plan.Plan, opts Options) (*Graph, error) {
	b := &builder{ids: newIDs()}
	campaigns := p.Campaigns
	if opts.Campaign != "" {
		campaigns = nil
		for _, c := range p.Campaigns {
			if c.Name == opts.Campaign {
				campaigns = append(campaigns, c)
			}
		}
		if len(campaigns) == 0 {
			names := make([]string, 0, len(p.Campaigns))
			for _, c := range p.Campaigns {
				names = append(names, c.Name)
			}
			return nil, &UnknownCampaignError{Name: opts.Campaign, Campaigns: names}
		}
	}
	var sequences []plan.Sequence
	if opts.Campaign == "" {
		sequences = p.Sequences
	}

	// IDs first, all of them, so that a name's ID never depends on the
	// order of the nodes that share its sanitized form.
	for _, c := range campaigns {
		b.ids.want(groupKey("c", c.Name), "campaign_"+c.Name)
		for _, el := range c.Elements {
			b.ids.want(nodeKey("c", c.Name, el.Name), "c_"+c.Name+"__"+el.Name)
		}
	}
	for _, s := range sequences {
		b.ids.want(groupKey("s", s.Name), "sequence_"+s.Name)
		b.ids.want(nodeKey("s", s.Name, ""), "s_"+s.Name)
		for _, st := range s.Steps {
			b.ids.want(nodeKey("s", s.Name, "/"+st.Name), "s_"+s.Name+"__"+st.Name)
		}
	}
	b.ids.assign()

	g := &Graph{}
	for _, c := range campaigns {
		gr, err := b.campaign(c)
		if err != nil {
			return nil, err
		}
		g.Groups = append(g.Groups, gr)
	}
	for _, s := range sequences {
		g.Groups = append(g.Groups, b.sequence(s))
	}
	g.Edges = b.refs(campaigns, sequences)
	return g, nil
}

type builder struct {
	ids *ids
}

func groupKey(kind, name string) string       { return kind + "\x00" + name }
func nodeKey(kind, group, name string) string { return kind + "\x00" + group + "\x00" + name }

func (b *builder) campaign(c plan.Campaign) (*Group, error) {
	gr := &Group{ID: b.ids.of(groupKey("c", c.Name)), Title: "campaign " + quote(oneLine(c.Name)) + reentry(c.Reentry)}
	byName := map[string]*plan.Element{}
	for i := range c.Elements {
		byName[c.Elements[i].Name] = &c.Elements[i]
	}
	for _, el := range c.Elements {
		gr.Nodes = append(gr.Nodes, &Node{
			ID:    b.ids.of(nodeKey("c", c.Name, el.Name)),
			Shape: elementShape(el.Kind),
			Title: title(el.Kind, el.Name, el.Draft),
			Lines: wrap(el.KeySetting()),
			Draft: el.Draft,
		})
	}
	for _, el := range c.Elements {
		from := b.ids.of(nodeKey("c", c.Name, el.Name))
		for _, ed := range el.Edges {
			if byName[ed.To] == nil {
				return nil, fmt.Errorf("campaign %q: %s %q has an edge %q to %q, which is not an element of the campaign", c.Name, el.Kind, el.Name, ed.Label, ed.To)
			}
			gr.Edges = append(gr.Edges, Edge{From: from, To: b.ids.of(nodeKey("c", c.Name, ed.To)), Label: edgeLabel(el.Kind, ed)})
		}
	}
	return gr, nil
}

func (b *builder) sequence(s plan.Sequence) *Group {
	gr := &Group{ID: b.ids.of(groupKey("s", s.Name)), Title: "sequence " + quote(oneLine(s.Name))}
	var about string
	switch {
	case s.Kind == "date":
		about = "date sequence"
	case s.UnsubscribeAfterLastStep:
		about = "step sequence, unsubscribes after the last step"
	default:
		about = "step sequence, keeps contacts after the last step"
	}
	head := &Node{ID: b.ids.of(nodeKey("s", s.Name, "")), Shape: ShapeSequence, Title: gr.Title, Lines: wrap(about)}
	gr.Nodes = append(gr.Nodes, head)
	prev := head.ID
	for _, st := range s.Steps {
		var details []string
		details = append(details, st.Schedule.String())
		if st.If != nil && st.If.Text != "" {
			details = append(details, "if "+st.If.Text)
		}
		for _, a := range st.Actions {
			details = append(details, strings.TrimSpace(a.Kind+" "+plan.Element{Kind: a.Kind, Settings: a.Settings}.KeySetting()))
		}
		for _, p := range st.Split {
			a := p.Action
			details = append(details, strings.TrimSpace(fmt.Sprintf("%s%%: %s %s", strconv.FormatFloat(p.Weight, 'f', -1, 64), a.Kind, plan.Element{Kind: a.Kind, Settings: a.Settings}.KeySetting())))
		}
		n := &Node{
			ID:    b.ids.of(nodeKey("s", s.Name, "/"+st.Name)),
			Shape: ShapeStep,
			Title: title("step", st.Name, st.Draft),
			Lines: wrap(details...),
			Draft: st.Draft,
		}
		gr.Nodes = append(gr.Nodes, n)
		gr.Edges = append(gr.Edges, Edge{From: prev, To: n.ID})
		prev = n.ID
	}
	return gr
}

// refs are the dotted edges from add_to_sequence to the sequence's entry
// and from add_to_campaign to the target's added_to_campaign() triggers,
// when the target is drawn too.
func (b *builder) refs(campaigns []plan.Campaign, sequences []plan.Sequence) []Edge {
	seqs := map[string]bool{}
	for _, s := range sequences {
		seqs[s.Name] = true
	}
	entries := map[string][]string{}
	for _, c := range campaigns {
		for _, el := range c.Elements {
			if el.Kind != "trigger" {
				continue
			}
			var ev plan.Event
			if el.Settings.Decode("on", &ev) == nil && ev.Kind == "added_to_campaign" {
				entries[c.Name] = append(entries[c.Name], b.ids.of(nodeKey("c", c.Name, el.Name)))
			}
		}
	}
	var out []Edge
	for _, c := range campaigns {
		for _, el := range c.Elements {
			from := b.ids.of(nodeKey("c", c.Name, el.Name))
			switch el.Kind {
			case "add_to_sequence":
				if s := el.Settings.String("sequence"); seqs[s] {
					out = append(out, Edge{From: from, To: b.ids.of(nodeKey("s", s, "")), Ref: true})
				}
			case "add_to_campaign":
				for _, to := range entries[el.Settings.String("campaign")] {
					out = append(out, Edge{From: from, To: to, Ref: true})
				}
			}
		}
	}
	return out
}

func elementShape(kind string) Shape {
	switch kind {
	case "trigger", "goal":
		return ShapeEntry
	case "condition", "decision":
		return ShapeBranch
	case "wait":
		return ShapeWait
	case "end":
		return ShapeEnd
	case "fork":
		return ShapeFork
	case "split":
		return ShapeSplit
	}
	return ShapeAction
}

func title(kind, name string, draft bool) string {
	t := kind + " " + quote(oneLine(name))
	if draft {
		t += " (draft)"
	}
	return t
}

// quote writes a name as HCL does: in double quotes, with quotes and
// backslashes escaped. Its other characters stay as they are (each format
// escapes them).
func quote(name string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}

func reentry(r plan.Reentry) string {
	switch r.Mode {
	case "always":
		return " (re-entry: always)"
	case "interval":
		if r.After != nil {
			return " (re-entry after " + r.After.String() + ")"
		}
	}
	return ""
}

func edgeLabel(kind string, ed plan.Edge) string {
	switch {
	case kind == "split":
		return strconv.FormatFloat(ed.Weight, 'f', -1, 64) + "%"
	case ed.Label == "next":
		return ""
	}
	return ed.Label
}

// oneLine replaces line breaks and other control characters by spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\u2028' || r == '\u2029' || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// wrap turns texts into display lines: each text split at its own line
// breaks, then wrapped at spaces to LineWidth runes (a longer word is cut),
// at most MaxLines lines in all. Control characters become spaces.
func wrap(texts ...string) []string {
	var lines []string
	for _, text := range texts {
		text = strings.Map(func(r rune) rune {
			switch {
			case r == '\n':
				return '\n'
			case r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029' || unicode.IsControl(r):
				return ' '
			}
			return r
		}, text)
		for _, para := range strings.Split(text, "\n") {
			para = strings.Join(strings.Fields(para), " ")
			if para == "" {
				continue
			}
			lines = append(lines, wrapLine(para)...)
		}
	}
	if len(lines) > MaxLines {
		lines = lines[:MaxLines]
		last := []rune(lines[MaxLines-1])
		if len(last) >= LineWidth {
			last = last[:LineWidth-1]
		}
		lines[MaxLines-1] = strings.TrimRight(string(last), " ") + "…"
	}
	return lines
}

func wrapLine(s string) []string {
	var out []string
	var cur []rune
	for _, word := range wrapWords(s) {
		w := []rune(word)
		if len(cur) > 0 && len(cur)+1+len(w) > LineWidth {
			out = append(out, string(cur))
			cur = nil
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
		}
		cur = append(cur, w...)
		for len(cur) > LineWidth {
			out = append(out, string(cur[:LineWidth]))
			cur = cur[LineWidth:]
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

// wrapWords splits a line at spaces, keeping a short parenthesized phrase
// such as "(contact's zone)" in one piece.
func wrapWords(s string) []string {
	words := strings.Split(s, " ")
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "(") && !strings.Contains(w, ")") {
			for j := i + 1; j < len(words) && j-i < 4; j++ {
				if strings.Contains(words[j], "(") {
					break
				}
				if strings.HasSuffix(words[j], ")") {
					if group := strings.Join(words[i:j+1], " "); utf8.RuneCountInString(group) <= LineWidth/2 {
						w, i = group, j
					}
					break
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// ids hands out node and group IDs: [A-Za-z0-9_] only (safe unquoted in
// both formats, and never a keyword: every ID starts with a prefix), unique
// across the diagram. A name whose ID is exact (nothing was replaced) keeps
// it; IDs that collide get a numeric suffix, in the order they were asked
// for, so the result depends on the plan alone.
type ids struct {
	order  []string
	wanted map[string]string
	exact  map[string]bool
	got    map[string]string
}

func newIDs() *ids {
	return &ids{wanted: map[string]string{}, exact: map[string]bool{}, got: map[string]string{}}
}

func (s *ids) want(key, name string) {
	if _, dup := s.wanted[key]; dup {
		return
	}
	id, exact := sanitize(name)
	s.order = append(s.order, key)
	s.wanted[key] = id
	s.exact[key] = exact
}

func (s *ids) assign() {
	taken := map[string]bool{}
	for _, exactPass := range []bool{true, false} {
		for _, key := range s.order {
			if s.exact[key] != exactPass {
				continue
			}
			id := s.wanted[key]
			for n := 2; taken[id]; n++ {
				id = s.wanted[key] + "_" + strconv.Itoa(n)
			}
			taken[id] = true
			s.got[key] = id
		}
	}
}

func (s *ids) of(key string) string {
	id, ok := s.got[key]
	if !ok {
		panic("graph: no ID for " + strconv.Quote(key))
	}
	return id
}

// sanitize keeps ASCII letters, digits and underscores and replaces every
// other character by an underscore; exact reports that nothing was replaced.
func sanitize(name string) (id string, exact bool) {
	var b strings.Builder
	exact = true
	for _, r := range name {
		if r < utf8.RuneSelf && (r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		b.WriteByte('_')
		exact = false
	}
	return b.String(), exact
}

// draftIDs lists the IDs of draft nodes, in diagram order.
func draftIDs(g *Graph) []string {
	var out []string
	for _, gr := range g.Groups {
		for _, n := range gr.Nodes {
			if n.Draft {
				out = append(out, n.ID)
			}
		}
	}
	return out
}
