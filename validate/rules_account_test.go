package validate_test

import "testing"

// Cases of rules_account.go: read-only-field, unknown-sender,
// sms-without-number, edition-feature, edition-protected-field.

func TestAccountRules(t *testing.T) { runCases(t, accountCases) }

var accountCases = []ruleCase{
	// read-only-field
	{
		name: "update_contact sets a declared read-only field",
		rule: "read-only-field",
		src: `tag "lead" {}

field "crm_id" {
  type      = string
  read_only = true
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = update_contact.ids
  }

  update_contact "ids" {
    set  = { crm_id = "x", stage = "lead" }
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "read-only-field", sev: E, at: `crm_id = "x"`,
			msg:     []string{`update_contact "ids"`, "crm_id", "read-only", "fails for every contact"},
			hint:    []string{"remove crm_id from set", "drop read_only"},
			related: []string{`field "crm_id"`}}},
	},
	{
		name: "a rule sets a built-in read-only field",
		rule: "read-only-field",
		src: `tag "lead" {}

rule "stamp" {
  when = tag_added(tag.lead)
  then {
    update_contact {
      set = { created_at = now() }
    }
  }
}
`,
		want: []want{{rule: "read-only-field", sev: E, at: `created_at = now()`,
			msg: []string{`the update_contact action of rule "stamp"`, "created_at", "fails"}, hint: []string{"remove created_at from set"}}},
	},
	{
		name: "writable fields, a draft update, an update without set",
		rule: "read-only-field",
		src: `tag "lead" {}

field "crm_id" {
  type      = string
  read_only = true
}

field "plan" {
  type = string
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = update_contact.plan
  }

  update_contact "plan" {
    set  = { plan = "pro" }
    next = update_contact.later
  }

  update_contact "later" {
    draft = true
    set   = { crm_id = "x" }
    next  = update_contact.broken
  }

  update_contact "broken" {
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "draft-element", sev: W, at: `update_contact "later"`, msg: []string{"skip"}, hint: []string{"draft"}},
			{rule: "schema", sev: E, at: `update_contact "broken"`, msg: []string{"no set"}, hint: []string{"add set"}},
		},
	},

	// unknown-sender
	{
		name: "email from an address not among the senders, across files",
		rule: "unknown-sender",
		files: map[string]string{
			"account.journey.hcl": `account {
  senders = ["team@example.com"]
}
`,
			"emails.journey.hcl": `email "news" {
  subject = "News"
  from    = "news@example.com"
  body    = "..."
}
`,
		},
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "unknown-sender", sev: E, file: "emails.journey.hcl", at: `"news@example.com"`,
			msg:     []string{`email "news"`, "news@example.com", "not among account.senders", "refuses it or files it as spam"},
			hint:    []string{"team@example.com", "add news@example.com to account.senders"},
			related: []string{`account.journey.hcl:senders = ["team@example.com"]`}}},
	},
	{
		name: "a sender among the senders, and an email without from",
		rule: "unknown-sender",
		src: `account {
  senders = ["team@example.com"]
}

tag "lead" {}

email "news" {
  subject = "News"
  from    = "The Team <Team@Example.com>"
  body    = "..."
}

email "plain" {
  subject = "Plain"
  body    = "..."
}

campaign "c" {
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
    next = send_email.plain
  }

  send_email "plain" {
    email = email.plain
    next  = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "no senders declared",
		rule: "unknown-sender",
		src: `tag "lead" {}

email "news" {
  subject = "News"
  from    = "anyone@example.org"
  body    = "..."
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.news
  }

  send_email "news" {
    email = email.news
    next  = end.done
  }

  end "done" {}
}
`,
	},

	// sms-without-number
	{
		name: "send_sms with no number anywhere",
		rule: "sms-without-number",
		src: `tag "lead" {}

