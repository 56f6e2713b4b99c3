package validate

import (
	"fmt"
	"slices"
	"strings"

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
			if len(p.Program.Account.SMSNumbers) > 0 {
				return
			}
			report := func(site *lang.Block, sms *lang.Block) {
				if sms != nil && sms.Has("from") {
					return
				}
				what := "notify_sms"
				var related []Related
				hint := "set account.sms_numbers"
				if sms != nil {
					what = fmt.Sprintf("sms %q", sms.Name)
					related = []Related{{Message: "the text message", Range: sms.DefRange}}
					hint = fmt.Sprintf("set from on sms %q, or set account.sms_numbers", sms.Name)
				}
				where := describeAction(site)
				if site.Type == "step" && site.Parent != nil {
					where = fmt.Sprintf("step %q of sequence %q", site.Name, site.Parent.Name)
				}
				p.Report(site.DefRange,
					fmt.Sprintf("%s sends %s, but no number to send it from is declared: the text is never sent", where, what),
					hint, related...)
			}
			for _, b := range p.facts.actions {
				switch b.Type {
				case "send_sms":
					if sms := p.Program.Target(b, "sms"); sms != nil {
						report(b, sms)
					}
				case "notify_sms":
					report(b, nil)
				}
			}
			for _, s := range p.Program.Sequences {
				for _, st := range s.Steps {
					if !st.Draft && st.Content == "sms" && st.Target != nil {
						report(st.Block, st.Target)
					}
				}
			}
		},
	}
}

func editionFeature() Rule {
	return Rule{
		Name: "edition-feature", Severity: Error,
		Summary: "an action the declared account.edition does not have",
		Check: func(p *Pass) {
			edition := p.Program.Account.Edition
			for _, b := range p.facts.actions {
				if b.Kind == nil || kinds.EditionHas(edition, b.Kind.Edition) {
					continue
				}
				p.Report(b.DefRange,
					fmt.Sprintf("%s is not in the %s edition: the action fails for every contact that reaches it", describeAction(b), edition),
					fmt.Sprintf("remove the action, or set account.edition to %q or higher", b.Kind.Edition),
					Related{Message: "the account's edition", Range: p.Program.Account.Block.Attr("edition").Range()})
			}
		},
	}
}
