package validate_test

import "testing"

// Cases of rules_declarations.go: unused, moved-invalid.

func TestDeclarationRules(t *testing.T) { runCases(t, declarationCases) }

// simpleCampaign is a campaign every moved case can point at.
const simpleCampaign = `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.two_days
  }

  wait "two_days" {
    for  = "2d"
    next = end.done
  }

  end "done" {}
}

email "tip" {
  subject = "A tip"
  body    = "..."
}

sequence "s" {
  unsubscribe_after_last_step = true

  step "tip" {
    email = email.tip
  }
}

rule "enrol" {
  when = tag_added(tag.lead)
  then {
    add_to_sequence {
      sequence = sequence.s
    }
  }
}
`

var declarationCases = []ruleCase{
	// unused
	{
		name: "declarations nothing references",
		rule: "unused",
		src: `tag "lead" {}
tag "old" {}

email "draft_idea" {
  subject = "Idea"
  body    = "..."
}

user "former" {}

field "shoe_size" {
  type = number
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "unused", sev: W, at: `tag "old"`, msg: []string{`tag "old"`, "nothing uses it"}, hint: []string{"remove it", "tag.old"}},
			{rule: "unused", sev: W, at: `email "draft_idea"`, msg: []string{`email "draft_idea"`}, hint: []string{"email.draft_idea"}},
			{rule: "unused", sev: W, at: `user "former"`, msg: []string{`user "former"`}, hint: []string{"user.former"}},
		},
	},
	{
		name: "used in expressions, events, lists, rules and sequence steps",
		rule: "unused",
		src: `tag "lead" {}
tag "vip" {}
tag "customer" {}
form "signup" {}
product "pro" {}
user "sam" {}
user "alice" {}

lead_router "sales" {
  users = [user.sam, user.alice]
}

email "tip" {
  subject = "A tip"
  body    = "..."
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "tip" {
    email = email.tip
  }
}

rule "buyers" {
  when = product_purchased(product.pro)
  then {
    change_tags {
      add = [tag.customer]
    }
  }
}

campaign "c" {
  trigger "signup" {
    on    = form_submitted(form.signup)
    where = has_tag(tag.vip) || has_tag(tag.lead)
    next  = assign_owner.sales
  }

  assign_owner "sales" {
    lead_router = lead_router.sales
    next        = add_to_sequence.tips
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
		name: "the second of two declarations is not reported as unused",
		rule: "unused",
		src: `tag "lead" {}
tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "duplicate-name", sev: E, line: 2, msg: []string{"declared twice"}, hint: []string{"rename"}}},
	},

	// moved-invalid
	{
		name:  "from still exists",
		rule:  "moved-invalid",
		files: map[string]string{"campaign.journey.hcl": simpleCampaign},
		src: `moved {
  from = campaign.c.wait.two_days
  to   = campaign.c.end.done
}
`,
		want: []want{{rule: "moved-invalid", sev: E, at: `campaign.c.wait.two_days`,
			msg:  []string{"campaign.c.wait.two_days still exists", "move contacts off an element that is still there"},
			hint: []string{"remove the moved block"}}},
	},
	{
		name:  "to does not exist",
		rule:  "moved-invalid",
		files: map[string]string{"campaign.journey.hcl": simpleCampaign},
		src: `moved {
  from = campaign.c.wait.one_day
  to   = campaign.c.wait.three_days
}
`,
		want: []want{{rule: "moved-invalid", sev: E, at: `campaign.c.wait.three_days`,
			msg:  []string{"campaign.c.wait.three_days", "does not exist", "nowhere to put the contacts"},
			hint: []string{"new address"}}},
	},
	{
		name:  "not an address",
		rule:  "moved-invalid",
		files: map[string]string{"campaign.journey.hcl": simpleCampaign},
		src: `moved {
  from = tag.old
  to   = campaign.c
}

moved {
  from = campaign.c.wait
  to   = campaign.c.wait.two_days
}

moved {
  from = sequence.s.stp.old
  to   = sequence.s.step.tip
}
`,
		want: []want{
			{rule: "moved-invalid", sev: E, at: `tag.old`, msg: []string{"not an address", "start with campaign or sequence", "contacts"}, hint: []string{"campaign.NAME.KIND.NAME"}},
			{rule: "moved-invalid", sev: E, at: `campaign.c.wait
`, msg: []string{"wrong number of parts"}, hint: []string{"campaign.NAME"}},
			{rule: "moved-invalid", sev: E, at: `sequence.s.stp.old`, msg: []string{"sequence.NAME.step.NAME"}, hint: []string{"sequence.NAME.step.NAME"}},
		},
	},
	{
		name:  "an element moved to a campaign, a campaign to a sequence",
		rule:  "moved-invalid",
		files: map[string]string{"campaign.journey.hcl": simpleCampaign},
		src: `moved {
  from = campaign.c.wait.one_day
  to   = campaign.c
}

moved {
  from = campaign.old
  to   = sequence.s
}

moved {
  from = sequence.s.step.old
  to   = campaign.c.wait.two_days
}
`,
		want: []want{
			{rule: "moved-invalid", sev: E, line: 1, msg: []string{"campaign.c.wait.one_day (a campaign element)", "campaign.c (a campaign)", "cannot carry contacts"}, hint: []string{"an element to an element"}},
			{rule: "moved-invalid", sev: E, line: 6, msg: []string{"(a campaign)", "(a sequence)"}, hint: []string{"a sequence to a sequence"}},
			{rule: "moved-invalid", sev: E, line: 11, msg: []string{"(a sequence step)", "(a campaign element)"}, hint: []string{"a step to a step"}},
		},
	},
	{
		name:  "a finished rename of an element, a campaign and a step",
		rule:  "moved-invalid",
		files: map[string]string{"campaign.journey.hcl": simpleCampaign},
		src: `moved {
  from = campaign.c.wait.one_day
  to   = campaign.c.wait.two_days
}

moved {
  from = campaign.onboarding
  to   = campaign.c
}

moved {
  from = sequence.s.step.old_tip
  to   = sequence.s.step.tip
}

moved {
  from = campaign.c.decision.waited
  to   = campaign.c.wait.two_days
}
`,
	},
}