sms "hello" {
  body = "Hello"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_sms.hello
  }

  send_sms "hello" {
    sms  = sms.hello
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "sms-without-number", sev: E, at: `send_sms "hello"`,
			msg:     []string{`send_sms "hello"`, `sms "hello"`, "no number", "never sent"},
			hint:    []string{`set from on sms "hello"`, "account.sms_numbers"},
			related: []string{"sms \"hello\" {\n  body"}}},
	},
	{
		name: "notify_sms and a sequence step with no number",
		rule: "sms-without-number",
		src: `tag "lead" {}
user "sam" {
  phone = "+15550111"
}

sms "hello" {
  body = "Hello"
}

sequence "texts" {
  unsubscribe_after_last_step = true

  step "hello" {
    sms = sms.hello
  }

  step "offer" {
    split {
      path {
        weight = 50
        email  = email.offer
      }
      path {
        weight = 50
        sms    = sms.hello
      }
    }
  }
}

email "offer" {
  subject = "An offer"
  body    = "Hi"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = notify_sms.sam
  }

  notify_sms "sam" {
    to   = user.sam
    body = "New lead"
    next = add_to_sequence.texts
  }

  add_to_sequence "texts" {
    sequence = sequence.texts
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "sms-without-number", sev: E, at: `notify_sms "sam"`, msg: []string{`notify_sms "sam"`, "never sent"}, hint: []string{"account.sms_numbers"}},
			{rule: "sms-without-number", sev: E, at: `step "hello"`, msg: []string{`step "hello" of sequence "texts"`, "never sent"}, hint: []string{`from on sms "hello"`}},
			{rule: "sms-without-number", sev: E, at: `sms    = sms.hello`, msg: []string{`path 2 of the split of step "offer" in sequence "texts" sends sms "hello"`, "never sent"}, hint: []string{`from on sms "hello"`}},
		},
	},
	{
		name: "a number on the sms, on the account, or only a draft send",
		rule: "sms-without-number",
		src: `tag "lead" {}

sms "hello" {
  body = "Hello"
  from = "+15550100"
}

sms "later" {
  body = "Later"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_sms.hello
  }

  send_sms "hello" {
    sms  = sms.hello
    next = wait.day
  }

  wait "day" {
    for  = "1d"
    next = send_sms.later
  }

  send_sms "later" {
    draft = true
    sms   = sms.later
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `send_sms "later"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},
	{
		name: "the account's numbers",
		rule: "sms-without-number",
		src: `account {
  sms_numbers = ["+15550100"]
}

tag "lead" {}

sms "hello" {
  body = "Hello"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_sms.hello
  }

  send_sms "hello" {
    sms  = sms.hello
    next = end.done
  }

  end "done" {}
}
`,
	},

	// edition-feature
	{
		name: "basic edition lacks webhooks and tasks",
		rule: "edition-feature",
		src: `account {
  edition = "basic"
}

tag "lead" {}
user "sam" {}
product "pro" {}

task "call" {
  subject  = "Call"
  assignee = user.sam
}

rule "sync" {
  when = tag_added(tag.lead)
  then {
    webhook {
      url = "https://crm.example.com/hook"
    }
    add_to_sequence {
      sequence = sequence.later
    }
  }
}

sequence "later" {
  unsubscribe_after_last_step = true

  step "purchase" {
    rule {
      then {
        add_purchase {
          product = product.pro
        }
      }
    }
  }

  step "follow_up" {
    task                = task.call
    wait_for_completion = true
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = assign_task.call
  }

  assign_task "call" {
    task = task.call
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "edition-feature", sev: E, at: `webhook {`,
				msg:     []string{`the webhook action of rule "sync"`, "basic edition", "fails for every contact"},
				hint:    []string{"remove the action", `"plus" or higher`},
				related: []string{`edition = "basic"`}},
			{rule: "edition-feature", sev: E, at: `assign_task "call"`, msg: []string{`assign_task "call"`, "basic"}, hint: []string{"plus"}},
			{rule: "edition-feature", sev: E, at: `add_purchase {`, msg: []string{`the add_purchase action of step "purchase" in sequence "later"`}, hint: []string{`"pro" or higher`}},
			// Sequences are Ontraport's from Pro on.
			{rule: "edition-feature", sev: E, at: `add_to_sequence {`, msg: []string{`the add_to_sequence action of rule "sync"`, "basic edition"}, hint: []string{`"pro" or higher`}},
			{rule: "edition-feature", sev: E, at: `task                = task.call`,
				msg:     []string{`step "follow_up" of sequence "later" does assign_task (task = task.call)`, "basic edition", "fails for every contact"},
				hint:    []string{"remove the step", `"plus" or higher`},
				related: []string{`edition = "basic"`}},
		},
	},
	{
		// A step that sends a message or assigns a task does its action
		// (email = ... is a send_email): the edition must have it, as for
		// the same action in a campaign.
		name: "a sequence step does an action the edition lacks",
		rule: "edition-feature",
		src: `account {
  edition = "basic"
}

user "sam" {}

task "call" {
  subject  = "Call"
  assignee = user.sam
}

email "tip" {
  subject = "A tip"
  body    = "..."
}

sequence "nurture" {
  unsubscribe_after_last_step = true

  step "tip" {
    email = email.tip
  }

  step "call" {
    task = task.call
  }

  step "later" {
    draft = true
    task  = task.call
  }
}

rule "r" {
  when = contact_created()
  then {
    remove_from_sequence {
      sequence = sequence.nurture
    }
  }
}
`,
		want: []want{
			{rule: "edition-feature", sev: E, at: `task = task.call`,
				msg:     []string{`step "call" of sequence "nurture" does assign_task (task = task.call)`, "basic edition", "fails for every contact"},
				hint:    []string{"remove the step", `"plus" or higher`},
				related: []string{`edition = "basic"`}},
		},
		allow: []string{"remove-never-added", "draft-element"},
	},
	{
		// Postcards need plus; a plus account without sequences mails them
		// from campaigns.
		name: "basic edition lacks postcards",
		rule: "edition-feature",
		src: `account {
  edition = "basic"
}

tag "lead" {}

postcard "thanks" {
  front = "Thank you!"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_postcard.thanks
  }

  send_postcard "thanks" {
    postcard = postcard.thanks
  }
}
`,
		want: []want{{rule: "edition-feature", sev: E, at: `send_postcard "thanks"`, msg: []string{`send_postcard "thanks"`, "basic edition"}, hint: []string{`"plus" or higher`}}},
		// A postcard's address is another rule's business.
		allow: []string{"postcard-without-address"},
	},
	{
		// The Keap-style edition has every action.
		name: "keap has every action",
		rule: "edition-feature",
		src: `account {
  edition = "keap"
}

tag "lead" {}
user "sam" {}
product "pro" {}

task "call" {
  subject  = "Call"
  assignee = user.sam
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "call" {
    task = task.call
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_purchase.bonus
  }

  add_purchase "bonus" {
    product = product.pro
    next    = add_to_sequence.tips
  }

  add_to_sequence "tips" {
    sequence = sequence.tips
    next     = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "the edition has it, no edition has all, drafts are skipped",
		rule: "edition-feature",
		files: map[string]string{"account.journey.hcl": `account {
  edition = "pro"
}
`},
		src: `tag "lead" {}
product "pro" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_purchase.bonus
  }

  add_purchase "bonus" {
    product = product.pro
    next    = membership_access.academy
  }

  membership_access "academy" {
    site   = "academy"
    status = "enabled"
    next   = end.done
  }

  end "done" {}
}
`,
	},

	// edition-protected-field
	{
		name: "keap's automation may not change who the contact is or where it lives",
		rule: "edition-protected-field",
		src: `account {
  edition        = "keap"
  postal_address = [field.street, field.country]
}

