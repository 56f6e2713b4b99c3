package validate_test

import "testing"

// Cases of rules_holds.go (and returns.go): missing-fork-before-add-to-
// sequence, missing-fork-before-add-to-campaign, campaign-call-cycle.

func TestHoldRules(t *testing.T) { runCases(t, holdCases) }

// nurtureAssets declares what the add_to_sequence cases share; nurture is
// a step sequence that keeps its contacts.
const nurtureAssets = `tag "lead" {}
tag "nurtured" {}

email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "nurture" {
  step "tip" {
    email = email.tip
  }
}
`

// vipAssets declares what the add_to_campaign cases share.
const vipAssets = `tag "lead" {}
tag "vip" {}
tag "customer" {}
product "pro" {}

email "offer" {
  subject = "An offer"
  body    = "..."
}
`

// caller is a campaign that adds its contacts to campaign "vip" and waits
// for them to come back before it tags them.
const caller = `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.vip
  }

  add_to_campaign "vip" {
    campaign = campaign.vip
    next     = change_tags.tag_customer
  }

  change_tags "tag_customer" {
    add  = [tag.customer]
    next = end.done
  }

  end "done" {}
}
`

var holdCases = []ruleCase{
	// missing-fork-before-add-to-sequence
	{
		name:  "step sequence that keeps its contacts",
		rule:  "missing-fork-before-add-to-sequence",
		files: map[string]string{"assets.journey.hcl": nurtureAssets},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-sequence", sev: E, at: `add_to_sequence "nurture"`,
			msg:     []string{`sequence "nurture"`, "never does", "unsubscribe_after_last_step", "never reach change_tags.nurtured"},
			hint:    []string{"put a fork before it", "change_tags.nurtured", "unsubscribe_after_last_step = true"},
			related: []string{`assets.journey.hcl:sequence "nurture"`}}},
	},
	{
		name: "annual date sequence never ends",
		rule: "missing-fork-before-add-to-sequence",
		src: `tag "lead" {}
tag "nurtured" {}
field "birthday" {
  type = date
}

email "birthday" {
  subject = "Happy birthday"
  body    = "..."
}

sequence "birthdays" {
  kind                        = "date"
  unsubscribe_after_last_step = true

  step "greet" {
    schedule {
      on_field = field.birthday
      annual   = true
    }
    email = email.birthday
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.birthdays
  }

  add_to_sequence "birthdays" {
    sequence = sequence.birthdays
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-sequence", sev: E, at: `add_to_sequence "birthdays"`,
			msg:     []string{`step "greet"`, "annual", "every year", "never reach"},
			hint:    []string{"put a fork before it"},
			related: []string{`step "greet"`}}},
	},
	{
		name: "date sequence that keeps its contacts",
		rule: "missing-fork-before-add-to-sequence",
		src: `tag "lead" {}
tag "nurtured" {}

email "launch" {
  subject = "We launched"
  body    = "..."
}

sequence "launch" {
  kind = "date"

  step "launch" {
    schedule {
      date = "2026-09-01"
    }
    email = email.launch
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.launch
  }

  add_to_sequence "launch" {
    sequence = sequence.launch
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-sequence", sev: E, at: `add_to_sequence "launch"`,
			msg:  []string{`date sequence "launch"`, "no unsubscribe_after_last_step"},
			hint: []string{"fork", "unsubscribe_after_last_step = true"}}},
	},
	{
		name: "a step sequence whose last step removes the contact returns it",
		rule: "missing-fork-before-add-to-sequence",
		src: `tag "lead" {}
tag "nurtured" {}

email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "nurture" {
  step "tip" {
    email = email.tip
  }
  step "done" {
    schedule {
      days_after = 1
    }
    rule {
      then {
        remove_from_sequence {
          sequence = sequence.nurture
        }
      }
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "a removing step with an if does not always return the contact",
		rule: "missing-fork-before-add-to-sequence",
		src: `tag "lead" {}
tag "nurtured" {}

email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "nurture" {
  step "tip" {
    email = email.tip
  }
  step "done" {
    rule {
      if = has_tag(tag.nurtured)
      then {
        remove_from_sequence {
          sequence = sequence.nurture
        }
      }
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-sequence", sev: E, at: `add_to_sequence "nurture"`,
			msg:  []string{`step sequence "nurture"`, "no unsubscribe_after_last_step"},
			hint: []string{"fork"}}},
	},
	{
		name: "a step that can never fire holds the contacts",
		rule: "missing-fork-before-add-to-sequence",
		src: `tag "lead" {}
tag "nurtured" {}

email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "nurture" {
  unsubscribe_after_last_step = true

  step "tip" {
    schedule {
      days_after = 1
      on_days    = []
    }
    email = email.tip
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "missing-fork-before-add-to-sequence", sev: E, at: `add_to_sequence "nurture"`,
				msg: []string{`step "tip"`, "can never fire"}, hint: []string{"fork", `schedule of step "tip"`}},
			{rule: "empty-window", sev: E, at: `on_days    = []`, msg: []string{"never fire"}, hint: []string{"day"}},
		},
	},
	{
		name:  "fork before it, the sequence path ending there",
		rule:  "missing-fork-before-add-to-sequence",
		files: map[string]string{"assets.journey.hcl": nurtureAssets},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.nurture_and_go_on
  }

  fork "nurture_and_go_on" {
    paths = [add_to_sequence.nurture, change_tags.nurtured]
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "sequence that lets contacts go",
		rule: "missing-fork-before-add-to-sequence",
		src: `tag "lead" {}
tag "nurtured" {}
field "birthday" {
  type = date
}

email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "nurture" {
  unsubscribe_after_last_step = true

  step "tip" {
    email = email.tip
  }

  step "yearly" {
    draft = true
    schedule {
      days_after = 365
    }
    email = email.tip
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		// The draft last step is passed on its day, a year on: the
		// sequence lets contacts go then.
		want: []want{{rule: "draft-element", sev: W, at: `step "yearly"`, msg: []string{"lets them go then"}, hint: []string{"draft"}}},
	},
	{
		name:  "a draft add_to_sequence holds no one",
		rule:  "missing-fork-before-add-to-sequence",
		files: map[string]string{"assets.journey.hcl": nurtureAssets},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    draft    = true
    sequence = sequence.nurture
    next     = change_tags.nurtured
  }

  change_tags "nurtured" {
    add  = [tag.nurtured]
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `add_to_sequence "nurture"`, msg: []string{"change_tags.nurtured"}, hint: []string{"draft"}}},
	},

	// missing-fork-before-add-to-campaign
	{
		name: "a path of the target that just stops, across files",
		rule: "missing-fork-before-add-to-campaign",
		files: map[string]string{
			"assets.journey.hcl": vipAssets,
			"vip.journey.hcl": `campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = send_email.offer
  }

  send_email "offer" {
    email = email.offer
  }
}
`,
		},
		src:   caller,
		allow: []string{"unused"},
		want: []want{{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
			msg:     []string{`campaign "vip"`, "trigger.added -> send_email.offer", "stops there without an end", "never reach change_tags.tag_customer"},
			hint:    []string{"put a fork before it", "end"},
			related: []string{`vip.journey.hcl:send_email "offer"`}}},
	},
	{
		name:  "a decision without no",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = decision.bought
  }

  decision "bought" {
    on     = product_purchased(product.pro)
    within = "3d"
    yes    = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
			msg:     []string{"trigger.added -> decision.bought", "when within runs out", `no "no" branch`},
			hint:    []string{"fork"},
			related: []string{`decision "bought"`}}},
	},
	{
		name:  "a condition without else",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = condition.customer
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
			msg: []string{"condition.customer", "when its condition is false", `no "else" branch`}, hint: []string{"fork"}}},
	},
	{
		name:  "a loop with no way out",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  reentry = "always"

  trigger "added" {
    on   = added_to_campaign()
    next = wait.week
  }

  wait "week" {
    for  = "7d"
    next = adjust_points.decay
  }

  adjust_points "decay" {
    points = -1
    next   = wait.week
  }
}
`,
		want: []want{{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
			msg: []string{"wait.week -> adjust_points.decay -> wait.week", "loops without a way to an end"}, hint: []string{"fork"}}},
	},
	{
		name:  "a wait that can never fire",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = wait.never
  }

  wait "never" {
    for     = "1d"
    on_days = []
    next    = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
				msg: []string{"wait.never", "timer that never fires"}, hint: []string{"fork"}},
			{rule: "empty-window", sev: E, at: `on_days = []`, msg: []string{"never fire"}, hint: []string{"day"}},
		},
	},
	{
		name:  "a goal path that just stops",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = wait.week
  }

  wait "week" {
    for  = "7d"
    next = end.done
  }

  goal "bought" {
    on   = product_purchased(product.pro)
    next = send_email.offer
  }

  send_email "offer" {
    email = email.offer
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
			msg: []string{"goal.bought -> send_email.offer", "stops there"}, hint: []string{"fork"}}},
	},
	{
		name: "the target waits on a sequence that keeps its contacts",
		rule: "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets + `
sequence "keep" {
  step "offer" {
    email = email.offer
  }
}
`},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_to_sequence.keep
  }

  add_to_sequence "keep" {
    sequence = sequence.keep
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "missing-fork-before-add-to-campaign", sev: E, at: `add_to_campaign "vip"`,
				msg: []string{"add_to_sequence.keep", `waits on sequence "keep"`}, hint: []string{"fork"}},
			{rule: "missing-fork-before-add-to-sequence", sev: E, at: `add_to_sequence "keep"`, msg: []string{"never"}, hint: []string{"fork"}},
		},
	},
	{
		name:  "every path of the target ends",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = split.offer
  }

  split "offer" {
    path {
      weight = 50
      next   = decision.bought
    }
    path {
      weight = 50
      next   = condition.vip
    }
  }

  decision "bought" {
    on     = product_purchased(product.pro)
    within = "3d"
    yes    = end.done
    no     = delete_contact.erase
  }

  delete_contact "erase" {}

  condition "vip" {
    if   = has_tag(tag.vip)
    then = remove_from_campaign.out
    else = end.leave
  }

  remove_from_campaign "out" {
    campaign = campaign.vip
  }

  goal "bought_anyway" {
    on   = tag_added(tag.customer)
    next = end.done
  }

  end "done" {}

  end "leave" {
    exit = true
  }
}
`,
	},
	{
		name:  "a fork whose one path returns",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = fork.both
  }

  fork "both" {
    paths = [send_email.offer, condition.customer]
  }

  send_email "offer" {
    email = email.offer
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = end.done
    else = wait.week
  }

  wait "week" {
    for  = "7d"
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name:  "a fork whose returning path is a branch with an open end",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		// Path 2 returns, whatever path 1 does: when the contact is not
		// a customer, path 1 stops at the condition, but path 2 ends.
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = fork.both
  }

  fork "both" {
    paths = [condition.customer, wait.week]
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = end.done
  }

  wait "week" {
    for  = "7d"
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name:  "a loop with a way out",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: caller + `
campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = wait.week
  }

  wait "week" {
    for  = "7d"
    next = condition.customer
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = end.done
    else = wait.week
  }

  end "done" {}
}
`,
	},
	{
		name:  "no next: nothing waits for the contact",
		rule:  "missing-fork-before-add-to-campaign",
		files: map[string]string{"assets.journey.hcl": vipAssets},
		allow: []string{"unused"},
		src: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.vip
  }

  add_to_campaign "vip" {
    campaign = campaign.vip
  }
}

campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = send_email.offer
  }

  send_email "offer" {
    email = email.offer
  }
}
`,
	},

	// campaign-call-cycle
	{
		name: "two campaigns add to each other",
		rule: "campaign-call-cycle",
		src: `tag "lead" {}

campaign "a" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.to_b
  }

  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_b
  }

  add_to_campaign "to_b" {
    campaign = campaign.b
    next     = end.done
  }

  end "done" {}
}

campaign "b" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_a
  }

  add_to_campaign "to_a" {
    campaign = campaign.a
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "campaign-call-cycle", sev: E, at: `add_to_campaign "to_b"`,
			msg:     []string{`campaign "a" adds to campaign "b"`, `campaign "b" adds to campaign "a"`, "wait on themselves forever"},
			hint:    []string{"put a fork before one of these", "remove its next"},
			related: []string{`add_to_campaign "to_a"`}}},
	},
	{
		name: "a campaign adds to itself",
		rule: "campaign-call-cycle",
		src: `tag "lead" {}

campaign "a" {
  reentry = "always"

  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.again
  }

  trigger "added" {
    on   = added_to_campaign()
    next = end.done
  }

  add_to_campaign "again" {
    campaign = campaign.a
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "campaign-call-cycle", sev: E, at: `add_to_campaign "again"`,
			msg: []string{`campaign "a" adds to campaign "a"`, "forever"}, hint: []string{"fork"}}},
	},
	{
		name: "three campaigns in a ring",
		rule: "campaign-call-cycle",
		src: `tag "lead" {}

campaign "a" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.to_b
  }

  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_b
  }

  add_to_campaign "to_b" {
    campaign = campaign.b
    next     = end.done
  }

  end "done" {}
}

campaign "b" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_c
  }

  add_to_campaign "to_c" {
    campaign = campaign.c
    next     = end.done
  }

  end "done" {}
}

campaign "c" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_a
  }

  add_to_campaign "to_a" {
    campaign = campaign.a
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "campaign-call-cycle", sev: E, at: `add_to_campaign "to_b"`,
			msg:     []string{`"a" adds to campaign "b"`, `"b" adds to campaign "c"`, `"c" adds to campaign "a"`},
			hint:    []string{"fork"},
			related: []string{`add_to_campaign "to_c"`, `add_to_campaign "to_a"`}}},
	},
	{
		name: "one of the calls is a fork path",
		rule: "campaign-call-cycle",
		src: `tag "lead" {}

campaign "a" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  trigger "added" {
    on   = added_to_campaign()
    next = end.done
  }

  fork "both" {
    paths = [add_to_campaign.to_b, end.done]
  }

  add_to_campaign "to_b" {
    campaign = campaign.b
    next     = end.done
  }

  end "done" {}
}

campaign "b" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_a
  }

  add_to_campaign "to_a" {
    campaign = campaign.a
    next     = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "one of the calls does not wait",
		rule: "campaign-call-cycle",
		src: `tag "lead" {}

campaign "a" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.to_b
  }

  trigger "added" {
    on   = added_to_campaign()
    next = end.done
  }

  add_to_campaign "to_b" {
    campaign = campaign.b
  }

  end "done" {}
}

campaign "b" {
  trigger "added" {
    on   = added_to_campaign()
    next = add_to_campaign.to_a
  }

  add_to_campaign "to_a" {
    campaign = campaign.a
    next     = end.done
  }

  end "done" {}
}
`,
	},
}
