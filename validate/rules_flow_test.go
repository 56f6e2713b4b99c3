package validate_test

import "testing"

// Cases of rules_flow.go: instant-loop, next-after-terminal,
// invalid-target, invalid-fork, split-weights, same-branch, draft-element.

func TestFlowRules(t *testing.T) { runCases(t, flowCases) }

var flowCases = []ruleCase{
	// instant-loop
	{
		name: "condition loop without a wait",
		rule: "instant-loop",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.ready
  }

  condition "ready" {
    if   = contact.points > 100
    then = end.done
    else = adjust_points.bump
  }

  adjust_points "bump" {
    points = 0
    next   = condition.ready
  }

  end "done" {}
}
`,
		want: []want{{rule: "instant-loop", sev: E, at: `condition "ready"`,
			msg:  []string{"condition.ready -> adjust_points.bump -> condition.ready", "spin forever"},
			hint: []string{"put a wait on the loop"}}},
	},
	{
		name: "element pointing at itself",
		rule: "instant-loop",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = apply_note.again
  }

  apply_note "again" {
    text = "again"
    next = apply_note.again
  }
}
`,
		want: []want{{rule: "instant-loop", sev: E, at: `apply_note "again"`,
			msg: []string{"apply_note.again -> apply_note.again", "spin"}, hint: []string{"wait"}}},
	},
	{
		name: "the loop reported is a path of the map",
		rule: "instant-loop",
		// Written in the order a, b, c, d; the loops are a -> c -> d -> a
		// and a -> c -> d -> b -> a.
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = apply_note.a
  }

  apply_note "a" {
    text = "a"
    next = apply_note.c
  }

  apply_note "b" {
    text = "b"
    next = apply_note.a
  }

  apply_note "c" {
    text = "c"
    next = condition.d
  }

  condition "d" {
    if   = has_tag(tag.lead)
    then = apply_note.b
    else = apply_note.a
  }
}
`,
		want: []want{{rule: "instant-loop", sev: E, at: `apply_note "a"`,
			msg:     []string{"apply_note.a -> apply_note.c -> condition.d -> apply_note.a loops"},
			hint:    []string{"wait"},
			related: []string{`apply_note "c"`, `condition "d"`}}},
	},
	{
		name: "a draft wait does not break the loop",
		rule: "instant-loop",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.pause
  }

  wait "pause" {
    draft = true
    for   = "1d"
    next  = condition.ready
  }

  condition "ready" {
    if   = contact.points > 100
    then = end.done
    else = wait.pause
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "instant-loop", sev: E, at: `wait "pause"`, msg: []string{"wait.pause -> condition.ready -> wait.pause"}, hint: []string{"wait"}},
			{rule: "draft-element", sev: W, at: `wait "pause"`, msg: []string{"condition.ready"}, hint: []string{"draft"}},
		},
	},
	{
		name: "loop with a wait",
		rule: "instant-loop",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.ready
  }

  condition "ready" {
    if   = contact.points > 100
    then = end.done
    else = wait.day
  }

  wait "day" {
    for  = "1d"
    next = condition.ready
  }

  end "done" {}
}
`,
	},
	{
		name: "loop through a decision or a task waited on",
		rule: "instant-loop",
		src: `tag "lead" {}
product "pro" {}
user "sam" {}

task "call" {
  subject  = "Call ${contact.first_name}"
  assignee = user.sam
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = decision.bought
  }

  decision "bought" {
    on     = product_purchased(product.pro)
    within = "7d"
    yes    = end.done
    no     = assign_task.call
  }

  assign_task "call" {
    task                = task.call
    wait_for_completion = true
    next                = decision.bought
  }

  end "done" {}
}
`,
	},

	// next-after-terminal
	{
		name: "next after delete_contact",
		rule: "next-after-terminal",
		src: `tag "lead" {}
tag "gone" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = delete_contact.erase
  }

  delete_contact "erase" {
    next = change_tags.mark
  }

  change_tags "mark" {
    add = [tag.gone]
  }
}
`,
		want: []want{{rule: "next-after-terminal", sev: E, at: `next = change_tags.mark`,
			msg:  []string{`delete_contact "erase"`, "deletes the contact", "nothing after it runs"},
			hint: []string{"remove next"}}},
	},
	{
		name: "next after removing the contact from its own campaign",
		rule: "next-after-terminal",
		src: `tag "lead" {}
tag "gone" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = remove_from_campaign.out
  }

  remove_from_campaign "out" {
    campaign = campaign.c
    next     = change_tags.mark
  }

  change_tags "mark" {
    add = [tag.gone]
  }
}
`,
		want: []want{{rule: "next-after-terminal", sev: E, at: `next     = change_tags.mark`,
			msg:  []string{`remove_from_campaign "out"`, `campaign "c" itself`, "nothing after it runs"},
			hint: []string{"exit = true"}}},
	},
	{
		name: "removing from another campaign goes on",
		rule: "next-after-terminal",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = remove_from_campaign.other
  }

  remove_from_campaign "other" {
    campaign = campaign.d
    next     = delete_contact.erase
  }

  delete_contact "erase" {}
}

