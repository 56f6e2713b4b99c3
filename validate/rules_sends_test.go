package validate_test

import "testing"

// Cases of rules_sends.go: marketing-email-resent, back-to-back-sends,
// event-never-happens.

func TestSendRules(t *testing.T) { runCases(t, sendCases) }

// newsAssets declares a marketing email, a transactional one and an SMS.
const newsAssets = `account {
  sms_numbers = ["+15550100"]
}

tag "lead" {}
tag "customer" {}
user "sam" {}

email "news" {
  subject = "News"
  body    = "..."
}

email "receipt" {
  subject = "Your receipt"
  body    = "..."
  kind    = "transactional"
}

sms "hello" {
  body = "Hello"
}
`

var sendCases = []ruleCase{
	// marketing-email-resent
	{
		name:  "sent twice on one path",
		rule:  "marketing-email-resent",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.first
  }

  send_email "first" {
    email = email.news
    next  = wait.week
  }

  wait "week" {
    for  = "7d"
    next = send_email.again
  }

  send_email "again" {
    email = email.news
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "marketing-email-resent", sev: W, at: `send_email "again"`,
			msg:     []string{`send_email "again"`, `marketing email "news"`, `after send_email "first"`, "this send is skipped"},
			hint:    []string{`kind = "transactional"`, "remove the repeat"},
			related: []string{`send_email "first"`}}},
	},
	{
		name:  "on a loop",
		rule:  "marketing-email-resent",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.weekly
  }

  send_email "weekly" {
    email = email.news
    next  = wait.week
  }

  wait "week" {
    for  = "7d"
    next = condition.still_lead
  }

  condition "still_lead" {
    if   = has_tag(tag.lead)
    then = send_email.weekly
    else = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "marketing-email-resent", sev: W, at: `send_email "weekly"`,
			msg: []string{"on a loop", "every repeat is skipped"}, hint: []string{"transactional"}}},
	},
	{
		name:  "on two branches of a condition",
		rule:  "marketing-email-resent",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.customer
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = send_email.to_customer
    else = send_email.to_lead
  }

  send_email "to_customer" {
    email = email.news
    next  = end.done
  }

  send_email "to_lead" {
    email = email.news
    next  = end.done
  }

  end "done" {}
}
`,
	},
	{
		name:  "a transactional email resent, a copy to a user, a draft resend",
		rule:  "marketing-email-resent",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.receipt
  }

  send_email "receipt" {
    email = email.receipt
    next  = wait.day
  }

  wait "day" {
    for  = "1d"
    next = send_email.receipt_again
  }

  send_email "receipt_again" {
    email = email.receipt
    next  = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = send_email.copy
  }

  send_email "copy" {
    email = email.news
    to    = user.sam
    next  = wait.week
  }

  wait "week" {
    for  = "7d"
    next = send_email.draft
  }

  send_email "draft" {
    draft = true
    email = email.news
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "back-to-back-sends", sev: W, at: `send_email "news"`, msg: []string{"same instant"}, hint: []string{"wait"}},
			{rule: "draft-element", sev: W, at: `send_email "draft"`, msg: []string{"skip"}, hint: []string{"draft"}},
		},
	},

	// back-to-back-sends
	{
		name:  "email then SMS at once",
		rule:  "back-to-back-sends",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = send_sms.hello
  }

  send_sms "hello" {
    sms  = sms.hello
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "back-to-back-sends", sev: W, at: `send_sms "hello"`,
			msg:     []string{`send_sms "hello"`, `send_email "news"`, "same instant", "both messages together"},
			hint:    []string{"put a wait between them"},
			related: []string{`send_email "news"`}}},
	},
	{
		name:  "through a condition and a draft wait",
		rule:  "back-to-back-sends",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = wait.later
  }

  wait "later" {
    draft = true
    for   = "1d"
    next  = condition.customer
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = send_sms.hello
    else = end.done
  }

  send_sms "hello" {
    sms  = sms.hello
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "back-to-back-sends", sev: W, at: `send_sms "hello"`, msg: []string{"same instant"}, hint: []string{"wait"}},
			{rule: "draft-element", sev: W, at: `wait "later"`, msg: []string{"skip"}, hint: []string{"draft"}},
		},
	},
	{
		name:  "a wait, a decision, a notification to the team between sends",
		rule:  "back-to-back-sends",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `product "pro" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.receipt
  }

  send_email "receipt" {
    email = email.receipt
    next  = notify_email.sam
  }

  notify_email "sam" {
    to      = user.sam
    subject = "New lead"
    body    = "..."
    next    = wait.day
  }

  wait "day" {
    for  = "1d"
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = decision.bought
  }

  decision "bought" {
    on     = product_purchased(product.pro)
    within = "3d"
    yes    = end.done
    no     = send_sms.hello
  }

  send_sms "hello" {
    sms  = sms.hello
    next = end.done
  }

  end "done" {}
}
`,
	},

	// event-never-happens
	{
		name:  "decision on an email never sent",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
		want: []want{{rule: "event-never-happens", sev: E, at: `email_opened(email.news)`,
			msg:  []string{`decision "opened"`, "email_opened", `email "news"`, "no path into it sends", "only its no path can ever run"},
			hint: []string{"send email.news on the way to the decision"}}},
	},
	{
		// A split step sends one of its messages to each contact: a
		// decision on opening one of them can happen.
		name:  "the email is a path of a split step of a sequence the campaign adds to",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `sequence "offer" {
  unsubscribe_after_last_step = true

  step "pitch" {
    split {
      path {
        weight = 50
        email  = email.news
      }
      path {
        weight = 50
        sms    = sms.hello
      }
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.offer
  }

  add_to_sequence "offer" {
    sequence = sequence.offer
    next     = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
	},
	{
		name:  "decision without no, the email only sent to the team",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.copy
  }

  send_email "copy" {
    email = email.news
    to    = user.sam
    next  = decision.clicked
  }

  decision "clicked" {
    on     = link_clicked(email.news)
    within = "3d"
    yes    = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "event-never-happens", sev: E, at: `link_clicked(email.news)`,
			msg: []string{"link_clicked", "waits out within and stops there"}, hint: []string{"send email.news"}}},
	},
	{
		name:  "the email is only sent after the decision, or by a draft",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.draft
  }

  send_email "draft" {
    draft = true
    email = email.news
    next  = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "event-never-happens", sev: E, at: `email_opened(email.news)`, msg: []string{"no path into it"}, hint: []string{"send"}},
			{rule: "draft-element", sev: W, at: `send_email "draft"`, msg: []string{"skip"}, hint: []string{"draft"}},
		},
	},
	{
		name:  "sms replied to an SMS never sent",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = decision.replied
  }

  decision "replied" {
    on     = sms_replied(sms.hello)
    within = "1d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
		want: []want{{rule: "event-never-happens", sev: E, at: `sms_replied(sms.hello)`,
			msg: []string{"sms_replied", `sms "hello"`}, hint: []string{"sms.hello"}}},
	},
	{
		name:  "the email is sent on the way in",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = wait.day
  }

  wait "day" {
    for  = "1d"
    next = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
	},
	{
		name:  "the email is sent on a fork's other path",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.send_and_watch
  }

  fork "send_and_watch" {
    paths = [send_email.news, decision.opened]
  }

  send_email "news" {
    email = email.news
    next  = end.done
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
	},
	{
		name:  "contacts jump to the goal after the email",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = wait.month
  }

  wait "month" {
    for  = "30d"
    next = end.done
  }

  goal "bought" {
    on   = tag_added(tag.customer)
    next = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
	},
	{
		name:  "the email comes from the calling campaign or a sequence",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `sequence "welcome" {
  unsubscribe_after_last_step = true

  step "hello" {
    sms = sms.hello
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = add_to_campaign.follow_up
  }

  add_to_campaign "follow_up" {
    campaign = campaign.follow_up
  }
}

campaign "follow_up" {
  trigger "added" {
    on   = added_to_campaign()
    next = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = add_to_sequence.welcome
    no     = end.lost
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome
    next     = decision.replied
  }

  decision "replied" {
    on     = sms_replied(sms.hello)
    within = "1d"
    yes    = end.done
    no     = end.lost
  }

  end "done" {}
  end "lost" {}
}
`,
	},
	{
		// alpha and beta add contacts to each other; gamma sends the email
		// and adds to alpha, so every contact that reaches beta had it.
		// Judging alpha's decision first must not leave beta with a "no"
		// worked out while alpha was still being judged.
		name:  "a call cycle reached from the campaign that sends",
		rule:  "event-never-happens",
		files: map[string]string{"assets.journey.hcl": newsAssets},
		allow: []string{"unused"},
		src: `campaign "alpha" {
  trigger "added" {
    on   = added_to_campaign()
    next = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = add_to_campaign.beta
    no     = end.lost
  }

  add_to_campaign "beta" {
    campaign = campaign.beta
  }

  end "lost" {}
}

campaign "beta" {
  trigger "added" {
    on   = added_to_campaign()
    next = decision.clicked
  }

  decision "clicked" {
    on     = email_opened(email.news)
    within = "3d"
    yes    = end.done
    no     = add_to_campaign.alpha
  }

  add_to_campaign "alpha" {
    campaign = campaign.alpha
  }

  end "done" {}
}

campaign "gamma" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = add_to_campaign.alpha
  }

  add_to_campaign "alpha" {
    campaign = campaign.alpha
  }
}
`,
	},
}
