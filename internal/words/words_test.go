package words_test

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/internal/words"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "campaign", "0 campaigns"},
		{1, "campaign", "1 campaign"},
		{2, "campaign", "2 campaigns"},
		{2, "fulfillment list", "2 fulfillment lists"},
		{3, "address", "3 addresses"},
		{2, "box", "2 boxes"},
		{2, "batch", "2 batches"},
		{1, "address", "1 address"},
	} {
		if got := words.Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
	if got := words.CountForms(1, "file is", "files are"); got != "1 file is" {
		t.Errorf("CountForms(1) = %q", got)
	}
	if got := words.CountForms(4, "file is", "files are"); got != "4 files are" {
		t.Errorf("CountForms(4) = %q", got)
	}
	if got := words.ForCount(1, "it", "them") + " " + words.ForCount(0, "it", "them"); got != "it them" {
		t.Errorf("ForCount = %q", got)
	}
}

func TestJoin(t *testing.T) {
	for _, c := range []struct {
		list    []string
		or, and string
	}{
		{nil, "", ""},
		{[]string{"a"}, "a", "a"},
		{[]string{"a", "b"}, "a or b", "a and b"},
		{[]string{"a", "b", "c"}, "a, b or c", "a, b and c"},
	} {
		if got := words.JoinOr(c.list); got != c.or {
			t.Errorf("JoinOr(%q) = %q, want %q", c.list, got, c.or)
		}
		if got := words.JoinAnd(c.list); got != c.and {
			t.Errorf("JoinAnd(%q) = %q, want %q", c.list, got, c.and)
		}
	}
}

func TestFriendlyType(t *testing.T) {
	for _, c := range []struct {
		t    cty.Type
		want string
	}{
		{cty.String, "a string"},
		{cty.Number, "a number"},
		{cty.Bool, "a bool"},
		{cty.List(cty.String), "a list"},
		{cty.Tuple([]cty.Type{cty.String, cty.Number}), "a list"},
		{cty.Set(cty.String), "a list"},
		{cty.Object(map[string]cty.Type{"a": cty.String}), "an object"},
		{cty.Map(cty.Number), "an object"},
		{cty.DynamicPseudoType, "dynamic"},
	} {
		if got := words.FriendlyType(c.t); got != c.want {
			t.Errorf("FriendlyType(%s) = %q, want %q", c.t.FriendlyName(), got, c.want)
		}
	}
}
