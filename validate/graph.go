package validate

import (
	"fmt"
	"strings"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Graph helpers shared by the rules. They read the compiled campaign graph.

// entries are the elements contacts start from: triggers and goals that are
// not drafts.
func entries(c *compiler.Campaign) []*compiler.Element {
	var out []*compiler.Element
	for _, el := range c.Elements {
		if el.Kind.Has(kinds.Entry) && !el.Draft {
			out = append(out, el)
		}
	}
	return out
}

// reachable returns the elements some path from the given elements reaches,
// the starting elements included.
func reachable(from []*compiler.Element) map[*compiler.Element]bool {
	seen := map[*compiler.Element]bool{}
	stack := append([]*compiler.Element(nil), from...)
	for len(stack) > 0 {
		el := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[el] {
			continue
		}
		seen[el] = true
		stack = append(stack, el.Next()...)
	}
	return seen
}

// delays reports whether a contact may spend time at the element: a timer,
// a decision, a hold until return, a task waited on. Drafts never delay.
func delays(el *compiler.Element) bool {
	if el.Draft {
		return false
	}
	switch {
	case el.Kind.Has(kinds.Timer), el.Kind.Has(kinds.AwaitsEvent), el.Kind.Has(kinds.HoldsUntilReturn):
		return true
	case el.Kind.Name == "assign_task":
		return el.Block.Bool("wait_for_completion")
	}
	return false
}

// sendsToContact reports whether the element sends the contact a message.
func sendsToContact(el *compiler.Element) bool {
	return !el.Draft && el.Kind.Has(kinds.SendsToContact) && !el.Block.Has("to")
}

// describeAction names an action block for messages: as written for a
// campaign element (pause_campaign "hold"), and by where it sits for the
// unlabeled actions of rules and rule steps (the pause_campaign action of
// rule "vip").
func describeAction(b *lang.Block) string {
	if b.Name != "" {
		return lang.Describe(b)
	}
	for p := b.Parent; p != nil; p = p.Parent {
		switch {
		case p.Type == "step" && p.Parent != nil:
			return fmt.Sprintf("the %s action of step %q in sequence %q", b.Type, p.Name, p.Parent.Name)
		case p.Type == "rule" && p.Parent == nil:
			return fmt.Sprintf("the %s action of rule %q", b.Type, p.Name)
		}
	}
	return b.Type
}

// label names an element as written: send_email "welcome".
func label(el *compiler.Element) string { return fmt.Sprintf("%s %q", el.Kind.Name, el.Name) }

// ref names an element as a reference: send_email.welcome.
func ref(el *compiler.Element) string { return el.Kind.Name + "." + el.Name }

// pathText renders a path of elements as references joined by arrows.
func pathText(path []*compiler.Element) string {
	parts := make([]string, len(path))
	for i, el := range path {
		parts[i] = ref(el)
	}
	return strings.Join(parts, " -> ")
}

// related points at each element of a list.
func relatedElements(msg string, els []*compiler.Element) []Related {
	var out []Related
	for _, el := range els {
		out = append(out, Related{Message: fmt.Sprintf(msg, label(el)), Range: el.Block.DefRange})
	}
	return out
}

// stronglyConnected returns the components of the graph restricted to the
// elements keep accepts (Tarjan's algorithm), each in source order.
func stronglyConnected(c *compiler.Campaign, keep func(*compiler.Element) bool) [][]*compiler.Element {
	index := map[*compiler.Element]int{}
	low := map[*compiler.Element]int{}
	onStack := map[*compiler.Element]bool{}
	order := map[*compiler.Element]int{}
	for i, el := range c.Elements {
		order[el] = i
	}
	var stack []*compiler.Element
	var out [][]*compiler.Element
	next := 0
	var visit func(el *compiler.Element)
	visit = func(el *compiler.Element) {
		index[el], low[el] = next, next
		next++
		stack = append(stack, el)
		onStack[el] = true
		for _, to := range el.Next() {
			if !keep(to) {
				continue
			}
			if _, seen := index[to]; !seen {
				visit(to)
				low[el] = min(low[el], low[to])
			} else if onStack[to] {
				low[el] = min(low[el], index[to])
			}
		}
		if low[el] == index[el] {
			var comp []*compiler.Element
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				comp = append(comp, top)
				if top == el {
					break
				}
			}
			sortByOrder(comp, order)
			out = append(out, comp)
		}
	}
	for _, el := range c.Elements {
		if _, seen := index[el]; !seen && keep(el) {
			visit(el)
		}
	}
	return out
}

func sortByOrder(els []*compiler.Element, order map[*compiler.Element]int) {
	for i := 1; i < len(els); i++ {
		for j := i; j > 0 && order[els[j]] < order[els[j-1]]; j-- {
			els[j], els[j-1] = els[j-1], els[j]
		}
	}
}

// cycleThrough returns the shortest cycle from start back to start that
// stays among the elements in, as the elements in order with start at both
// ends; nil when there is none.
func cycleThrough(start *compiler.Element, in map[*compiler.Element]bool) []*compiler.Element {
	prev := map[*compiler.Element]*compiler.Element{}
	queue := []*compiler.Element{start}
	seen := map[*compiler.Element]bool{}
	for len(queue) > 0 {
		el := queue[0]
		queue = queue[1:]
		for _, to := range el.Next() {
			if !in[to] {
				continue
			}
			if to == start {
				path := []*compiler.Element{start}
				for at := el; at != start; at = prev[at] {
					path = append(path, at)
				}
				path = append(path, start)
				// path is start, back to front, start: reverse the middle.
				for i, j := 1, len(path)-2; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if !seen[to] {
				seen[to], prev[to] = true, el
				queue = append(queue, to)
			}
		}
	}
	return nil
}

// selfLoop reports whether an element points at itself.
func selfLoop(el *compiler.Element) bool {
	for _, to := range el.Next() {
		if to == el {
			return true
		}
	}
	return false
}
