package lang

import "github.com/agext/levenshtein"

// Suggest returns the candidate closest to given, or "" when none is close
// enough to be what was meant.
func Suggest(given string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		dist := levenshtein.Distance(given, c, nil)
		// Two edits are a typo; more must be small against the name.
		if dist > 2 && dist*3 > len(given) {
			continue
		}
		if best == "" || dist < bestDist || (dist == bestDist && c < best) {
			best, bestDist = c, dist
		}
	}
	return best
}
