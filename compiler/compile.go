package compiler

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// compiler holds the state of one Compile call.
type compiler struct {
	prog    *Program
	diags   hcl.Diagnostics
	targets map[*lang.Block]Targets
	exprs   *exprChecker
	// ownTargets is set on a fork whose references join the program's
	// (parallel.go).
	ownTargets bool
	// deferred are the values that read event, each checked once its
	// scope is known (events.go); scope is the one being checked in.
	deferred []scoped
	scope    *eventScope
}

// Compile resolves a workspace into a program. It returns the program even
// when there are errors, so that every rule can still run on what resolved;
// the diagnostics carry the rule names of the findings.
func Compile(ws *lang.Workspace) (*Program, hcl.Diagnostics) {
	c := &compiler{
		prog: &Program{
			Workspace: ws,
			Fields:    map[string]*Field{},
			Decls:     map[string]map[string]*lang.Block{},
			Uses:      map[*lang.Block][]Use{},
			Suggested: map[*lang.Block]bool{},
			exprs:     map[*lang.Expr]*plan.Expression{},
			Complete:  !ws.Incomplete,
			names:     &declNames{},
		},
		targets: map[*lang.Block]Targets{},
	}
	c.prog.targets = c.targets
	c.declare()
	c.account()
	c.fields()
	c.properties()
	c.exprs = newExprChecker(c.prog)
	// The walk and the campaigns' graphs are most of the work and each
	// block's is its own: they run on every core (parallel.go), a
	// campaign's graph right after its walk, which resolved the references
	// the graph reads. A campaign weighs what it holds: the declarations
	// are many small blocks that sort together.
	c.inParallel(len(ws.Blocks), true, func(i int) int { return 1 + len(ws.Blocks[i].Blocks) },
		func(f *compiler, i int) {
			b := ws.Blocks[i]
			before := len(f.deferred)
			f.walk(b)
			if b.Type == "campaign" {
				items := slices.Clone(f.deferred[before:])
				f.deferred = f.deferred[:before]
				if camp := f.campaign(b); camp != nil {
					f.campaignScopes(camp, items)
				}
			}
		})
	for _, b := range ws.Of("sequence") {
		c.sequence(b)
	}
	for _, b := range ws.Of("rule") {
		c.rule(b)
	}
	c.laterScopes()
	return c.prog, c.diags
}

func (c *compiler) add(d ...*hcl.Diagnostic) { c.diags = append(c.diags, d...) }

// Targets returns the declarations an attribute of a block references.
func (p *Program) Targets(b *lang.Block, attr string) []*lang.Block { return p.targets[b].Of(attr) }

// TargetsOf returns every reference of a block's attributes.
func (p *Program) TargetsOf(b *lang.Block) Targets { return p.targets[b] }

// PostalAddress names the fields of account.postal_address, in order; nil
// when it is not set.
func (p *Program) PostalAddress() []string {
	if p.Account.Block == nil {
		return nil
	}
	var names []string
	for _, f := range p.Targets(p.Account.Block, "postal_address") {
		names = append(names, f.Name)
	}
	return names
}

// Target returns the first declaration an attribute references, or nil.
func (p *Program) Target(b *lang.Block, attr string) *lang.Block {
	return p.targets[b].First(attr)
}

// declare indexes the top-level declarations and reports duplicates.
func (c *compiler) declare() {
	var account *lang.Block
	for _, b := range c.prog.Workspace.Blocks {
		if b.Kind == nil {
			continue
		}
		switch b.Type {
		case "account":
			if account != nil {
				c.add(lang.Errorf(lang.RuleDuplicateName, b.DefRange, "a second account block: a workspace has one account",
					"merge the two account blocks", lang.Related{Message: "the first account block", Range: account.DefRange}))
				continue
			}
			account = b
			c.prog.Account.Block = b
			continue
		case "moved":
			continue
		}
		byName := c.prog.Decls[b.Type]
		if byName == nil {
			byName = map[string]*lang.Block{}
			c.prog.Decls[b.Type] = byName
		}
		if first, ok := byName[b.Name]; ok {
			c.add(lang.Errorf(lang.RuleDuplicateName, b.DefRange,
				fmt.Sprintf("%s is declared twice: references to it are ambiguous", lang.Describe(b)),
				"rename or remove one of them",
				lang.Related{Message: "first declared here", Range: first.DefRange}))
			continue
		}
		byName[b.Name] = b
	}
}

