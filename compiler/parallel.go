package compiler

import (
	"maps"
	goruntime "runtime"
	"sync"

	"github.com/journeyhq/journey/compiler/plan"
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
	inChunks(n, workers, weight, func(w, lo, hi int) {
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

// inChunks splits 0..n-1 into as many contiguous ranges as workers, of
// about equal weight (weight nil: every item weighs one), and runs work on
// each at once, returning when all are done.
func inChunks(n, workers int, weight func(i int) int, work func(w, lo, hi int)) {
	bounds := chunkBounds(n, workers, weight)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { work(w, bounds[w], bounds[w+1]) })
	}
	wg.Wait()
}

// chunkBounds returns workers+1 bounds: chunk w is bounds[w]..bounds[w+1].
func chunkBounds(n, workers int, weight func(i int) int) []int {
	bounds := make([]int, workers+1)
	if weight == nil {
		for w := range bounds {
			bounds[w] = n * w / workers
		}
		return bounds
	}
	total := 0
	for i := range n {
		total += weight(i)
	}
	w, sum := 1, 0
	for i := range n {
		for w < workers && sum >= total*w/workers {
			bounds[w] = i
			w++
		}
		sum += weight(i)
	}
	for ; w <= workers; w++ {
		bounds[w] = n
	}
	return bounds
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

// join adds a fork's results after the compiler's own, in order.
func (c *compiler) join(f *compiler) {
	if f.ownTargets {
		maps.Copy(c.targets, f.targets)
	}
	for target, uses := range f.prog.Uses {
		c.prog.Uses[target] = append(c.prog.Uses[target], uses...)
	}
	maps.Copy(c.prog.Suggested, f.prog.Suggested)
	maps.Copy(c.prog.exprs, f.prog.exprs)
	c.prog.Campaigns = append(c.prog.Campaigns, f.prog.Campaigns...)
	c.prog.Sequences = append(c.prog.Sequences, f.prog.Sequences...)
	c.prog.Rules = append(c.prog.Rules, f.prog.Rules...)
	c.diags = append(c.diags, f.diags...)
}
