package diff

import "testing"

// A headline counts changes by the table's nouns: its plural where English
// has no rule for it (sms), one account.
func TestCountOf(t *testing.T) {
	for _, c := range []struct {
		n    int
		typ  string
		want string
	}{
		{1, "email", "1 email"},
		{2, "email", "2 emails"},
		{2, "sms", "2 sms"},
		{2, "fulfillment_list", "2 fulfillment lists"},
		{1, "account", "1 account"},
		{2, "campaign", "2 campaigns"},
		{2, "step", "2 steps"},
	} {
		if got := countOf(c.n, c.typ); got != c.want {
			t.Errorf("countOf(%d, %q) = %q, want %q", c.n, c.typ, got, c.want)
		}
	}
}
