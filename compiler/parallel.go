package compiler

import (
	"maps"
	goruntime "runtime"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/parallel"
	"github.com/journeyhq/journey/lang"
)

// minChunk is the fewest blocks worth a goroutine of their own: below it,
// starting and merging a fork costs more than the walk it saves.
const minChunk = 64

// inParallel calls work for items 0..n-1 in contiguous chunks of about
// equal weight (weight nil: every item weighs one), one per core, each
// chunk on a fork of the compiler, and then joins the forks in
// chunk order: the program and the diagnostics are exactly those of a
// serial run. Forks share what the earlier phases built (declarations,
// fields, the account, and targets) and only read it. Work that records
// references must pass a fresh targets map (ownTargets).
func (c *compiler) inParallel(n int, ownTargets bool, weight func(i int) int, work func(f *compiler, i int)) {
	workers := workersFor(n)
	if workers <= 1 {
		for i := range n {
			work(c, i)
		}
		return
	}
	forks := make([]*compiler, workers)
	for w := range forks {
		forks[w] = c.fork(ownTargets)
	}
	parallel.Chunks(n, workers, weight, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			work(forks[w], i)
		}
	})
	for _, f := range forks {
		c.join(f)
	}
}

// workersFor is how many goroutines n items are worth: one per core, and
// none with fewer than minChunk items.
func workersFor(n int) int {
	return max(1, min(goruntime.GOMAXPROCS(0), (n+minChunk-1)/minChunk))
}

// fork returns a compiler that writes its results into maps and slices of
// its own.
func (c *compiler) fork(ownTargets bool) *compiler {
	p := *c.prog
	p.Uses = map[*lang.Block][]Use{}
	p.Suggested = map[*lang.Block]bool{}
	p.exprs = map[*lang.Expr]*plan.Expression{}
	p.Campaigns, p.Sequences, p.Rules = nil, nil, nil
	f := &compiler{prog: &p, targets: c.targets, exprs: c.exprs, ownTargets: ownTargets}
	if ownTargets {
		f.targets = map[*lang.Block]Targets{}
		p.targets = f.targets
	}
	return f
}

// join adds a fork's results after the compiler's own, in order. A map
// the compiler has nothing in yet becomes the fork's own (the fork is
// done with it): copying the first fork's tens of thousands of entries
// was most of the time compile spends on one core.
func (c *compiler) join(f *compiler) {
	if f.ownTargets {
		c.targets = merged(c.targets, f.targets)
		c.prog.targets = c.targets
	}
	if len(c.prog.Uses) == 0 {
		c.prog.Uses = f.prog.Uses
	} else {
		for target, uses := range f.prog.Uses {
			c.prog.Uses[target] = append(c.prog.Uses[target], uses...)
		}
	}
	c.prog.Suggested = merged(c.prog.Suggested, f.prog.Suggested)
	c.prog.exprs = merged(c.prog.exprs, f.prog.exprs)
	c.prog.Campaigns = append(c.prog.Campaigns, f.prog.Campaigns...)
	c.prog.Sequences = append(c.prog.Sequences, f.prog.Sequences...)
	c.prog.Rules = append(c.prog.Rules, f.prog.Rules...)
	c.diags = append(c.diags, f.diags...)
	c.deferred = append(c.deferred, f.deferred...)
}

// merged adds from's entries to into, or returns from when into is empty.
func merged[K comparable, V any](into, from map[K]V) map[K]V {
	if len(into) == 0 {
		return from
	}
	maps.Copy(into, from)
	return into
}
