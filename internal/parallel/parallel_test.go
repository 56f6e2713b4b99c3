package parallel

import (
	"slices"
	"testing"
)

func TestBoundsBalanceWeight(t *testing.T) {
	// 300 small declarations after 100 campaigns of 30 elements: by count
	// the first chunk would hold every campaign.
	weights := make([]int, 400)
	for i := range weights {
		weights[i] = 1
		if i < 100 {
			weights[i] = 31
		}
	}
	weight := func(i int) int { return weights[i] }
	for _, workers := range []int{1, 2, 3, 8} {
		bounds := Bounds(len(weights), workers, weight)
		if len(bounds) != workers+1 || bounds[0] != 0 || bounds[workers] != len(weights) || !slices.IsSorted(bounds) {
			t.Fatalf("%d workers: bounds %v do not cover 0..%d in order", workers, bounds, len(weights))
		}
		total := 0
		for _, w := range weights {
			total += w
		}
		for w := range workers {
			sum := 0
			for i := bounds[w]; i < bounds[w+1]; i++ {
				sum += weights[i]
			}
			// Each chunk is within one item of its share.
			if share := total / workers; sum > share+31 {
				t.Errorf("%d workers: chunk %d weighs %d, its share is %d (bounds %v)", workers, w, sum, share, bounds)
			}
		}
	}
}

func TestBoundsUnweightedAndTiny(t *testing.T) {
	if got := Bounds(10, 3, nil); !slices.Equal(got, []int{0, 3, 6, 10}) {
		t.Errorf("unweighted: %v", got)
	}
	// More workers than items: empty chunks, still covering every item once.
	got := Bounds(2, 4, func(int) int { return 5 })
	if got[0] != 0 || got[4] != 2 || !slices.IsSorted(got) {
		t.Errorf("2 items on 4 workers: %v", got)
	}
	if got := Bounds(0, 2, func(int) int { return 1 }); !slices.Equal(got, []int{0, 0, 0}) {
		t.Errorf("no items: %v", got)
	}
}
