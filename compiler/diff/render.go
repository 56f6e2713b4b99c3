package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fatih/color"

	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang/kinds"
)

// line is one printed line of a change list. sym is the symbol printed
// before body in text ("" for attribute lines); mark is the character a
// markdown diff fence colours the line by.
type line struct {
	mark, indent, sym, body string
}

func (l line) text() string {
	if l.sym == "" {
		return l.indent + l.body
	}
	return l.indent + l.sym + " " + l.body
}

func symbol(op string) string {
	switch op {
	case Create:
		return "+"
	case Delete:
		return "-"
	}
	return "~"
}

func describe(typ, name string) string {
	if typ == "account" {
		return "account"
	}
	return fmt.Sprintf("%s %q", typ, name)
}

// lines lays out every change: blocks, their attributes and children.
func (c *Changes) lines() []line {
	var out []line
	for i, ch := range c.Changes {
		if i > 0 {
			out = append(out, line{mark: " "})
		}
		out = appendChange(out, ch, "  ", c.RecomputeWaits)
	}
	return out
}

func appendChange(out []line, ch Change, indent string, recomputed bool) []line {
	head := describe(ch.Type, ch.Name)
	if ch.Op == Move {
		oldType := ch.OldType
		if oldType == "" {
			oldType = ch.Type
		}
		head += fmt.Sprintf(" (moved from %s)", describe(oldType, ch.OldName))
	}
	note := contactNote(ch, recomputed)
	attrs := ch.Attrs
	if len(attrs) == 1 && len(attrs[0].Lines) == 0 && len(ch.Children) == 0 {
		head += inlineAttr(attrs[0])
		attrs = nil
	}
	if ch.Op == Create && indent != "  " {
		note = "(new)"
		switch r := ch.Reach; {
		case r == nil:
		case r.Contacts == 0:
			note = "(new: no contact will get it)"
		case r.First == "":
			note = fmt.Sprintf("(new: %s will get it)", contacts(r.Contacts))
		default:
			note = fmt.Sprintf("(new: %s will get it, the first at %s)", contacts(r.Contacts), r.First)
		}
	}
	if note != "" {
		head = padTo(head, 48-len(indent)) + " " + note
	}
	sym := symbol(ch.Op)
	out = append(out, line{mark: sym, indent: indent, sym: sym, body: head})
	for _, a := range attrs {
		if len(a.Lines) > 0 {
			out = append(out, line{mark: "~", indent: indent + "    ", body: a.Name + ":"})
			for _, l := range a.Lines {
				out = append(out, line{mark: l.Op, indent: indent + "      ", sym: l.Op, body: l.Text})
			}
			continue
		}
		out = append(out, line{mark: "~", indent: indent + "    ", body: strings.TrimPrefix(inlineAttr(a), "  ")})
	}
	for _, child := range ch.Children {
		out = appendChange(out, child, indent+"    ", recomputed)
	}
	return out
}

func inlineAttr(a Attr) string {
	before, after := orNone(a.Before), orNone(a.After)
	if a.Edge {
		return fmt.Sprintf(".%s: %s -> %s", a.Name, before, after)
	}
	if a.Before == "" {
		return fmt.Sprintf("  %s: %s", a.Name, after)
	}
	return fmt.Sprintf("  %s: %s -> %s", a.Name, before, after)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func padTo(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// contactNote says what a change does to the contacts on an element, when
// the plan was made against a running instance.
func contactNote(ch Change, recomputed bool) string {
	if ch.Contacts == nil {
		return ""
	}
	n := *ch.Contacts
	switch {
	case ch.Op == Delete && ch.DrainTo != "" && n > 0:
		return fmt.Sprintf("(%s here: drained to %s)", contacts(n), ch.DrainTo)
	case ch.Op == Delete:
		return fmt.Sprintf("(%s here)", contacts(n))
	case ch.Op == Move:
		return fmt.Sprintf("(%s move with it)", contacts(n))
	}
	for _, a := range ch.Attrs {
		if isTimerAttr(a.Name) && n > 0 {
			if recomputed {
				return fmt.Sprintf("(%s waiting: their due times are recomputed)", contacts(n))
			}
			return fmt.Sprintf("(%s waiting: their due times are kept)", contacts(n))
		}
	}
	if n > 0 {
		return fmt.Sprintf("(%s here)", contacts(n))
	}
	return ""
}

func isTimerAttr(name string) bool {
	switch name {
	case "for", "at", "on_days", "between", "until", "until_field", "until_event", "offset", "annual", "time_zone", "within":
		return true
	}
	return false
}

func contacts(n int) string { return words.Count(n, "contact") }

// Headline says what the plan changes: "journey will change 2 campaigns and
// 1 email:".
func (c *Changes) Headline() string {
	if c.Empty() {
		return "No changes: the workspace matches the plan it was compared with."
	}
	byType := map[string]int{}
	for _, ch := range c.Changes {
		byType[ch.Type]++
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool {
		if (types[i] == "campaign") != (types[j] == "campaign") {
			return types[i] == "campaign"
		}
		return types[i] < types[j]
	})
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = countOf(byType[t], t)
	}
	return "journey will change " + words.JoinAnd(parts) + ":"
}

// countOf counts changes of one type of block: "2 emails", "1 fulfillment
// list", "2 sms" (the table's plural); a declaration without a name (the
// account) is one of its kind.
func countOf(n int, typ string) string {
	k := kinds.LookupDeclaration(typ)
	switch {
	case k == nil:
		return words.Count(n, strings.ReplaceAll(typ, "_", " "))
	case len(k.Labels) == 0:
		return words.CountForms(n, k.Noun(), k.Noun())
	}
	return words.CountForms(n, k.Noun(), k.PluralNoun())
}

// Footer is the closing count line.
func (c *Changes) Footer() string {
	return fmt.Sprintf("Plan: %d to add, %d to change, %d to remove.", c.Summary.Add, c.Summary.Change, c.Summary.Remove)
}

// Text renders the changes for a terminal.
func Text(c *Changes, useColor bool) string {
	var b strings.Builder
	b.WriteString(c.Headline() + "\n")
	if c.Empty() {
		return b.String()
	}
	b.WriteString("\n")
	paint := map[string]*color.Color{"+": color.New(color.FgGreen), "-": color.New(color.FgRed), "~": color.New(color.FgYellow)}
	for _, p := range paint {
		if useColor {
			p.EnableColor()
		} else {
			p.DisableColor()
		}
	}
	for _, l := range c.lines() {
		text := strings.TrimRight(l.text(), " ")
		if p, ok := paint[l.mark]; ok && strings.TrimSpace(text) != "" {
			b.WriteString(p.Sprint(text) + "\n")
		} else {
			b.WriteString(text + "\n")
		}
	}
	b.WriteString("\n" + c.Footer() + "\n")
	return b.String()
}