campaign "d" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "a draft delete_contact is skipped",
		rule: "next-after-terminal",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = delete_contact.erase
  }

  delete_contact "erase" {
    draft = true
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `delete_contact "erase"`, msg: []string{"go straight to end.done"}, hint: []string{"draft"}}},
	},

	// invalid-target
	{
		name: "next points at a trigger",
		rule: "invalid-target",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for  = "1d"
    next = trigger.new
  }
}
`,
		want: []want{{rule: "invalid-target", sev: E, at: `trigger.new
  }`,
			msg:  []string{`wait "day"`, `trigger "new"`, "only through its event"},
			hint: []string{"wait.day", "point at the element after it"}}},
	},
	{
		name: "else points at a goal",
		rule: "invalid-target",
		src: `tag "lead" {}
tag "customer" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.bought
  }

  condition "bought" {
    if   = has_tag(tag.customer)
    then = end.done
    else = goal.buys
  }

  goal "buys" {
    on   = tag_added(tag.customer)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "invalid-target", sev: E, at: `goal.buys`,
			msg: []string{"else", `goal "buys"`}, hint: []string{"end.done"}}},
	},
	{
		name: "next points into another campaign",
		rule: "invalid-target",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for  = "1d"
    next = end.finish
  }
}

campaign "d" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.finish
  }

  end "finish" {}
}
`,
		want: []want{{rule: "invalid-target", sev: E, at: `end.finish
  }
}`,
			msg:  []string{"end.finish", `campaign "d"`, "cannot jump between campaigns"},
			hint: []string{"add_to_campaign", "campaign.d"}}},
	},
	{
		name: "next names a campaign",
		rule: "invalid-target",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = campaign.d
  }
}

campaign "d" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "invalid-target", sev: E, at: `campaign.d
  }`,
			msg: []string{`campaign "d"`, "only moves within a campaign"}, hint: []string{"add_to_campaign"}}},
	},
	{
		name: "elements of the same name in two campaigns",
		rule: "invalid-target",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}

campaign "d" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
	},

	// invalid-fork
	{
		name: "fork with one path",
		rule: "invalid-fork",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  fork "both" {
    paths = [end.done]
  }

  end "done" {}
}
`,
		want: []want{{rule: "invalid-fork", sev: E, at: `paths = [end.done]`,
			msg:  []string{`fork "both"`, "1 path", "every path at once"},
			hint: []string{"add another path", "plain next"}}},
	},
	{
		name: "fork lists a path twice",
		rule: "invalid-fork",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  fork "both" {
    paths = [wait.a, end.done, wait.a]
  }

  wait "a" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "invalid-fork", sev: E, at: `wait.a]`,
			msg: []string{"wait.a twice", "run that path twice"}, hint: []string{"each path once"}}},
	},
	{
		name: "fork with two paths",
		rule: "invalid-fork",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  fork "both" {
    paths = [wait.a, end.done]
  }

  wait "a" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
	},

	// split-weights
	{
		name: "weights short of 100",
		rule: "split-weights",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
  }

  split "test" {
    path {
      weight = 50
      next   = end.a
    }
    path {
      weight = 40
      next   = end.b
    }
  }

  end "a" {}
  end "b" {}
}
`,
		want: []want{{rule: "split-weights", sev: E, at: `split "test"`,
			msg:  []string{"weigh 90", "not 100", "share of contacts"},
			hint: []string{"sum to 100"}}},
	},
	{
		name: "a path without contacts",
		rule: "split-weights",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
  }

  split "test" {
    path {
      weight = 100
      next   = end.a
    }
    path {
      weight = 0
      next   = end.b
    }
  }

  end "a" {}
  end "b" {}
}
`,
		want: []want{{rule: "split-weights", sev: E, at: `weight = 0`,
			msg: []string{"path 2", "weight 0", "no contact would take it"}, hint: []string{"positive weight"}}},
	},
	{
		name: "one path",
		rule: "split-weights",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
  }

  split "test" {
    path {
      weight = 100
      next   = end.a
    }
  }

  end "a" {}
}
`,
		want: []want{{rule: "split-weights", sev: E, at: `split "test"`,
			msg: []string{"1 path", "compares nothing"}, hint: []string{"another path"}}},
	},
	{
		name: "decimal weights that sum to 100",
		rule: "split-weights",
		// 10.1 + 64.1 + 25.8 is 99.99999999999999 in floating point.
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
  }

  split "test" {
    path {
      weight = 10.1
      next   = end.a
    }
    path {
      weight = 64.1
      next   = end.b
    }
    path {
      weight = 25.8
      next   = end.c
    }
  }

  end "a" {}
  end "b" {}
  end "c" {}
}
`,
	},
	{
		name: "a missing weight is a schema error only",
		rule: "split-weights",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
  }

  split "test" {
    path {
      weight = 50
      next   = end.a
    }
    path {
      next = end.b
    }
  }

  end "a" {}
  end "b" {}
}
`,
		want: []want{{rule: "schema", sev: E, line: 14, msg: []string{"weight"}, hint: []string{"weight ="}}},
	},

	{
		name: "a split step's weights, paths and messages",
		rule: "split-weights",
		src: `tag "lead" {}

