package plan_test

import (
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

func TestURLPatternMatchesPagesAsMarketersMeanThem(t *testing.T) {
	for _, c := range []struct {
		pattern, visited string
		want             bool
	}{
		{"https://x.example/pricing", "https://x.example/pricing", true},
		{"https://x.example/pricing", "https://X.Example/pricing?utm_source=news#plans", true},
		{"https://x.example/pricing", "https://x.example/pricing/team", false},
		{"https://x.example/pricing", "http://x.example/pricing", false},
		{"https://x.example/pricing*", "https://x.example/pricing/team?x=1", true},
		{"https://x.example/pricing*", "https://x.example/pricing", true},
		{"https://x.example/pricing*", "https://x.example/about", false},
		{"https://x.example*", "https://x.example", true},
		{"https://x.example/", "https://x.example", true},
		{"https://x.example/search?q=pro", "https://x.example/search?q=pro", true},
		{"https://x.example/search?q=pro", "https://x.example/search?q=free", false},
		{"https://x.example/a b", "https://x.example/a%20b", true},
		{"https://x.example/pricing", "not a url", false},
		{"https://x.example/pricing", "", false},
	} {
		p, err := plan.ParseURLPattern(c.pattern)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		if got := p.Match(c.visited); got != c.want {
			t.Errorf("%q matches %q: %v, want %v", c.pattern, c.visited, got, c.want)
		}
	}
}

func TestURLPatternRefusesWhatIsNoPage(t *testing.T) {
	for _, s := range []string{
		"", "/pricing", "pricing*", "https://*.example.com/", "https://x.example/*/team", "ftp://x.example/",
		"https://user:pw@x.example/", "https://x.example/pricing#plans", "*",
	} {
		if _, err := plan.ParseURLPattern(s); err == nil {
			t.Errorf("%q is no page pattern, and ParseURLPattern took it", s)
		}
	}
}
