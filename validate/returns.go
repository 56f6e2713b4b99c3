package validate

import (
	"fmt"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang/kinds"
)

// returns decides whether a contact added to a campaign through its
// added_to_campaign() triggers always comes back to the campaign that added
// it, which happens when it reaches an end there. A campaign still being
// judged (a call cycle) is assumed to return: campaign-call-cycle reports
// cycles.
type returns struct {
	facts *facts
	state map[*compiler.Campaign]int // 1 judging, 2 judged
	stuck map[*compiler.Campaign]*stuckPath
	// holds remembers whether holdsForever finds a hold, by sequence:
	// blocked asks it of every add_to_sequence each time a judgement
	// passes it, and its answer is formatted text.
	holds map[*compiler.Sequence]bool
}

// stuckPath is a path from an added_to_campaign() trigger to where a
// contact stays forever, and why.
type stuckPath struct {
	path []*compiler.Element
	why  string
}

func newReturns(f *facts) *returns {
	n := len(f.prog.Campaigns)
	return &returns{facts: f, state: make(map[*compiler.Campaign]int, n), stuck: make(map[*compiler.Campaign]*stuckPath, n), holds: map[*compiler.Sequence]bool{}}
}

// stuckIn returns the first path on which a contact added to c never
// returns, or nil when every path reaches an end.
func (r *returns) stuckIn(c *compiler.Campaign) *stuckPath {
	if r.state[c] != 0 {
		return r.stuck[c]
	}
	r.state[c] = 1
	sp := r.judge(c)
	r.state[c] = 2
	r.stuck[c] = sp
	return sp
}

func (r *returns) judge(c *compiler.Campaign) *stuckPath {
	starts := addedTriggers(c)
	if len(starts) == 0 {
		return nil
	}
	// A contact added to the campaign may also jump to any of its goals.
	for _, el := range entries(c) {
		if el.Kind.Name == "goal" {
			starts = append(starts, el)
		}
	}
	// canEnd: some path from the element reaches an end without passing
	// an element where contacts stay forever.
	canEnd := make(map[*compiler.Element]bool, len(c.Elements))
	var queue []*compiler.Element
	for _, el := range c.Elements {
		if r.leaves(c, el) {
			canEnd[el] = true
			queue = append(queue, el)
		}
	}
	for len(queue) > 0 {
		el := queue[0]
		queue = queue[1:]
		for _, from := range el.Prev() {
			if !canEnd[from] && r.blocked(from) == "" {
				canEnd[from] = true
				queue = append(queue, from)
			}
		}
	}
	// sure: every contact at the element reaches an end. A fork is sure
	// when one of its paths is (the contact returns as soon as one path
	// ends); a condition, decision or split only when each of its
	// branches is there and is sure; anything else when its next is. The
	// greatest such set inside canEnd: a loop counts as sure when it has a
	// way out.
	sure := make(map[*compiler.Element]bool, len(canEnd))
	for el := range canEnd {
		sure[el] = true
	}
	for changed := true; changed; {
		changed = false
		for _, el := range c.Elements {
			if sure[el] && !r.isSure(c, el, sure) {
				sure[el], changed = false, true
			}
		}
	}
	for _, t := range starts {
		if !sure[t] {
			return r.witness(c, []*compiler.Element{t}, sure, map[*compiler.Element]bool{})
		}
	}
	return nil
}

// isSure reports whether a contact at el reaches an end, given which of
// the elements after it are sure.
func (r *returns) isSure(c *compiler.Campaign, el *compiler.Element, sure map[*compiler.Element]bool) bool {
	switch {
	case r.leaves(c, el):
		return true
	case r.blocked(el) != "", openBranch(el) != "":
		return false
	}
	next := el.Next()
	if el.Kind.Has(kinds.Forks) && !el.Draft {
		for _, to := range next {
			if sure[to] {
				return true
			}
		}
		return false
	}
	for _, to := range next {
		if !sure[to] {
			return false
		}
	}
	return len(next) > 0
}

