package kindsgen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/journeyhq/journey/lang/kinds"
)

// languageSections are the generated sections of docs/language.md, each
// between two marker lines; the rest of the page is written by hand.
func languageSections() []languageSection {
	return []languageSection{
		// A sequence step's attributes, among them one for each action a
		// step may do.
		{"step attributes", func(b *bytes.Buffer) {
			b.WriteString("\n")
			writeAttrTable(b, kinds.LookupDeclaration("sequence").Block("step").Attrs)
		}},
		// The action reference: a section for each action.
		{"actions", func(b *bytes.Buffer) {
			b.WriteString("\n")
			for _, k := range kinds.Actions() {
				writeKindDoc(b, k)
			}
		}},
	}
}

type languageSection struct {
	name  string
	write func(b *bytes.Buffer)
}

func sectionBegin(name string) string {
	return "<!-- BEGIN GENERATED " + name + ": go generate ./... writes this section from lang/kinds; edit the table, not this text. -->"
}

func sectionEnd(name string) string { return "<!-- END GENERATED " + name + " -->" }

// LanguageDoc is docs/language.md (src) with its generated sections (the
// action reference, a sequence step's attributes) rewritten from the
// table.
func LanguageDoc(src []byte) ([]byte, error) {
	for _, sec := range languageSections() {
		begin, end := sectionBegin(sec.name), sectionEnd(sec.name)
		from := bytes.Index(src, []byte(begin+"\n"))
		to := bytes.Index(src, []byte(end+"\n"))
		if from < 0 || to < from {
			return nil, fmt.Errorf("no generated section: the lines %q and %q, in this order, mark where the %s go", begin, end, sec.name)
		}
		var b bytes.Buffer
		b.Write(src[:from+len(begin)+1])
		sec.write(&b)
		b.Write(src[to:])
		src = b.Bytes()
	}
	return src, nil
}

// writeKindDoc writes a kind's section: what it does, the rules around it,
// its attributes and nested blocks, its example.
func writeKindDoc(b *bytes.Buffer, k *kinds.Kind) {
	fmt.Fprintf(b, "### `%s`\n\n%s\n\n", k.Name, k.Doc)
	if k.Notes != "" {
		fmt.Fprintf(b, "%s\n\n", k.Notes)
	}
	var constraints []string
	if k.Edition != "" {
		constraints = append(constraints, fmt.Sprintf("Needs `account.edition` = `%q` or higher.", k.Edition))
	}
	for _, g := range k.Groups {
		constraints = append(constraints, groupSentence(g))
	}
	if len(constraints) > 0 {
		fmt.Fprintf(b, "%s\n\n", strings.Join(constraints, " "))
	}
	writeAttrTable(b, k.Attrs)
	for _, nb := range k.Blocks {
		writeBlockDoc(b, "####", k.Name, &nb)
	}
	if k.Example != "" {
		fmt.Fprintf(b, "```hcl\n%s\n```\n\n", k.Example)
	}
}

func writeBlockDoc(b *bytes.Buffer, level, owner string, nb *kinds.Block) {
	fmt.Fprintf(b, "%s `%s` block (in `%s`)\n\n%s (%s).\n\n", level, nb.Name, owner, capitalize(nb.Doc), multiplicity(nb))
	for _, g := range nb.Groups {
		fmt.Fprintf(b, "%s\n\n", groupSentence(g))
	}
	if nb.Actions {
		b.WriteString("Its body holds unlabeled [action blocks](#actions-in-rules), run in order.\n\n")
	}
	if len(nb.Attrs) > 0 {
		writeAttrTable(b, nb.Attrs)
	}
	for _, inner := range nb.Blocks {
		writeBlockDoc(b, level+"#", nb.Name, &inner)
	}
}

func writeAttrTable(b *bytes.Buffer, attrs []kinds.Attr) {
	b.WriteString("| attribute | type | default | meaning |\n|---|---|---|---|\n")
	for _, a := range attrs {
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", a.Name, typeDoc(&a), defaultDoc(&a), a.Doc)
	}
	b.WriteString("\n")
}

