package validate_test

import "testing"

// Cases of rules_channels.go: webhook-port, postcard-without-address.

func TestChannelRules(t *testing.T) { runCases(t, channelCases) }

// webhookWorkspace calls one declared webhook from a campaign and a rule,
// and an inline one from the rule, under the given account block.
func webhookWorkspace(account string) string {
	return account + `
tag "lead" {}

webhook "crm" {
  url = "https://crm.example.com:8443/hooks/journey"
}

webhook "ok" {
  url = "https://crm.example.com:443/hooks/other"
}

rule "sync" {
  when = tag_added(tag.lead)
  then {
    webhook {
      webhook = webhook.crm
    }
    webhook {
      url = "http://10.0.0.7:8080/ping"
    }
    webhook {
      webhook = webhook.ok
    }
    webhook {
      url = "http://crm.example.com/plain"
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = webhook.crm
  }

  webhook "crm" {
    webhook = webhook.crm
  }
}
`
}

var channelCases = []ruleCase{
	// webhook-port
	{
		name: "plus calls ports 80 and 443 only",
		rule: "webhook-port",
		src: webhookWorkspace(`account {
  edition = "plus"
}
`),
		want: []want{
			// Once for the declared webhook, at its URL, however many call it.
			{rule: "webhook-port", sev: E, at: `"https://crm.example.com:8443/hooks/journey"`,
				msg:     []string{`webhook "crm" calls port 8443`, "webhooks of the plus edition call ports 80 and 443 only", "fails for every contact"},
				hint:    []string{"port 443", `"enterprise"`},
				related: []string{"webhook \"crm\" {\n    webhook = webhook.crm", `edition = "plus"`}},
			{rule: "webhook-port", sev: E, at: `"http://10.0.0.7:8080/ping"`,
				msg: []string{`the webhook action of rule "sync" calls port 8080`}, hint: []string{"port 443"}},
		},
	},
	{
		name: "keap's HTTP posts too",
		rule: "webhook-port",
		src: webhookWorkspace(`account {
  edition = "keap"
}
`),
		want: []want{
			{rule: "webhook-port", sev: E, at: `"https://crm.example.com:8443/hooks/journey"`, msg: []string{"keap edition"}, hint: []string{"port 443 (https) or 80"}},
			{rule: "webhook-port", sev: E, at: `"http://10.0.0.7:8080/ping"`, msg: []string{"port 8080"}, hint: []string{"port 443 (https) or 80"}},
		},
	},
	{
		name: "enterprise and no edition call any port",
		rule: "webhook-port",
		src: webhookWorkspace(`account {
  edition = "enterprise"
}
`),
	},
	{
		name: "no edition",
		rule: "webhook-port",
		src:  webhookWorkspace(""),
	},
	{
		// edition-feature says the edition has no webhooks at all.
		name: "basic has no webhook to judge",
		rule: "webhook-port",
		src: webhookWorkspace(`account {
  edition = "basic"
}
`),
		allow: []string{"edition-feature"},
	},

	// postcard-without-address
	{
		name: "no postal address",
		rule: "postcard-without-address",
		src:  postcardWorkspace(""),
		want: []want{
			{rule: "postcard-without-address", sev: W, at: `send_postcard "thanks"`,
				msg:  []string{`send_postcard "thanks" mails postcard "thanks"`, "account.postal_address does not say which fields", "no address to mail it to"},
				hint: []string{"name the address fields in account.postal_address"}},
			{rule: "postcard-without-address", sev: W, at: `postcard = postcard.thanks
  }

  step "draft"`, msg: []string{`step "card" of sequence "cards" mails postcard "thanks"`}, hint: []string{"account.postal_address"}},
		},
		allow: []string{"draft-element"},
	},
	{
		name: "an address without its country",
		rule: "postcard-without-address",
		src: postcardWorkspace(`account {
  postal_address = [field.street, field.zip]
}
`),
		want: []want{
			{rule: "postcard-without-address", sev: W, at: `send_postcard "thanks"`,
				msg:     []string{"leaves out field.country", "US address"},
				hint:    []string{"add field.country"},
				related: []string{"postal_address = [field.street, field.zip]"}},
			{rule: "postcard-without-address", sev: W, at: `postcard = postcard.thanks
  }

  step "draft"`, msg: []string{"leaves out field.country"}, hint: []string{"add field.country"}},
		},
		allow: []string{"draft-element"},
	},
	{
		name: "an address with its country",
		rule: "postcard-without-address",
		src: postcardWorkspace(`account {
  postal_address = [field.street, field.zip, field.country]
}
`),
		allow: []string{"draft-element"},
	},
}

// postcardWorkspace mails a postcard from a campaign and from a sequence
// step, under the given account block.
func postcardWorkspace(account string) string {
	return account + `
tag "lead" {}

field "street" {
  type = string
}

field "zip" {
  type = string
}

postcard "thanks" {
  front = "Thank you!"
}

sequence "cards" {
  unsubscribe_after_last_step = true

  step "card" {
    postcard = postcard.thanks
  }

  step "draft" {
    draft    = true
    postcard = postcard.thanks
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_postcard.thanks
  }

  send_postcard "thanks" {
    postcard = postcard.thanks
    next     = add_to_sequence.cards
  }

  add_to_sequence "cards" {
    sequence = sequence.cards
  }
}
`
}