email "a" {
  subject = "Save 20%"
  body    = "Hi"
}

email "b" {
  subject = "A free month"
  body    = "Hi"
}

sequence "offer" {
  step "short" {
    split {
      path {
        weight = 50
        email  = email.a
      }
      path {
        weight = 40
        email  = email.b
      }
    }
  }

  step "alone" {
    split {
      path {
        weight = 100
        email  = email.a
      }
    }
  }

  step "nobody" {
    split {
      path {
        weight = 100
        email  = email.a
      }
      path {
        weight = 0
        email  = email.b
      }
    }
  }
}

rule "subscribe" {
  when = tag_added(tag.lead)
  then {
    add_to_sequence {
      sequence = sequence.offer
    }
  }
}
`,
		want: []want{
			{rule: "split-weights", sev: E, at: `split {
      path {
        weight = 50`,
				msg:  []string{`the paths of the split of step "short" in sequence "offer" weigh 90 in all, not 100`, "share of contacts"},
				hint: []string{"sum to 100"}},
			{rule: "split-weights", sev: E, at: `split {
      path {
        weight = 100
        email  = email.a
      }
    }`,
				msg:  []string{`the split of step "alone" in sequence "offer" has 1 path`, "every contact gets the same message"},
				hint: []string{"add another path block", "replace the split with email = email.a"}},
			{rule: "split-weights", sev: E, at: `weight = 0`,
				msg:  []string{`path 2 of the split of step "nobody" in sequence "offer" has weight 0`, "no contact would take it"},
				hint: []string{"positive weight"}},
		},
	},
	{
		name: "a split step's path names one message a step can send",
		rule: "split-weights",
		src: `tag "lead" {}

email "a" {
  subject = "Save 20%"
  body    = "Hi"
}

sms "b" {
  body = "A free month"
}

task "call" {
  subject = "Call"
}

account {
  sms_numbers = ["+15550100"]
}

sequence "offer" {
  step "pitch" {
    split {
      path {
        weight = 40
        email  = email.a
        sms    = sms.b
      }
      path {
        weight = 30
        task   = task.call
      }
      path {
        weight = 30
        email  = sms.b
      }
    }
  }
}

rule "subscribe" {
  when = tag_added(tag.lead)
  then {
    add_to_sequence {
      sequence = sequence.offer
    }
  }
}
`,
		// Only the channel list's start is asserted: adding a channel kind
		// (TestAddingAnActionKind does) lengthens it.
		want: []want{
			{rule: "schema", sev: E, at: `sms    = sms.b`, msg: []string{"both email and sms"}, hint: []string{"keep only one of email, sms"}},
			{rule: "schema", sev: E, at: `task   = task.call`, msg: []string{`"task" is not expected here`}},
			{rule: "schema", sev: E, line: 28, msg: []string{"sets none of email, sms"}, hint: []string{"set one of email, sms"}},
			{rule: "type", sev: E, at: `sms.b
      }
    }`, msg: []string{"must reference a email, not sms.b"}, hint: []string{"email.NAME"}},
		},
		allow: []string{"unused"},
	},
	{
		name: "a split step whose paths sum to 100",
		rule: "split-weights",
		src: `tag "lead" {}

