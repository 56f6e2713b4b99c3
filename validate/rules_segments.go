package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/journeyhq/journey/lang"
)

// Rules about segments: what a dynamic segment's where may read, and what
// only a static segment takes.

func modifyDynamicSegment() Rule {
	return Rule{
		Name: "modify-dynamic-segment", Severity: Error,
		Summary: "modify_segments adding contacts to, or removing them from, a dynamic segment (one with where)",
		Check: func(p *Pass) {
			for _, b := range p.facts.actions {
				if b.Type != "modify_segments" {
					continue
				}
				for _, attr := range []string{"add", "remove"} {
					for _, r := range b.Refs(attr) {
						seg := p.Program.Decls["segment"][r.Name()]
						if seg == nil || seg.Expr("where") == nil {
							continue
						}
						where := seg.Expr("where")
						verb := "add contacts to"
						if attr == "remove" {
							verb = "remove contacts from"
						}
						p.Report(r.Range,
							fmt.Sprintf("%s cannot %s %s: its members are the contacts its where is true of, so the engine skips it", describeAction(b), verb, lang.Describe(seg)),
							fmt.Sprintf("change what the where reads instead (set a field or a tag it tests), or remove where to make segment %q static", seg.Name),
							Related{Message: "its where", Range: where.Range})
					}
				}
			}
		},
	}
}

// clockFunctions read the time: a where that calls one changes its answer
// as time passes, with no change of the contact to evaluate it again.
var clockFunctions = []string{"now", "today", "days_since", "days_until"}

func segmentDependsOnTime() Rule {
	return Rule{
		Name: "segment-depends-on-time", Severity: Error,
		Summary: "a dynamic segment's where that reads the clock (now, today, days_since, days_until)",
		Check: func(p *Pass) {
			for _, seg := range p.Program.Workspace.Of("segment") {
				where := seg.Expr("where")
				if where == nil {
					continue
				}
				for _, call := range callsIn(where.Native) {
					if !slices.Contains(clockFunctions, call.Name) {
						continue
					}
					p.Report(call.Range(),
						fmt.Sprintf("the where of %s calls %s(): a contact would come in or out as time passes, but a segment is evaluated again only when the contact changes, so its members would be stale", lang.Describe(seg), call.Name),
						"mark the date with a rule on date_reached(field.NAME) that tags the contact or sets a field, and test that in where")
				}
			}
		},
	}
}

func segmentCycle() Rule {
	return Rule{
		Name: "segment-cycle", Severity: Error,
		Summary: "dynamic segments whose where read each other back through in_segment",
		Check: func(p *Pass) {
			segments := p.Program.Workspace.Of("segment")
			reads := map[string][]*hclsyntax.FunctionCallExpr{}
			for _, seg := range segments {
				if where := seg.Expr("where"); where != nil {
					for _, call := range callsIn(where.Native) {
						if call.Name == "in_segment" && len(call.Args) == 1 {
							reads[seg.Name] = append(reads[seg.Name], call)
						}
					}
				}
			}
			reported := map[string]bool{}
			for _, seg := range segments {
				cycle := segmentCycleFrom(seg.Name, reads)
				if cycle == nil || slices.ContainsFunc(cycle, func(c segmentRead) bool { return reported[c.segment] }) {
					continue
				}
				var names []string
				var related []Related
				for i, c := range cycle {
					reported[c.segment] = true
					names = append(names, c.segment)
					if i > 0 {
						related = append(related, Related{Message: fmt.Sprintf("segment %q reads segment %q", c.segment, segmentNamed(c.call.Args[0])), Range: c.call.Range()})
					}
				}
				names = append(names, seg.Name)
				p.Report(cycle[0].call.Range(),
					fmt.Sprintf("the where of %s reads itself back through in_segment (%s): no contact can be said to be in it or not", lang.Describe(seg), strings.Join(names, " -> ")),
					"write the condition the other segment stands for into this where, or make one of them static",
					related...)
			}
		},
	}
}

// segmentRead is a segment's in_segment call that leads on in a cycle.
type segmentRead struct {
	segment string
	call    *hclsyntax.FunctionCallExpr
}

// segmentCycleFrom returns the in_segment calls that lead from a segment back to
// itself, the first of each segment on the way, or nil.
func segmentCycleFrom(start string, reads map[string][]*hclsyntax.FunctionCallExpr) []segmentRead {
	seen := map[string]bool{}
	var path []segmentRead
	var walk func(name string) bool
	walk = func(name string) bool {
		for _, call := range reads[name] {
			next := segmentNamed(call.Args[0])
			path = append(path, segmentRead{name, call})
			if next == start {
				return true
			}
			if next != "" && !seen[next] {
				seen[next] = true
				if walk(next) {
					return true
				}
			}
			path = path[:len(path)-1]
		}
		return false
	}
	if walk(start) {
		return path
	}
	return nil
}

// segmentNamed is the NAME of a segment.NAME argument ("" for anything
// else, which the compiler refuses).
func segmentNamed(x hclsyntax.Expression) string {
	t, ok := x.(*hclsyntax.ScopeTraversalExpr)
	if !ok || t.Traversal.RootName() != "segment" || len(t.Traversal) != 2 {
		return ""
	}
	if a, ok := t.Traversal[1].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// callsIn lists the function calls of an expression, outermost first.
func callsIn(x hclsyntax.Expression) []*hclsyntax.FunctionCallExpr {
	var out []*hclsyntax.FunctionCallExpr
	hclsyntax.VisitAll(x, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			out = append(out, call)
		}
		return nil
	})
	return out
}
