// Package suggest answers "did you mean": the known name closest to a
// misspelled one. Every stage asks it (lang for block types and events,
// the compiler for references, validate for rule names, the runtime for
// the fields and events it is handed, the CLI for flags), so it is a leaf
// that each can import.
package suggest

import (
	"slices"
	"unicode/utf8"
)

// Closest returns the candidate closest to given, or "" when none is close
// enough to be what was meant. A caller that asks about many names against
// the same candidates builds an Index once instead.
func Closest(given string, candidates []string) string {
	return NewIndex(candidates).Closest(given)
}

// Index answers "did you mean" for many names against one set of
// candidates. It is read-only once built, so goroutines may share it.
//
// The candidates sit in a trie searched with one row of the Levenshtein
// table per trie node: names that share a prefix ("segment_1",
// "segment_12") share its rows, and a branch is left as soon as every
// cell of its row is beyond the best distance found. Checking each
// candidate on its own (a distance library's way) cost 20,000 unknown tags
// against 5,000 declared ones half a minute.
type Index struct {
	nodes []trieNode
	// invalid holds the candidates that are not valid UTF-8: their runes
	// (U+FFFD for each bad byte) do not sort like their bytes, so they are
	// checked one by one to keep the lexical tie-break.
	invalid []string
}

// trieNode is one rune of a candidate; node 0 is the root (no rune).
type trieNode struct {
	r        rune
	children []int32 // in rune order, which is the candidates' byte order
	word     string  // the candidate ending here, or ""
}

// NewIndex indexes candidates. The empty name is never suggested.
func NewIndex(candidates []string) *Index {
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	x := &Index{nodes: []trieNode{{}}}
	for _, c := range sorted {
		switch {
		case c == "":
		case !utf8.ValidString(c):
			x.invalid = append(x.invalid, c)
		default:
			x.insert(c)
		}
	}
	return x
}

// insert adds a candidate. Candidates come in sorted order, so a new child
// always goes after its siblings.
func (x *Index) insert(c string) {
	at := int32(0)
	for _, r := range c {
		kids := x.nodes[at].children
		if n := len(kids); n > 0 && x.nodes[kids[n-1]].r == r {
			at = kids[n-1]
			continue
		}
		x.nodes = append(x.nodes, trieNode{r: r})
		next := int32(len(x.nodes) - 1)
		x.nodes[at].children = append(x.nodes[at].children, next)
		at = next
	}
	x.nodes[at].word = c
}

// Closest returns the indexed name closest to given in edits of one rune,
// or "" when none is close enough. Two edits are a typo; more must be at
// most a third of given's length in bytes. Of equally close names the
// lexically smallest wins.
func (x *Index) Closest(given string) string {
	s := trieSearch{index: x, given: []rune(given), limit: max(2, len(given)/3)}
	first := s.row(0)
	for i := range first {
		first[i] = i
	}
	for _, child := range x.nodes[0].children {
		if s.limit < 0 {
			break
		}
		s.visit(child, 1)
	}
	best, bestDist := s.best, s.limit+1
	for _, c := range x.invalid {
		d := s.distance([]rune(c))
		if d <= max(2, len(given)/3) && (best == "" || d < bestDist || (d == bestDist && c < best)) {
			best, bestDist = c, d
		}
	}
	return best
}

// trieSearch is the state of one Closest call. limit is the largest
// distance still worth finding: the cutoff at first, then one less than
// the best found, since a later name in trie order loses a tie.
type trieSearch struct {
	index *Index
	given []rune
	limit int
	best  string
	rows  [][]int // rows[depth] is the table row of the node being visited there
}

func (s *trieSearch) row(depth int) []int {
	for len(s.rows) <= depth {
		s.rows = append(s.rows, make([]int, len(s.given)+1))
	}
	return s.rows[depth]
}

// visit fills the row of node at depth from its parent's, records the name
// ending there, and goes down unless no cell is within the limit.
func (s *trieSearch) visit(node int32, depth int) {
	n := &s.index.nodes[node]
	prev, row := s.row(depth-1), s.row(depth)
	row[0] = depth
	lowest := row[0]
	for i, g := range s.given {
		cost := prev[i]
		if g != n.r {
			cost++
		}
		cost = min(cost, prev[i+1]+1, row[i]+1)
		row[i+1] = cost
		lowest = min(lowest, cost)
	}
	if d := row[len(s.given)]; n.word != "" && d <= s.limit {
		s.best, s.limit = n.word, d-1
	}
	for _, child := range n.children {
		if lowest > s.limit {
			return
		}
		s.visit(child, depth+1)
	}
}

// distance is the plain Levenshtein distance between given and c.
func (s *trieSearch) distance(c []rune) int {
	prev := make([]int, len(s.given)+1)
	row := make([]int, len(s.given)+1)
	for i := range prev {
		prev[i] = i
	}
	for j, r := range c {
		row[0] = j + 1
		for i, g := range s.given {
			cost := prev[i]
			if g != r {
				cost++
			}
			row[i+1] = min(cost, prev[i+1]+1, row[i]+1)
		}
		prev, row = row, prev
	}
	return prev[len(s.given)]
}
