package validate

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about what a channel needs of the account and the contact: the
// port a webhook calls, a postcard's postal address.

func webhookPort() Rule {
	return Rule{
		Name: "webhook-port", Severity: Error,
		Summary: "a webhook calls a port other than 80 or 443, which the declared account.edition does not allow",
		Check: func(p *Pass) {
			edition := kinds.LookupEdition(p.Program.Account.Edition)
			if edition == nil || edition.AnyPort {
				return
			}
			reported := map[*lang.Block]bool{}
			for _, b := range p.facts.actions {
				if b.Type != "webhook" || !kinds.EditionHas(edition.Name, b.Kind.Edition) {
					continue // edition-feature reports a webhook the edition lacks
				}
				site, what := b, describeAction(b)
				if declared := p.Program.Target(b, "webhook"); declared != nil {
					if reported[declared] {
						continue
					}
					reported[declared] = true
					site, what = declared, lang.Describe(declared)
				}
				at := site.Attr("url")
				raw, ok := site.String("url")
				if at == nil || !ok {
					continue
				}
				u, err := url.Parse(raw)
				if err != nil || u.Port() == "" || u.Port() == "80" || u.Port() == "443" {
					continue
				}
				var related []Related
				if site != b {
					related = append(related, Related{Message: "called here", Range: b.DefRange})
				}
				related = append(related, Related{Message: "the account's edition", Range: p.Program.Account.Block.Attr("edition").Range()})
				hint := `serve the endpoint on port 443 (https) or 80, or set account.edition to "enterprise"`
				if edition.Tier == "enterprise" {
					hint = "serve the endpoint on port 443 (https) or 80"
				}
				p.Report(at.ValueRange,
					fmt.Sprintf("%s calls port %s, but the webhooks of the %s edition call ports 80 and 443 only: the call fails for every contact that reaches it", what, u.Port(), edition.Name),
					hint, related...)
			}
		},
	}
}

func postcardWithoutAddress() Rule {
	return Rule{
		Name: "postcard-without-address", Severity: Warning,
		Summary: "a postcard is mailed, but account.postal_address does not name the contact's address fields, or leaves out its country",
		Check: func(p *Pass) {
			lines := p.Program.PostalAddress()
			var why, hint string
			var related []Related
			switch {
			case len(lines) == 0:
				why = "account.postal_address does not say which fields hold the contact's postal address: the printer has no address to mail it to"
				hint = "name the address fields in account.postal_address, e.g. [field.street, field.city, field.state, field.zip, field.country]"
			case !slices.Contains(lines, "country"):
				why = "account.postal_address leaves out field.country: the printer cannot tell a US address (the only ones Ontraport's postcards go to) from any other"
				hint = "add field.country (a built-in field) to account.postal_address"
				related = []Related{{Message: "the postal address", Range: p.Program.Account.Block.Attr("postal_address").Range()}}
			default:
				return
			}
			report := func(at hcl.Range, what string) {
				p.Report(at, fmt.Sprintf("%s, but %s", what, why), hint, related...)
			}
			for _, b := range p.facts.actions {
				if card := p.Program.Target(b, "postcard"); b.Type == "send_postcard" && card != nil {
					report(b.DefRange, fmt.Sprintf("%s mails %s", describeAction(b), lang.Describe(card)))
				}
			}
			for _, st := range p.facts.contentSteps {
				if st.Action.Name == "send_postcard" && st.Target != nil {
					report(st.Block.Attr(st.Content).Range(), fmt.Sprintf("step %q of sequence %q mails %s", st.Name, st.Sequence.Name, lang.Describe(st.Target)))
				}
			}
		},
	}
}
