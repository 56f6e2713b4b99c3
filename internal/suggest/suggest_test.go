package suggest_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/agext/levenshtein"

	"github.com/journeyhq/journey/internal/suggest"
)

// referenceSuggest is Closest as it was before the index: a full distance
// to every candidate. The index must answer exactly as it does. One
// difference is deliberate: an empty candidate, which this version could
// keep as its "best" and then drop for a farther name depending on the
// order of the list, is never suggested; the comparisons leave it out.
func referenceSuggest(given string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		dist := levenshtein.Distance(given, c, nil)
		if dist > 2 && dist*3 > len(given) {
			continue
		}
		if best == "" || dist < bestDist || (dist == bestDist && c < best) {
			best, bestDist = c, dist
		}
	}
	return best
}

func TestClosest(t *testing.T) {
	tags := []string{"customer", "lead", "past_due", "segment_1", "segment_12", "segment_2", "vip"}
	for _, c := range []struct{ given, want string }{
		{"custmer", "customer"},        // a letter left out
		{"cutsomer", "customer"},       // two letters swapped: two edits
		{"led", "lead"},                // short names take two edits
		{"xyz", ""},                    // three edits from vip
		{"segmnet_12", "segment_12"},   // two edits
		{"segment_3", "segment_1"},     // one edit from two names: the lexically smaller
		{"segment_12", "segment_12"},   // the name itself
		{"zzzzzzzzzzzz", ""},           // nothing near
		{"", ""},                       // three edits from vip
		{"ab", ""},                     // two edits from no name
		{"PAST_DUE", ""},               // case matters: seven edits in eight letters
		{"sëgment_1", "segment_1"},     // one rune, not two bytes
		{"segmnet_1234", "segment_12"}, // four edits: a third of twelve letters
		{"segmnet_12345", ""},          // five edits: more than a third of thirteen letters
	} {
		if got := suggest.Closest(c.given, tags); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.given, got, c.want)
		}
		if ref := referenceSuggest(c.given, tags); ref != c.want {
			t.Errorf("the reference suggests %q for %q, the table %q", ref, c.given, c.want)
		}
	}
}

// TestIndexMatchesReference compares the index with the reference on
// many small random sets of look-alike names (shared prefixes, a rune of
// two bytes, invalid UTF-8), and on the same set in another order.
func TestIndexMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	for range 3000 {
		candidates := make([]string, rng.IntN(30))
		for i := range candidates {
			candidates[i] = randomName(rng)
		}
		index := suggest.NewIndex(candidates)
		shuffled := append([]string(nil), candidates...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		reordered := suggest.NewIndex(shuffled)
		for range 10 {
			given := randomName(rng)
			if len(candidates) > 0 && rng.IntN(2) == 0 {
				given = misspell(rng, candidates[rng.IntN(len(candidates))])
			}
			want := referenceSuggest(given, nonEmpty(candidates))
			if got := index.Closest(given); got != want {
				t.Fatalf("Closest(%q) among %q = %q, the reference says %q", given, candidates, got, want)
			}
			if got := reordered.Closest(given); got != want {
				t.Fatalf("Closest(%q) among %q (reordered) = %q, the reference says %q", given, shuffled, got, want)
			}
		}
	}
}

// FuzzSuggestMatchesReference holds Closest to the reference: given, then
// the candidates separated by commas.
func FuzzSuggestMatchesReference(f *testing.F) {
	f.Add("segmnet_12", "segment_1,segment_12,segment_2")
	f.Add("cutsomer", "customer,lead,vip")
	f.Add("sëg\xffment", "seg\xfement,sègment,segment")
	f.Add("", "a,b,,ab")
	f.Fuzz(func(t *testing.T, given, list string) {
		candidates := nonEmpty(strings.Split(list, ","))
		want := referenceSuggest(given, candidates)
		if got := suggest.Closest(given, candidates); got != want {
			t.Fatalf("Closest(%q) among %q = %q, the reference says %q", given, candidates, got, want)
		}
	})
}

// BenchmarkSuggestUnknownTags looks up 20,000 misspelled tags among 5,000
// declared ones, as the compiler does: the reference (the old lang.Suggest)
// against the index, built once per run.
func BenchmarkSuggestUnknownTags(b *testing.B) {
	declared := make([]string, 5000)
	for i := range declared {
		declared[i] = fmt.Sprintf("segment_%d", i)
	}
	unknown := make([]string, 20000)
	for i := range unknown {
		unknown[i] = fmt.Sprintf("segmnet_%d", i)
	}
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			for _, u := range unknown {
				referenceSuggest(u, declared)
			}
		}
	})
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			index := suggest.NewIndex(declared)
			for _, u := range unknown {
				index.Closest(u)
			}
		}
	})
}

// randomName draws a short name from few letters, so that names share
// prefixes and lie within a few edits of each other.
func randomName(rng *rand.Rand) string {
	const pieces = "ab_1"
	var b strings.Builder
	for range rng.IntN(12) {
		switch rng.IntN(20) {
		case 0:
			b.WriteString("é")
		case 1:
			b.WriteByte(0xff) // not UTF-8
		default:
			b.WriteByte(pieces[rng.IntN(len(pieces))])
		}
	}
	return b.String()
}

// misspell makes up to three random edits to a name.
func misspell(rng *rand.Rand, name string) string {
	runes := []rune(name)
	for range rng.IntN(4) {
		i := rng.IntN(len(runes) + 1)
		switch rng.IntN(3) {
		case 0:
			runes = append(runes[:i], append([]rune{'a'}, runes[i:]...)...)
		case 1:
			if i < len(runes) {
				runes = append(runes[:i], runes[i+1:]...)
			}
		default:
			if i < len(runes) {
				runes[i] = 'b'
			}
		}
	}
	return string(runes)
}

func nonEmpty(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
