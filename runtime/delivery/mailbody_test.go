package delivery

import "testing"

func TestIsHTML(t *testing.T) {
	for body, want := range map[string]bool{
		"<!DOCTYPE html><html></html>": true,
		"\n  <p>Hello</p>":             true,
		"<html lang=en>":               true,
		"<br/>":                        true,
		"<!-- preheader -->Hi":         true,
		"Hello <b>Ada</b>":             false,
		"<3 from Acme":                 false,
		"<Ada> said hi":                false, // not an element of HTML
		"<TABLE>":                      true,
		"a < b and b > c":              false,
		"":                             false,
	} {
		if got := isHTML(body); got != want {
			t.Errorf("isHTML(%q) = %v, want %v", body, got, want)
		}
	}
}

func TestHTMLToText(t *testing.T) {
	cases := map[string]string{
		`<p>Hi &amp; welcome</p><p>Two</p>`:                          "Hi & welcome\n\nTwo\n",
		`<p>Line<br>break</p>`:                                       "Line\nbreak\n",
		`<a href="https://x.example/a">https://x.example/a</a>`:      "https://x.example/a\n",
		`<a href="#top">Top</a> <a href="">empty</a>`:                "Top empty\n",
		`<head><title>T</title><style>p{}</style></head><p>Body</p>`: "Body\n",
		`<p>   lots    of
		 space </p>`: "lots of space\n",
		`<script>alert(1)</script><p>x</p>`:             "x\n",
		`<img src="logo.png" alt="Acme"><p>x</p>`:       "Acme\nx\n",
		`<table><tr><td>a</td><td>b</td></tr><tr><td>c`: "a b\nc\n",
		`<p>unclosed <b>bold`:                           "unclosed bold\n",
	}
	for html, want := range cases {
		if got := htmlToText(html); got != want {
			t.Errorf("htmlToText(%q)\n = %q\nwant %q", html, got, want)
		}
	}
}