email "a" {
  subject = "Save 20%"
  body    = "Hi"
}

sms "b" {
  body = "A free month"
}

postcard "c" {
  front = "A gift"
  back  = "Hi"
}

account {
  sms_numbers = ["+15550100"]
}

sequence "offer" {
  step "pitch" {
    split {
      path {
        weight = 50
        email  = email.a
      }
      path {
        weight = 25
        sms    = sms.b
      }
      path {
        weight   = 25
        postcard = postcard.c
      }
    }
  }
}

rule "subscribe" {
  when = tag_added(tag.lead)
  then {
    add_to_sequence {
      sequence = sequence.offer
    }
  }
}
`,
	},

	// same-branch
	{
		name: "then and else to one element",
		rule: "same-branch",
		src: `tag "lead" {}
tag "customer" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.bought
  }

  condition "bought" {
    if   = has_tag(tag.customer)
    then = end.done
    else = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "same-branch", sev: W, at: `condition "bought"`,
			msg:  []string{"then and else", "end.done", "decides nothing"},
			hint: []string{"point one branch elsewhere"}}},
	},
	{
		name: "two paths of a split step send the same message",
		rule: "same-branch",
		src: `tag "lead" {}

email "a" {
  subject = "Save 20%"
  body    = "Hi"
}

email "b" {
  subject = "A free month"
  body    = "Hi"
}

sequence "offer" {
  step "pitch" {
    split {
      path {
        weight = 40
        email  = email.a
      }
      path {
        weight = 30
        email  = email.b
      }
      path {
        weight = 30
        email  = email.a
      }
    }
  }
}

rule "subscribe" {
  when = tag_added(tag.lead)
  then {
    add_to_sequence {
      sequence = sequence.offer
    }
  }
}
`,
		want: []want{{rule: "same-branch", sev: W, at: `email  = email.a
      }
    }`,
			msg:  []string{`paths 1 and 3 of the split of step "pitch" in sequence "offer" both send email "a"`, "cannot tell them apart"},
			hint: []string{"send another message on one of them", "one path with the sum of their weights"}}},
	},
	{
		name: "yes and no to one element",
		rule: "same-branch",
		src: `tag "lead" {}
product "pro" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = decision.bought
  }

  decision "bought" {
    on     = product_purchased(product.pro)
    within = "3d"
    yes    = end.done
    no     = end.done
  }

  end "done" {}
}
`,
		// A decision decides when, not where: "go on when the contact buys
		// or when within runs out, whichever is first" (issue 11, item 9).
		want: nil,
	},
	{
		name: "two split paths to one element",
		rule: "same-branch",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.ab
  }

  split "ab" {
    path {
      weight = 50
      next   = end.a
    }
    path {
      weight = 30
      next   = end.b
    }
    path {
      weight = 20
      next   = end.a
    }
  }

  end "a" {}
  end "b" {}
}
`,
		want: []want{{rule: "same-branch", sev: W, line: 20, msg: []string{"path 1 and path 3", "end.a", "cannot tell them apart"}, hint: []string{"sum of their weights"}}},
	},
	{
		name: "different branches, and a decision without no",
		rule: "same-branch",
		src: `tag "lead" {}
