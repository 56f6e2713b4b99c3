// Package parallel splits work over contiguous ranges that run at once, so
// that results written by index come out in the order of a serial run.
package parallel

import "sync"

// Chunks splits 0..n-1 into as many contiguous ranges as workers, of about
// equal weight (weight nil: every item weighs one), and runs work on each
// at once, returning when all are done. Worker w gets range lo..hi.
func Chunks(n, workers int, weight func(i int) int, work func(w, lo, hi int)) {
	bounds := Bounds(n, workers, weight)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { work(w, bounds[w], bounds[w+1]) })
	}
	wg.Wait()
}

// Bounds returns workers+1 bounds: chunk w is bounds[w]..bounds[w+1].
func Bounds(n, workers int, weight func(i int) int) []int {
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
