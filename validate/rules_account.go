package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about what the account allows: senders, SMS numbers, the edition,
// read-only fields.

func readOnlyField() Rule {
	return Rule{
		Name: "read-only-field", Severity: Error,
		Summary: "update_contact sets a field declared read_only",
		Check: func(p *Pass) {
			for _, b := range p.facts.actions {
				if b.Type != "update_contact" {
					continue
				}
				set := b.Attr("set")
				if set == nil {
					continue // schema reports the missing set
				}
				m, ok := set.Value.(*lang.Map)
				if !ok {
					continue
				}
				for _, e := range m.Entries {
					f := p.Program.Fields[e.Key]
					if f == nil || !f.ReadOnly {
						continue
					}
					var related []Related
					hint := fmt.Sprintf("remove %s from set", e.Key)
					if f.Block != nil && !f.Builtin {
						related = []Related{{Message: "declared read_only here", Range: f.Block.DefRange}}
						hint += ", or drop read_only from the field"
					}
					p.Report(e.KeyRange,
						fmt.Sprintf("%s sets %s, a read-only field: the update fails for every contact", describeAction(b), e.Key),
						hint, related...)
				}
			}
		},
	}
}

func unknownSender() Rule {
	return Rule{
		Name: "unknown-sender", Severity: Error,
		Summary: "an email's from is not among account.senders (when senders are declared)",
		Check: func(p *Pass) {
			senders := p.Program.Account.Senders
			if len(senders) == 0 {
				return
			}
			for _, b := range p.Program.Workspace.Of("email") {
				s, ok := b.String("from")
				if !ok {
					continue
				}
				addr, err := compiler.ParseEmail(s)
				if err != nil || slices.Contains(senders, addr) {
					continue
				}
				p.Report(b.Attr("from").ValueRange,
					fmt.Sprintf("email %q is sent from %s, which is not among account.senders: the provider refuses it or files it as spam", b.Name, addr),
					fmt.Sprintf("send from %s, or add %s to account.senders", strings.Join(senders, " or "), addr),
					Related{Message: "the allowed senders", Range: p.Program.Account.Block.Attr("senders").Range()})
			}
		},
	}
}

func smsWithoutNumber() Rule {
	return Rule{
		Name: "sms-without-number", Severity: Error,
		Summary: "an SMS is sent and neither the sms nor the account has a from-number",
		Check: func(p *Pass) {
			// A site sends a text on a channel whose messages go from a
			// number: the message's own from, else the first of the
			// account's numbers (Channel.Numbers).
			numbers := func(k *kinds.Kind) string {
				if c := kinds.LookupDeclaration(k.SendsOn); c != nil && c.Channel != nil {
					return c.Channel.Numbers
				}
				return ""
			}
			report := func(at hcl.Range, where string, action *kinds.Kind, msg *lang.Block) {
				account := numbers(action)
				if account == "" || len(accountStrings(p.Program, account)) > 0 || msg != nil && msg.Has("from") {
					return
				}
				what := action.Name
				var related []Related
				hint := "set account." + account
				if msg != nil {
					what = lang.Describe(msg)
					related = []Related{{Message: "the text message", Range: msg.DefRange}}
					hint = fmt.Sprintf("set from on %s, or set account.%s", lang.Describe(msg), account)
				}
				p.Report(at,
					fmt.Sprintf("%s sends %s, but no number to send it from is declared: the text is never sent", where, what),
					hint, related...)
			}
			for _, b := range p.facts.actions {
				if b.Kind == nil || b.Kind.SendsOn == "" {
					continue
				}
				m := b.Kind.Message()
				if m == nil {
					report(b.DefRange, describeAction(b), b.Kind, nil)
				} else if msg := p.Program.Target(b, m.Name); msg != nil {
					report(b.DefRange, describeAction(b), b.Kind, msg)
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range liveSteps(s) {
					if action, _ := kinds.StepAction(st.Content); action != nil && st.Target != nil {
						report(st.Block.DefRange, fmt.Sprintf("step %q of sequence %q", st.Name, s.Name), action, st.Target)
					}
					for i, path := range st.Paths {
						if action, _ := kinds.StepAction(path.Content); action != nil && path.Target != nil {
							report(path.Block.Attr(path.Content).Range(),
								fmt.Sprintf("path %d of the split of step %q in sequence %q", i+1, st.Name, s.Name), action, path.Target)
						}
					}
				}
			}
		},
	}
}

// accountStrings are the account's list of strings of that name
// (sms_numbers), empty without an account.
func accountStrings(p *compiler.Program, name string) []string {
	if p.Account.Block == nil {
		return nil
	}
	var out []string
	for _, lit := range p.Account.Block.Strings(name) {
		out = append(out, lit.Val.AsString())
	}
	return out
}

func editionFeature() Rule {
	return Rule{
		Name: "edition-feature", Severity: Error,
		Summary: "an action the declared account.edition does not have",
		Check: func(p *Pass) {
			edition := p.Program.Account.Edition
			if kinds.LookupEdition(edition) == nil {
				return
			}
			related := Related{Message: "the account's edition", Range: p.Program.Account.Block.Attr("edition").Range()}
			for _, b := range p.facts.actions {
				if b.Kind == nil || kinds.EditionHas(edition, b.Kind.Edition) {
					continue
				}
				p.Report(b.DefRange,
					fmt.Sprintf("%s is not in the %s edition: the action fails for every contact that reaches it", describeAction(b), edition),
					fmt.Sprintf("remove the action, or set account.edition to %q or higher", b.Kind.Edition),
					related)
			}
			for _, st := range p.facts.contentSteps {
				if st.Target == nil || kinds.EditionHas(edition, st.Action.Edition) {
					continue
				}
				p.Report(st.Block.Attr(st.Content).Range(),
					fmt.Sprintf("step %q of sequence %q does %s (%s = %s.%s), which is not in the %s edition: the step fails for every contact that reaches it",
						st.Name, st.Sequence.Name, st.Action.Name, st.Content, st.Target.Type, st.Target.Name, edition),
					fmt.Sprintf("remove the step, or set account.edition to %q or higher", st.Action.Edition),
					related)
			}
		},
	}
}

func editionProtectedField() Rule {
	return Rule{
		Name: "edition-protected-field", Severity: Error,
		Summary: "update_contact sets a field the declared account.edition's automation may not update (keap: the name, phone, main email and postal address)",
		Check: func(p *Pass) {
			edition := kinds.LookupEdition(p.Program.Account.Edition)
			if edition == nil {
				return
			}
			protected := slices.Clone(edition.Protected)
			if edition.ProtectsPostalAddress {
				protected = append(protected, p.Program.PostalAddress()...)
			}
			if len(protected) == 0 {
				return
			}
			related := Related{Message: "the account's edition", Range: p.Program.Account.Block.Attr("edition").Range()}
			for _, b := range p.facts.actions {
				set := b.Attr("set")
				if b.Type != "update_contact" || set == nil {
					continue
				}
				m, ok := set.Value.(*lang.Map)
				if !ok {
					continue // schema reports a set that is no map
				}
				for _, e := range m.Entries {
					if !slices.Contains(protected, e.Key) {
						continue
					}
					p.Report(e.KeyRange,
						fmt.Sprintf("%s sets %s, which the automation of a %s account may not update (its timers may not change the contact's name, phone, main email or postal address): the update fails for every contact",
							describeAction(b), e.Key, edition.Name),
						fmt.Sprintf("remove %s from set, and let the contact or your team change it (a form, the API)", e.Key),
						related)
				}
			}
		},
	}
}
