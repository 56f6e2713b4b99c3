package graph

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Dot writes the graph in Graphviz's dot language: a cluster per campaign
// and sequence, HTML-like node labels (the title in bold), quoted IDs and
// strings.
func Dot(w io.Writer, g *Graph) error {
	var b bytes.Buffer
	b.WriteString("digraph journey {\n")
	b.WriteString("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=13, nodesep=0.35, ranksep=0.45];\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=11, style=\"filled\", fillcolor=\"#ffffff\", color=\"#444444\", margin=\"0.12,0.06\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10, color=\"#555555\"];\n")
	for _, gr := range g.Groups {
		fmt.Fprintf(&b, "  subgraph %s {\n", dotID("cluster_"+gr.ID))
		fmt.Fprintf(&b, "    label=%s;\n", dotString(gr.Title))
		b.WriteString("    style=\"rounded\"; color=\"#999999\"; labeljust=\"l\";\n")
		for _, n := range gr.Nodes {
			fmt.Fprintf(&b, "    %s [%s, label=<%s>];\n", dotID(n.ID), dotAttrs(n), dotLabel(n))
		}
		for _, e := range gr.Edges {
			b.WriteString("    " + dotEdge(e) + "\n")
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		b.WriteString("  " + dotEdge(e) + "\n")
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// dotAttrs are a node's shape, style and fill.
func dotAttrs(n *Node) string {
	var shape, fill string
	style := []string{"filled"}
	switch n.Shape {
	case ShapeEntry:
		shape, fill = "box", "#d9f2d9"
		style = append(style, "rounded")
	case ShapeBranch:
		shape, fill = "diamond", "#fff4cc"
	case ShapeWait:
		shape, fill = "hexagon", "#dcecfb"
	case ShapeEnd:
		shape, fill = "doubleoctagon", "#e6e6e6"
	case ShapeFork:
		shape, fill = "parallelogram", "#eee6f7"
	case ShapeSplit:
		shape, fill = "trapezium", "#eee6f7"
	case ShapeSequence:
		shape, fill = "box", "#fde9d9"
	case ShapeStep:
		shape, fill = "note", "#fffaf2"
	default:
		shape, fill = "box", "#ffffff"
	}
	if n.Draft {
		style = append(style, "dashed")
	}
	attrs := fmt.Sprintf("shape=%s, style=%s, fillcolor=%s", shape, dotString(strings.Join(style, ",")), dotString(fill))
	if n.Shape == ShapeSequence {
		attrs += ", peripheries=2"
	}
	return attrs
}

func dotEdge(e Edge) string {
	var attrs []string
	if e.Label != "" {
		attrs = append(attrs, "label="+dotString(" "+e.Label+" "))
	}
	if e.Ref {
		attrs = append(attrs, "style=dotted")
	}
	s := dotID(e.From) + " -> " + dotID(e.To)
	if len(attrs) > 0 {
		s += " [" + strings.Join(attrs, ", ") + "]"
	}
	return s + ";"
}

// dotLabel is a node's HTML-like label: the title in bold, then the lines.
func dotLabel(n *Node) string {
	var b strings.Builder
	b.WriteString("<B>" + dotHTML(n.Title) + "</B>")
	for _, l := range n.Lines {
		b.WriteString("<BR/>" + dotHTML(l))
	}
	return b.String()
}

// dotHTML escapes text for an HTML-like label: the XML specials as
// entities, backslashes doubled, control characters as spaces. Everything else,
// any Unicode, is literal there.
func dotHTML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		case '\\':
			// Graphviz reads \\ as one backslash even in HTML-like labels
			// (after decoding entities): every backslash is doubled.
			b.WriteString(`\\`)
		default:
			if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
				b.WriteByte(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dotString is a double-quoted dot string for a cluster or edge label.
// Graphviz reads backslash escapes in labels (\n, \l, \N...) and HTML
// entities (&amp;), so backslashes are doubled, quotes escaped and & written
// as &amp;.
func dotString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '&':
			b.WriteString("&amp;")
		default:
			if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
				b.WriteByte(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// dotID quotes an ID (IDs are [A-Za-z0-9_] already; quoting keeps a
// keyword such as "node" or "edge" from being read as one).
func dotID(id string) string { return dotString(id) }
