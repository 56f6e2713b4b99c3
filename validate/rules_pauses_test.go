package validate_test

import "testing"

// Cases of rules_pauses.go: paused-forever, remove-never-added.

func TestPauseRules(t *testing.T) { runCases(t, pauseCases) }

var pauseCases = []ruleCase{
	// paused-forever
	{
		name: "pause_campaign nobody lifts",
		rule: "paused-forever",
		src: `tag "lead" {}
tag "holiday" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.week
  }

  wait "week" {
    for  = "7d"
    next = end.done
  }

  end "done" {}
}

campaign "holidays" {
  trigger "away" {
    on   = tag_added(tag.holiday)
    next = pause_campaign.hold
  }

  pause_campaign "hold" {
    campaign = campaign.c
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "paused-forever", sev: W, at: `pause_campaign "hold"`,
			msg:  []string{`pause_campaign "hold"`, `campaign "c"`, "nothing in the workspace unpauses it", "stay paused forever"},
			hint: []string{"unpause_campaign { campaign = campaign.c }", "remove"}}},
	},
	{
		name: "pause_sequence in a rule, the unpause only a draft",
		rule: "paused-forever",
		src: `tag "lead" {}
tag "holiday" {}

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

rule "away" {
  when = tag_added(tag.holiday)
  then {
    pause_sequence {
      sequence = sequence.tips
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  fork "both" {
    paths = [add_to_sequence.tips, unpause_sequence.back]
  }

  add_to_sequence "tips" {
    sequence = sequence.tips
  }

  unpause_sequence "back" {
    draft    = true
    sequence = sequence.tips
  }
}
`,
		want: []want{
			{rule: "paused-forever", sev: W, at: `pause_sequence {`,
				msg:  []string{`the pause_sequence action of rule "away"`, `sequence "tips"`, "paused forever"},
				hint: []string{"unpause_sequence { sequence = sequence.tips }"}},
			{rule: "draft-element", sev: W, at: `unpause_sequence "back"`, msg: []string{"skip"}, hint: []string{"draft"}},
		},
	},
	{
		name: "paused in a rule step, unpaused in another campaign and file",
		rule: "paused-forever",
		files: map[string]string{"resume.journey.hcl": `tag "back" {}

campaign "resume" {
  trigger "back" {
    on   = tag_removed(tag.back)
    next = unpause_campaign.c
  }

  unpause_campaign "c" {
    campaign = campaign.c
  }
}
`},
		src: `tag "lead" {}

email "tip" {
  subject = "A tip"
  body    = "..."
}

sequence "quiet" {
  unsubscribe_after_last_step = true

  step "hold" {
    rule {
      then {
        pause_campaign {
          campaign = campaign.c
        }
      }
    }
  }

  step "tip" {
    email = email.tip
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  fork "both" {
    paths = [add_to_sequence.quiet, wait.week]
  }

  add_to_sequence "quiet" {
    sequence = sequence.quiet
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
		name: "paused by a campaign, unpaused by a rule",
		rule: "paused-forever",
		src: `tag "lead" {}
tag "holiday" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.week
  }

  wait "week" {
    for  = "7d"
    next = end.done
  }

  goal "away" {
    on   = tag_added(tag.holiday)
    next = pause_campaign.hold
  }

  pause_campaign "hold" {
    campaign = campaign.c
    next     = end.done
  }

  end "done" {}
}

rule "back" {
  when = tag_removed(tag.holiday)
  then {
    unpause_campaign {
      campaign = campaign.c
    }
  }
}
`,
	},
	{
		name: "a draft pause pauses no one",
		rule: "paused-forever",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = pause_campaign.hold
  }

  pause_campaign "hold" {
    draft    = true
    campaign = campaign.c
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `pause_campaign "hold"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},

	// remove-never-added
	{
		name: "remove_from_sequence nobody adds to",
		rule: "remove-never-added",
		src: `tag "lead" {}

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

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = remove_from_sequence.tips
  }

  remove_from_sequence "tips" {
    sequence = sequence.tips
    next     = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "remove-never-added", sev: W, at: `remove_from_sequence "tips"`,
			msg:  []string{`remove_from_sequence "tips"`, `sequence "tips"`, "nothing adds contacts to it", "never does anything"},
			hint: []string{"remove this action", "add_to_sequence"}}},
	},
	{
		name: "remove_from_fulfillment in a rule, the only adder a draft",
		rule: "remove-never-added",
		src: `tag "lead" {}
tag "cancelled" {}

fulfillment_list "kits" {
  fields = [field.first_name, field.last_name]
}

rule "cancel" {
  when = tag_added(tag.cancelled)
  then {
    remove_from_fulfillment {
      list = fulfillment_list.kits
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_to_fulfillment.kit
  }

  send_to_fulfillment "kit" {
    draft = true
    list  = fulfillment_list.kits
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "remove-never-added", sev: W, at: `remove_from_fulfillment {`,
				msg: []string{`the remove_from_fulfillment action of rule "cancel"`, `fulfillment_list "kits"`, "never does anything"}, hint: []string{"send_to_fulfillment"}},
			{rule: "draft-element", sev: W, at: `send_to_fulfillment "kit"`, msg: []string{"skip"}, hint: []string{"draft"}},
		},
	},
	{
		name: "the list is filled by a sequence step",
		rule: "remove-never-added",
		src: `tag "lead" {}
tag "cancelled" {}

fulfillment_list "kits" {
  fields = [field.first_name, field.last_name]
}

sequence "welcome" {
  unsubscribe_after_last_step = true

  step "kit" {
    fulfillment = fulfillment_list.kits
  }
}

rule "cancel" {
  when = tag_added(tag.cancelled)
  then {
    remove_from_fulfillment {
      list = fulfillment_list.kits
    }
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.welcome
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome
    next     = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "added by a rule, removed by a campaign",
		rule: "remove-never-added",
		src: `tag "lead" {}
tag "customer" {}

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

rule "enrol" {
  when = tag_added(tag.lead)
  then {
    add_to_sequence {
      sequence = sequence.tips
    }
  }
}

campaign "c" {
  trigger "bought" {
    on   = tag_added(tag.customer)
    next = remove_from_sequence.tips
  }

  remove_from_sequence "tips" {
    sequence = sequence.tips
    next     = end.done
  }

  end "done" {}
}
`,
	},
}