// witness follows, from the last element of path, elements that are not
// sure until it finds where a contact stays, and returns that path.
func (r *returns) witness(c *compiler.Campaign, path []*compiler.Element, sure, onPath map[*compiler.Element]bool) *stuckPath {
	el := path[len(path)-1]
	if onPath[el] {
		return &stuckPath{path: path, why: "loops without a way to an end"}
	}
	onPath[el] = true
	if why := r.blocked(el); why != "" {
		return &stuckPath{path: path, why: why}
	}
	if why := openBranch(el); why != "" {
		return &stuckPath{path: path, why: why}
	}
	var bad []*compiler.Element
	for _, to := range el.Next() {
		if !sure[to] {
			bad = append(bad, to)
		}
	}
	if len(el.Next()) == 0 || len(bad) == 0 {
		return &stuckPath{path: path, why: "stops there without an end"}
	}
	// Prefer a way not yet on the path: it names the real dead end.
	to := bad[0]
	for _, b := range bad {
		if !onPath[b] {
			to = b
			break
		}
	}
	return r.witness(c, append(append([]*compiler.Element(nil), path...), to), sure, onPath)
}

// openBranch says where a contact at a branching element stops because a
// branch is missing (an implicit end): a condition without then or else, a
// decision without yes or no. Drafts are skipped, so they have no branches.
func openBranch(el *compiler.Element) string {
	if el.Draft {
		return ""
	}
	var missing []string
	switch el.Kind.Name {
	case "condition", "decision":
		for _, attr := range el.Kind.Edges {
			if !el.Block.Has(attr) {
				missing = append(missing, attr)
			}
		}
	}
	if len(missing) == 0 {
		return ""
	}
	when := map[string]string{
		"then": "when its condition is true",
		"else": "when its condition is false",
		"yes":  "when the event happens",
		"no":   "when " + deadlinePasses(el),
	}[missing[0]]
	return fmt.Sprintf("stops there %s, having no %q branch", when, missing[0])
}

// deadlinePasses says how a decision's deadline comes, in its own terms:
// "within runs out", or "its deadline passes" for a date.
func deadlinePasses(el *compiler.Element) string {
	if el.Block.Has("within") {
		return "within runs out"
	}
	return "its deadline passes"
}

// leaves reports whether the contact leaves the campaign at the element: an
// end, an exit, or its deletion.
func (r *returns) leaves(c *compiler.Campaign, el *compiler.Element) bool {
	switch {
	case el.Draft:
		return false
	case el.Kind.Has(kinds.Ends), el.Kind.Has(kinds.Terminal):
		return true
	case el.Kind.Name == "remove_from_campaign":
		return el.Target("campaign") == c.Block
	}
	return false
}

// blocked says why contacts that reach the element stay there forever, or
// "" when they move on.
func (r *returns) blocked(el *compiler.Element) string {
	if el.Draft {
		return ""
	}
	switch {
	case el.Timer != nil && el.Kind.Has(kinds.Timer) && (!el.Timer.Configured || el.Timer.EmptyWhy != ""):
		return "waits on a timer that never fires"
	case el.Kind.Name == "add_to_sequence" && len(el.Next()) > 0:
		if s := r.facts.sequenceOf(el); s != nil && r.sequenceHolds(s) {
			return fmt.Sprintf("waits on sequence %q, which never lets contacts go", s.Name)
		}
	case el.Kind.Name == "add_to_campaign" && len(el.Next()) > 0:
		if target := r.facts.campaignOf(el); target != nil && r.stuckIn(target) != nil {
			return fmt.Sprintf("waits on campaign %q, which may never let the contact go", target.Name)
		}
	}
	return ""
}

// addedTriggers are a campaign's non-draft triggers on added_to_campaign().
func addedTriggers(c *compiler.Campaign) []*compiler.Element {
	var out []*compiler.Element
	for _, el := range c.Elements {
		if el.Kind.Name == "trigger" && !el.Draft && el.Event != nil && el.Event.Kind.Name == "added_to_campaign" {
			out = append(out, el)
		}
	}
	return out
}

// sequenceHolds reports whether holdsForever finds that s keeps its
// contacts.
func (r *returns) sequenceHolds(s *compiler.Sequence) bool {
	holds, ok := r.holds[s]
	if !ok {
		holds = holdsForever(r.facts.prog, s) != nil
		r.holds[s] = holds
	}
	return holds
}
