package lang

import (
	"fmt"
	"testing"

	"github.com/journeyhq/journey/lang/kinds"
)

// Attr finds what the decoder added, by the set bits for the first 64
// specs and by name beyond them, and nothing else.
func TestBlockAttrFindsWhatWasAdded(t *testing.T) {
	b := &Block{}
	for i := range 70 {
		b.Specs = append(b.Specs, kinds.Attr{Name: fmt.Sprintf("a%d", i)})
	}
	added := []int{0, 3, 63, 64, 69}
	for _, i := range added {
		b.addAttr(i, Attribute{Name: b.Specs[i].Name})
	}
	for i := range 70 {
		name := b.Specs[i].Name
		got := b.Attr(name)
		want := false
		for _, j := range added {
			want = want || i == j
		}
		switch {
		case want && (got == nil || got.Name != name):
			t.Errorf("Attr(%q) = %v, want the attribute", name, got)
		case !want && got != nil:
			t.Errorf("Attr(%q) = %q, want nil: it was never set", name, got.Name)
		}
	}
	if got := b.Attr("nope"); got != nil {
		t.Errorf("Attr of a name the block does not take = %q", got.Name)
	}
	var none *Block
	if none.Attr("a0") != nil {
		t.Error("Attr of a nil block is not nil")
	}
}
