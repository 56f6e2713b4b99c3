package delivery

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlStart is how an HTML body begins: a doctype, a comment or a tag
// (after blank space). Templates are either HTML files or text, and a text
// email does not open with "<p>".
var htmlStart = regexp.MustCompile(`^\s*<(?i:(!doctype\s|!--)|([a-z][a-z0-9]*)[\s/>])`)

// isHTML says whether an email body is HTML: it opens with a doctype, a
// comment or an element HTML has ("<p>", "<table>"; not "<Ada>").
func isHTML(body string) bool {
	match := htmlStart.FindStringSubmatch(body)
	switch {
	case match == nil:
		return false
	case match[1] != "":
		return true
	}
	return atom.Lookup([]byte(strings.ToLower(match[2]))) != 0
}

// blockAtoms end a line of the text alternative (a list item or a table
// row starts one).
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Hr: true, atom.Blockquote: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Pre: true,
}

// skippedAtoms hold no text a reader sees.
var skippedAtoms = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Title: true, atom.Template: true,
}

// htmlToText is the plain-text alternative of an HTML body: its visible
// text, a line per block, links followed by their address.
func htmlToText(body string) string {
	var out strings.Builder
	var hrefs []string // the open links' addresses, innermost last
	skipping := 0
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		kind := z.Next()
		switch kind {
		case html.ErrorToken:
			return tidyText(out.String())
		case html.TextToken:
			if skipping == 0 {
				out.WriteString(collapseSpace(string(z.Text())))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch {
			case skippedAtoms[tok.DataAtom]:
				if kind == html.StartTagToken {
					skipping++
				}
			case tok.DataAtom == atom.A:
				hrefs = append(hrefs, attr(tok, "href"))
			case tok.DataAtom == atom.Img:
				out.WriteString(attr(tok, "alt"))
			case tok.DataAtom == atom.Li:
				out.WriteString("\n- ")
			case tok.DataAtom == atom.Tr:
				out.WriteString("\n")
			case blockAtoms[tok.DataAtom]:
				out.WriteString("\n")
			}
		case html.EndTagToken:
			tok := z.Token()
			switch {
			case skippedAtoms[tok.DataAtom]:
				if skipping > 0 {
					skipping--
				}
			case tok.DataAtom == atom.A && len(hrefs) > 0:
				href := hrefs[len(hrefs)-1]
				hrefs = hrefs[:len(hrefs)-1]
				if href != "" && !strings.HasPrefix(href, "#") && !strings.HasSuffix(out.String(), href) {
					out.WriteString(" (" + href + ")")
				}
			case tok.DataAtom == atom.Td || tok.DataAtom == atom.Th:
				out.WriteString(" ")
			case blockAtoms[tok.DataAtom]:
				out.WriteString("\n")
			}
		}
	}
}

func attr(tok html.Token, name string) string {
	for _, a := range tok.Attr {
		if a.Key == name {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

var spaceRun = regexp.MustCompile(`[ \t\r\n\f]+`)

func collapseSpace(s string) string { return spaceRun.ReplaceAllString(s, " ") }

// tidyText trims each line and keeps at most one blank line in a row.
func tidyText(s string) string {
	var lines []string
	blank := true // no blank line at the start
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if !blank {
				lines = append(lines, "")
			}
			blank = true
			continue
		}
		lines = append(lines, line)
		blank = false
	}
	return strings.TrimSpace(strings.Join(lines, "\n")) + "\n"
}