// multiplicity says how many of a nested block a body takes.
func multiplicity(nb *kinds.Block) string {
	var how string
	switch {
	case nb.Repeated && nb.Required:
		how = "one or more"
	case nb.Repeated:
		how = "any number"
	case nb.Required:
		how = "exactly one"
	default:
		how = "optional, at most one"
	}
	if len(nb.Labels) == 1 {
		how = "one label, its " + nb.Labels[0] + ", " + how
	}
	return how
}

func groupSentence(g kinds.Group) string {
	names := make([]string, len(g.Attrs))
	for i, a := range g.Attrs {
		names[i] = "`" + a + "`"
	}
	list := joinWith(names, "or")
	switch g.Rule {
	case kinds.AtMostOne:
		return "At most one of " + list + " may be set."
	case kinds.AtLeastOne:
		return "At least one of " + list + " must be set."
	case kinds.Together:
		return joinWith(names, "and") + " are set together or not at all."
	}
	return "Exactly one of " + list + " must be set."
}

// joinWith joins words as a sentence does: "a, b or c".
func joinWith(words []string, last string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + last + " " + words[len(words)-1]
}

func defaultDoc(a *kinds.Attr) string {
	switch {
	case a.Required:
		return "required"
	case a.Default == "":
		return ""
	case a.Type == kinds.Bool || a.Type == kinds.Number:
		return "`" + a.Default + "`"
	}
	return "`\"" + a.Default + "\"`"
}

// typeDoc is how the reference names an attribute type, with a link to
// where the language page explains it.
func typeDoc(a *kinds.Attr) string {
	switch a.Type {
	case kinds.String:
		return "string"
	case kinds.Template:
		return "[template](#templates)"
	case kinds.Number:
		return "number"
	case kinds.Bool:
		return "bool"
	case kinds.Duration:
		return "[duration](#durations)"
	case kinds.TimeOfDay:
		return "[time of day](#times-of-day)"
	case kinds.Weekdays:
		return "[weekdays](#weekdays)"
	case kinds.Window:
		return "[window](#windows)"
	case kinds.DateTime:
		return "[date or date-time](#dates)"
	case kinds.Date:
		return "[date](#dates)"
	case kinds.TimeZone:
		return "[timer zone](#time-zones)"
	case kinds.Zone:
		return "[IANA zone](#time-zones)"
	case kinds.Email:
		return "e-mail address"
	case kinds.URL:
		return "URL"
	case kinds.Enum:
		values := make([]string, len(a.Values))
		for i, v := range a.Values {
			values[i] = "`\"" + v + "\"`"
		}
		return "one of " + strings.Join(values, ", ")
	case kinds.StringList:
		return "list of strings"
	case kinds.EmailList:
		return "list of e-mail addresses"
	case kinds.NumberList:
		return "list of numbers"
	case kinds.StringMap:
		return "map of strings"
	case kinds.Ref:
		return refsDoc(a.Targets)
	case kinds.RefList:
		return "list of " + refsDoc(a.Targets)
	case kinds.RefOrString:
		if a.Owner {
			return refsDoc(a.Targets) + ", `" + kinds.OwnerWord + "` or a string"
		}
		return refsDoc(a.Targets) + " or a string"
	case kinds.Next:
		return "[element reference](#references)"
	case kinds.NextList:
		return "list of [element references](#references)"
	case kinds.Event:
		return "[event](#events)"
	case kinds.EventProperty:
		return "`event.NAME`, a [property](#event-properties)"
	case kinds.URLPattern:
		return "[URL pattern](#page-visits)"
	case kinds.Condition:
		return "[condition](#expressions)"
	case kinds.FieldValues:
		return "map of field = value or [expression](#expressions)"
	case kinds.FieldType:
		return "[type keyword](#field)"
	case kinds.Reentry:
		return "[reentry](#campaign)"
	case kinds.Address:
		return "[address](#moved)"
	case kinds.RuleNames:
		return "list of [rule names](rules.md)"
	}
	return "any literal"
}

func refsDoc(targets []string) string {
	refs := make([]string, len(targets))
	for i, t := range targets {
		refs[i] = "`" + t + ".NAME`"
	}
	return joinWith(refs, "or")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
