package kindsgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/journeyhq/journey/lang/kinds"
)

// The parts of compiler/plan/settings_gen.go the runtime reads instead of
// lists of its own, since it does not import lang/kinds: the channels, what
// each sending action sends, each kind's references and the events.

// channels writes Channels and AllChannels, and each sending action's
// Channel and SentMessage.
func (g *goWriter) channels() {
	var names []string
	for _, c := range kinds.Channels() {
		names = append(names, strconv.Quote(c.Name))
	}
	g.line("")
	g.line("// Channels are the channels messages reach the contact on, each named")
	g.line("// after the kind of asset its messages are; do_not_contact stops one.")
	g.line("func Channels() []string { return []string{%s} }", strings.Join(names, ", "))
	g.line("")
	g.line("// AllChannels is the do-not-contact flag that stops every channel.")
	g.line("const AllChannels = %q", kinds.AllChannels)
	for _, k := range kinds.Actions() {
		if k.SendsOn == "" {
			continue
		}
		name := goName(k.Name)
		g.line("")
		g.line("// Channel is %q, the channel the action sends on.", k.SendsOn)
		g.line("func (*%s) Channel() string { return %q }", name, k.SendsOn)
		if m := k.Message(); m != nil {
			g.line("")
			g.line("// SentMessage is the %s the action sends: its channel and name (\"\"", k.SendsOn)
			g.line("// when it names none).")
			g.line("func (s *%s) SentMessage() (channel, name string) { return %q, s.%s }", name, k.SendsOn, goName(m.Name))
		}
	}
}

// refSettings writes refSettings, the settings of each element kind that
// name one declaration of one kind, in table order.
func (g *goWriter) refSettings() {
	g.line("")
	g.line("// refSettings are the settings of an element kind that name one")
	g.line("// declaration (an email, a campaign, a list...), in table order.")
	g.line("func refSettings(kind string) []string {")
	g.line("\tswitch kind {")
	for _, k := range kinds.Elements() {
		var refs []string
		for _, s := range k.PlanSettings() {
			if s.Attr != nil && s.Attr.Type == kinds.Ref && len(s.Attr.Targets) == 1 {
				refs = append(refs, strconv.Quote(s.Name))
			}
		}
		if len(refs) > 0 {
			g.line("\tcase %q:", k.Name)
			g.line("\t\treturn []string{%s}", strings.Join(refs, ", "))
		}
	}
	g.line("\t}")
	g.line("\treturn nil")
	g.line("}")
}

// eventKinds writes EventKinds, the events the runtime takes from outside
// with the arguments that say what each is about, and LookupEvent, which
// the engine asks for every event it routes, as a switch.
func (g *goWriter) eventKinds() error {
	var literals []string
	for _, e := range kinds.Events() {
		var params []string
		for _, p := range e.Params {
			fields := []string{"Name: " + strconv.Quote(p.Name)}
			if p.Required {
				fields = append(fields, "Required: true")
			}
			if p.Type == kinds.Ref {
				if len(p.Targets) != 1 {
					return fmt.Errorf("event %s: the argument %s may name %d kinds of declaration; EventParam.Declared holds one", e.Name, p.Name, len(p.Targets))
				}
				fields = append(fields, "Declared: "+strconv.Quote(p.Targets[0]))
			}
			if p.Type == kinds.URLPattern {
				fields = append(fields, "Pattern: true")
			}
			params = append(params, "{"+strings.Join(fields, ", ")+"}")
		}
		parts := []string{fmt.Sprintf("Name: %q", e.Name)}
		if len(params) > 0 {
			parts = append(parts, fmt.Sprintf("Params: []EventParam{%s}", strings.Join(params, ", ")))
		}
		if e.RaisedByJourney {
			parts = append(parts, "RaisedByJourney: true")
		}
		var props []string
		for _, p := range e.Properties {
			props = append(props, fmt.Sprintf("{Name: %q, Type: %q}", p.Name, p.Type))
		}
		if len(props) > 0 {
			parts = append(parts, fmt.Sprintf("Properties: []EventProperty{%s}", strings.Join(props, ", ")))
		}
		literals = append(literals, "{"+strings.Join(parts, ", ")+"}")
	}
	g.line("")
	g.line("// EventKinds lists the events in the language's order.")
	g.line("func EventKinds() []EventKind {")
	g.line("\treturn []EventKind{")
	for _, l := range literals {
		g.line("\t\t%s,", l)
	}
	g.line("\t}")
	g.line("}")
	g.line("")
	g.line("// LookupEvent returns the event kind by name.")
	g.line("func LookupEvent(name string) (EventKind, bool) {")
	g.line("\tswitch name {")
	for i, e := range kinds.Events() {
		g.line("\tcase %q:", e.Name)
		g.line("\t\treturn EventKind%s, true", literals[i])
	}
	g.line("\t}")
	g.line("\treturn EventKind{}, false")
	g.line("}")
	return nil
}
