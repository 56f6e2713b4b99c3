package validate

import (
	"fmt"
	"slices"
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
// elements keep accepts, each in source order.
func stronglyConnected(c *compiler.Campaign, keep func(*compiler.Element) bool) [][]*compiler.Element {
	var kept []*compiler.Element
	for _, el := range c.Elements {
		if keep(el) {
			kept = append(kept, el)
		}
	}
	return components(kept, (*compiler.Element).Next)
}

// components returns the strongly connected components of the graph over
// nodes whose edges are next(n) (Tarjan's algorithm); an edge to a node
// not in nodes is left out. Each component lists its nodes in the order of
// nodes; components come in the order the algorithm completes them.
func components[N comparable](nodes []N, next func(N) []N) [][]N {
	order := make(map[N]int, len(nodes))
	for i, n := range nodes {
		order[n] = i
	}
	// By a node's place in nodes: Tarjan's index (0: not visited yet, so
	// it counts from 1), low-link and whether it is on the stack.
	index, low := make([]int, len(nodes)), make([]int, len(nodes))
	onStack := make([]bool, len(nodes))
	visited := 0
	var stack []int
	var out [][]N
	var visit func(n int)
	visit = func(n int) {
		visited++
		index[n], low[n] = visited, visited
		stack = append(stack, n)
		onStack[n] = true
		for _, to := range next(nodes[n]) {
			t, listed := order[to]
			if !listed {
				continue
			}
			if index[t] == 0 {
				visit(t)
				low[n] = min(low[n], low[t])
			} else if onStack[t] {
				low[n] = min(low[n], index[t])
			}
		}
		if low[n] != index[n] {
			return
		}
		var places []int
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			places = append(places, top)
			if top == n {
				break
			}
		}
		slices.Sort(places)
		comp := make([]N, len(places))
		for i, p := range places {
			comp[i] = nodes[p]
		}
		out = append(out, comp)
	}
	for n := range nodes {
		if index[n] == 0 {
			visit(n)
		}
	}
	return out
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