tag "customer" {}
product "pro" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.bought
  }

  condition "bought" {
    if   = has_tag(tag.customer)
    then = end.done
    else = decision.buys
  }

  decision "buys" {
    on     = product_purchased(product.pro)
    within = "3d"
    yes    = end.done
  }

  end "done" {}
}
`,
	},

	// draft-element
	{
		name: "draft action",
		rule: "draft-element",
		src: `tag "lead" {}
tag "warm" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = change_tags.warm
  }

  change_tags "warm" {
    draft = true
    add   = [tag.warm]
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `change_tags "warm"`,
			msg:  []string{`change_tags "warm"`, "contacts skip it", "go straight to end.done"},
			hint: []string{"remove draft = true"}}},
	},
	{
		name: "draft trigger and goal",
		rule: "draft-element",
		src: `tag "lead" {}
tag "customer" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  trigger "old" {
    draft = true
    on    = tag_added(tag.customer)
    next  = wait.day
  }

  goal "bought" {
    draft = true
    on    = tag_added(tag.customer)
    next  = end.done
  }

  wait "day" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "draft-element", sev: W, at: `trigger "old"`, msg: []string{"never enter through it"}, hint: []string{"draft = true"}},
			{rule: "draft-element", sev: W, at: `goal "bought"`, msg: []string{"never jump to it"}, hint: []string{"draft = true"}},
		},
	},
	{
		name: "draft end",
		rule: "draft-element",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {
    draft = true
  }
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `end "done"`, msg: []string{"stop there"}, hint: []string{"draft"}}},
	},
	{
		name: "draft steps of a step sequence and a date sequence",
		rule: "draft-element",
		src: `tag "lead" {}

field "birthday" {
  type = date
}

email "day_0" {
  subject = "Welcome"
  body    = "Hi"
}

email "day_5" {
  subject = "Five days in"
  body    = "Hi"
}

email "day_10" {
  subject = "Ten days in"
  body    = "Hi"
}

sequence "welcome" {
  unsubscribe_after_last_step = true

  step "day_0" {
    email = email.day_0
  }

  step "day_5" {
    draft = true
    schedule {
      days_after = 5
    }
    email = email.day_5
  }

  step "day_10" {
    schedule {
      days_after = 5
    }
    email = email.day_10
  }

  step "day_15" {
    draft = true
    schedule {
      days_after = 5
    }
    email = email.day_5
  }
}

sequence "dates" {
  kind = "date"

  step "birthday" {
    draft = true
    schedule {
      on_field = field.birthday
      annual   = true
    }
    email = email.day_0
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = fork.both
  }

  fork "both" {
    paths = [add_to_sequence.welcome, add_to_sequence.dates]
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome
  }

  add_to_sequence "dates" {
    sequence = sequence.dates
  }
}
`,
		want: []want{
			{rule: "draft-element", sev: W, at: `step "day_5"`,
				msg:  []string{`step "day_5" of sequence "welcome" is a draft`, "without getting it", `step "day_10" still counts its days from then`},
				hint: []string{"remove draft = true", "earlier"}},
			{rule: "draft-element", sev: W, at: `step "day_15"`,
				msg:  []string{`step "day_15" of sequence "welcome" is a draft`, "without getting it", "lets them go then"},
				hint: []string{"remove draft = true"}},
			{rule: "draft-element", sev: W, at: `step "birthday"`,
				msg:  []string{`step "birthday" of date sequence "dates" is a draft`, "never get it"},
				hint: []string{"remove draft = true"}},
		},
	},
	{
		name: "a draft step that means it",
		rule: "draft-element",
		src: `tag "lead" {}

email "welcome" {
  subject = "Welcome"
  body    = "Hi"
}

email "case_study" {
  subject = "How Acme doubled its leads"
  body    = "Still being written."
}

sequence "welcome" {
  step "welcome" {
    email = email.welcome
  }

  step "case_study" {
    draft  = true
    ignore = ["draft-element"]
    email  = email.case_study
  }
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_sequence.welcome
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome
  }
}
`,
	},
	{
		name: "draft = false",
		rule: "draft-element",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on    = tag_added(tag.lead)
    draft = false
    next  = end.done
  }

  end "done" {}
}
`,
	},
}
