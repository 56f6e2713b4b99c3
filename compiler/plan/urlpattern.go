package plan

import (
	"errors"
	"net/url"
	"strings"
)

// URLPattern is page_visited's argument: a page's URL, or the start of
// URLs followed by "*" ("https://example.com/pricing*"). The compiler
// refuses a pattern that ParseURLPattern does not read, and the runtime
// routes page visits by Match: both read it here, so they agree.
type URLPattern struct {
	// prefix: the pattern ends in "*" and matches every URL that starts
	// with text; else it matches the URL text names.
	prefix bool
	text   string
	// query: an exact pattern with a query string matches only that
	// query; without one it matches the page whatever its query.
	query bool
}

// ParseURLPattern reads a page_visited pattern: an absolute http(s) URL,
// with a "*" only at its end.
func ParseURLPattern(s string) (URLPattern, error) {
	p := URLPattern{text: s}
	if rest, ok := strings.CutSuffix(s, "*"); ok {
		p.prefix, p.text = true, rest
	}
	if strings.Contains(p.text, "*") {
		return URLPattern{}, errors.New("a * may only end the pattern: it matches every URL that starts with what comes before it")
	}
	u, err := url.Parse(p.text)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return URLPattern{}, errors.New("a page is an absolute http(s) URL")
	}
	if u.User != nil {
		return URLPattern{}, errors.New("a page's URL carries no user or password")
	}
	if u.Fragment != "" || strings.HasSuffix(p.text, "#") {
		return URLPattern{}, errors.New("a page's URL has no #fragment: the browser never sends it")
	}
	p.query = u.RawQuery != "" || strings.HasSuffix(p.text, "?")
	if p.prefix {
		// As Match writes the visited URL, but an empty path stays
		// empty: "https://example.com*" is every page of the site.
		n := *u
		n.Scheme, n.Host = strings.ToLower(n.Scheme), strings.ToLower(n.Host)
		p.text = n.String()
	} else {
		p.text = normalURL(u, p.query)
	}
	return p, nil
}

// Match reports whether a visited page's URL matches the pattern. The
// scheme and host are compared in lower case, the fragment is left out,
// an empty path is "/", and an exact pattern without a query string
// matches the page whatever query it was visited with (utm_source and
// the like).
func (p URLPattern) Match(visited string) bool {
	u, err := url.Parse(strings.TrimSpace(visited))
	if err != nil || u.Host == "" {
		return false
	}
	u.Fragment, u.RawFragment = "", ""
	if p.prefix {
		return strings.HasPrefix(normalURL(u, true), p.text)
	}
	return normalURL(u, p.query) == p.text
}

// normalURL is a URL with its scheme and host in lower case, "/" for an
// empty path, and its query only when withQuery.
func normalURL(u *url.URL, withQuery bool) string {
	n := *u
	n.Scheme, n.Host = strings.ToLower(n.Scheme), strings.ToLower(n.Host)
	n.Fragment, n.RawFragment = "", ""
	if n.Path == "" && n.RawPath == "" && n.Opaque == "" {
		n.Path = "/"
	}
	if !withQuery {
		n.RawQuery, n.ForceQuery = "", false
	}
	return n.String()
}