tag "lead" {}

field "street" {
  type = string
}

field "plan" {
  type = string
}

rule "tidy" {
  when = tag_added(tag.lead)
  then {
    update_contact {
      set = { email = lower(contact.email) }
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = update_contact.fill
  }

  update_contact "fill" {
    set = {
      first_name = "Friend"
      street     = "unknown"
      plan       = "trial"
    }
    only_if_blank = true
  }
}
`,
		want: []want{
			{rule: "edition-protected-field", sev: E, at: `first_name = "Friend"`,
				msg:     []string{`update_contact "fill" sets first_name`, "keap account", "fails for every contact"},
				hint:    []string{"remove first_name from set"},
				related: []string{`edition        = "keap"`}},
			{rule: "edition-protected-field", sev: E, at: `street     = "unknown"`, msg: []string{"sets street"}, hint: []string{"remove street from set"}},
			{rule: "edition-protected-field", sev: E, at: `email = lower`, msg: []string{`the update_contact action of rule "tidy" sets email`}, hint: []string{"remove email from set"}},
		},
	},
	{
		name: "other editions and no edition may",
		rule: "edition-protected-field",
		src: `account {
  edition        = "enterprise"
  postal_address = [field.country]
}

tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = update_contact.fill
  }

  update_contact "fill" {
    set = { first_name = "Friend", phone = "+15550100", country = "US" }
  }
}
`,
	},
}