// walk checks the literals of a block and its nested blocks and resolves
// their references to declarations.
func (c *compiler) walk(b *lang.Block) {
	for spec, a := range b.SetAttrs() {
		if a.Value == nil {
			continue
		}
		c.literal(b, spec, a.Value)
		c.resolve(b, spec, a.Value)
		if c.scope == nil && readsEvent(spec, a.Value) {
			c.deferScoped(b, spec, a.Value)
			continue
		}
		c.expressions(b, spec, a.Value)
	}
	for _, nb := range b.Blocks {
		c.walk(nb)
	}
}

// resolve records the declarations a value references.
func (c *compiler) resolve(b *lang.Block, spec *kinds.Attr, v lang.Value) {
	switch spec.Type {
	case kinds.Ref, kinds.RefList, kinds.RefOrString:
	case kinds.Event:
		call, ok := v.(*lang.Call)
		if !ok {
			return
		}
		ev := kinds.LookupEvent(call.Name)
		c.eventCallUse(b, spec.Name, call)
		for i, arg := range call.Args {
			p := ev.Params[i]
			if p.Type == kinds.Ref {
				c.resolveRef(b, spec.Name, &p, arg)
			} else {
				c.literal(b, &p, arg)
			}
		}
		return
	default:
		return
	}
	switch v := v.(type) {
	case *lang.Ref:
		c.resolveRef(b, spec.Name, spec, v)
	case *lang.List:
		for _, it := range v.Items {
			c.resolveRef(b, spec.Name, spec, it)
		}
	}
}

// resolveRef resolves one reference of a block's attribute and records it,
// returning the declaration or nil.
func (c *compiler) resolveRef(b *lang.Block, attr string, spec *kinds.Attr, v lang.Value) *lang.Block {
	r, ok := v.(*lang.Ref)
	if !ok {
		return nil
	}
	target := c.lookup(r, spec.Targets, func() string { return fmt.Sprintf("%s of %s", attr, lang.Describe(b)) })
	if target == nil {
		return nil
	}
	c.targets[b] = append(c.targets[b], Target{Attr: attr, Decl: target})
	c.prog.Uses[target] = append(c.prog.Uses[target], Use{From: b, Attr: attr, Range: r.Range})
	return target
}

// lookup finds the declaration a reference names, reporting a reference of
// the wrong kind or to nothing, with the closest existing name. what names
// the referring attribute; it is called only for a message.
func (c *compiler) lookup(r *lang.Ref, targets []string, what func() string) *lang.Block {
	if !slices.Contains(targets, r.Kind()) {
		want := words.JoinOr(targets)
		c.add(lang.Errorf(lang.RuleType, r.Range,
			fmt.Sprintf("%s must reference a %s, not %s", what(), want, r.String()),
			fmt.Sprintf("write %s.NAME", targets[0])))
		return nil
	}
	if r.Kind() == "field" {
		if f := c.prog.Fields[r.Name()]; f != nil {
			return f.Block
		}
	} else if b := c.prog.Decls[r.Kind()][r.Name()]; b != nil {
		return b
	}
	c.add(c.unknown(r))
	return nil
}

// unknown reports a reference to a declaration that does not exist.
func (c *compiler) unknown(r *lang.Ref) *hcl.Diagnostic {
	hint := fmt.Sprintf("declare it: %s %q { ... }", r.Kind(), r.Name())
	if c.prog.declared(r.Kind()) == 0 {
		hint = fmt.Sprintf("no %s is declared; declare it: %s %q { ... }", r.Kind(), r.Kind(), r.Name())
	}
	if s := c.prog.closestName(r.Kind(), r.Name()); s != "" {
		hint = fmt.Sprintf("did you mean %s.%s?", r.Kind(), s)
		if b := c.prog.Decls[r.Kind()][s]; b != nil {
			c.prog.Suggested[b] = true
		}
	}
	return lang.Errorf(lang.RuleUnknownReference, r.Range, fmt.Sprintf("there is no %s %q", r.Kind(), r.Name()), hint)
}
