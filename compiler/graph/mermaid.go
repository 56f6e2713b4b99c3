package graph

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Mermaid's default limits (maxEdges, maxTextSize): a larger diagram is
// refused by the renderer, GitHub's included.
const (
	MermaidMaxEdges    = 500
	MermaidMaxTextSize = 50000
)

// Mermaid writes the graph as a Mermaid flowchart (top-down), in the
// classic syntax GitHub renders in comments and Markdown files: quoted
// labels, entity codes for the characters Mermaid would read, <br/> for line
// breaks, a class for drafts.
func Mermaid(w io.Writer, g *Graph) error {
	var b bytes.Buffer
	b.WriteString("flowchart TD\n")
	for _, gr := range g.Groups {
		fmt.Fprintf(&b, "  subgraph %s [\"%s\"]\n", gr.ID, mermaidText(gr.Title))
		// Mermaid lays out a subgraph with no edge to the outside left to
		// right unless told.
		b.WriteString("    direction TB\n")
		for _, n := range gr.Nodes {
			open, close := mermaidShape(n.Shape)
			fmt.Fprintf(&b, "    %s%s\"%s\"%s\n", n.ID, open, mermaidLabel(n), close)
		}
		for _, e := range gr.Edges {
			b.WriteString("    " + mermaidEdge(e) + "\n")
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.Edges {
		b.WriteString("  " + mermaidEdge(e) + "\n")
	}
	if drafts := draftIDs(g); len(drafts) > 0 {
		b.WriteString("  classDef draft stroke-dasharray: 5 5\n")
		fmt.Fprintf(&b, "  class %s draft\n", strings.Join(drafts, ","))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func mermaidShape(s Shape) (open, close string) {
	switch s {
	case ShapeEntry:
		return "([", "])"
	case ShapeBranch:
		return "{", "}"
	case ShapeWait:
		return "{{", "}}"
	case ShapeEnd:
		return "(((", ")))"
	case ShapeFork:
		return "[/", "/]"
	case ShapeSplit:
		return "[/", `\]`
	case ShapeSequence:
		return "[[", "]]"
	case ShapeStep:
		return "(", ")"
	}
	return "[", "]"
}

func mermaidEdge(e Edge) string {
	arrow := "-->"
	if e.Ref {
		arrow = "-.->"
	}
	if e.Label == "" {
		return e.From + " " + arrow + " " + e.To
	}
	return fmt.Sprintf("%s %s|\"%s\"| %s", e.From, arrow, mermaidText(e.Label), e.To)
}

// mermaidLabel is a node's title and lines joined by <br/>.
func mermaidLabel(n *Node) string {
	parts := []string{mermaidText(n.Title)}
	for _, l := range n.Lines {
		parts = append(parts, mermaidText(l))
	}
	return strings.Join(parts, "<br/>")
}

// mermaidText escapes text for a quoted Mermaid label. Mermaid turns
// "#name;" and "#123;" into HTML entities after parsing and inserts labels
// as HTML, so every character that is syntax to Mermaid, to HTML or to
// Markdown is written as an entity code: the quote that would end the
// label, the # that starts an entity, < > & that would be markup, the |
// that ends an edge label, the backslash and the backtick that starts a
// Markdown string; a backslash before an n is followed by a word joiner. Other characters, any Unicode, are kept (inside quotes
// brackets and parentheses are plain text). Line breaks and control
// characters become spaces (the model has split lines already).
func mermaidText(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '\\':
			b.WriteString("#92;")
			if i+1 < len(runes) && runes[i+1] == 'n' {
				// Mermaid reads \n as a line break in a label that has a
				// <br/>, even written as an entity: a word joiner (invisible)
				// keeps the backslash and the n apart.
				b.WriteString("#8288;")
			}
		case '#', '<', '>', '&', '|', '`':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n', '\r', '\t', '\u2028', '\u2029':
			b.WriteByte(' ')
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteByte(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
