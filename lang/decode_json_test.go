package lang_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// A reference in a JSON file, plain or as "${...}", covers its whole
// string: findings about it underline the string, not its first bytes.
func TestJSONReferenceCoversItsString(t *testing.T) {
	for _, next := range []string{`"end.done"`, `"${end.done}"`, `"${ end.done }"`} {
		src := `{"campaign": {"c": {"trigger": {"t": {"on": "added_to_campaign()", "next": ` + next + `}}, "end": {"done": {}}}}}`
		r := mustLoad(t, fstest.MapFS{"x.journey.json": {Data: []byte(src)}}, 10*time.Second)
		noErrors(t, r.diags)
		camps := r.ws.Of("campaign")
		if len(camps) != 1 || len(camps[0].Blocks) == 0 {
			t.Fatalf("%s: no campaign with a trigger decoded", next)
		}
		ref := camps[0].Blocks[0].Ref("next")
		if ref == nil || ref.String() != "end.done" {
			t.Fatalf("%s: next is %v, want end.done", next, ref)
		}
		start := strings.Index(src, next)
		if got := src[ref.Range.Start.Byte:ref.Range.End.Byte]; got != next {
			t.Errorf("the reference covers %q, want %s (bytes %d-%d)", got, next, start, start+len(next))
		}
	}
}
