package graph

import "testing"

func TestMermaidText(t *testing.T) {
	for in, want := range map[string]string{
		`send_email "welcome"`:  `send_email #quot;welcome#quot;`,
		`a\b`:                   `a#92;b`,
		`a\nb \N \\n`:           `a#92;#8288;nb #92;N #92;#92;#8288;n`,
		`<b>x</b>`:              `#60;b#62;x#60;/b#62;`,
		`a & b`:                 `a #38; b`,
		`#quot; #35;`:           `#35;quot; #35;35;`,
		`a|b`:                   `a#124;b`,
		"`md`":                  "#96;md#96;",
		"two\nlines\r\tx\u2028": "two lines  x ",
		"\x00\x1f\x7f":          "   ",
		"café ☕ 日本語 🚀":          "café ☕ 日本語 🚀",
		"(a) [b] {c} %% ; -->":  "(a) [b] {c} %% ; --#62;",
	} {
		if got := mermaidText(in); got != want {
			t.Errorf("mermaidText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDotHTML(t *testing.T) {
	for in, want := range map[string]string{
		`send_email "welcome"`: `send_email &quot;welcome&quot;`,
		`a\b \n \\`:            `a\\b \\n \\\\`,
		`<b>x</b>`:             `&lt;b&gt;x&lt;/b&gt;`,
		`a & &amp; b`:          `a &amp; &amp;amp; b`,
		`it's`:                 `it&#39;s`,
		"two\nlines\u2029":     "two lines ",
		"café ☕ 日本語 🚀":         "café ☕ 日本語 🚀",
		"#35; | { } [ ]":       "#35; | { } [ ]",
	} {
		if got := dotHTML(in); got != want {
			t.Errorf("dotHTML(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDotString(t *testing.T) {
	for in, want := range map[string]string{
		`campaign "x"`:   `"campaign \"x\""`,
		`a\b \n \l`:      `"a\\b \\n \\l"`,
		`a & &amp;`:      `"a &amp; &amp;amp;"`,
		"two\nlines":     `"two lines"`,
		"<b> é 🚀 {} | ;": `"<b> é 🚀 {} | ;"`,
		"trailing \\":    `"trailing \\"`,
		"node":           `"node"`,
	} {
		if got := dotString(in); got != want {
			t.Errorf("dotString(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]struct {
		id    string
		exact bool
	}{
		"mark_lead": {"mark_lead", true},
		"a b":       {"a_b", false},
		"é":         {"_", false},
		"🚀x":        {"_x", false},
		"":          {"", true},
	} {
		id, exact := sanitize(in)
		if id != want.id || exact != want.exact {
			t.Errorf("sanitize(%q) = %q, %v; want %q, %v", in, id, exact, want.id, want.exact)
		}
	}
}
