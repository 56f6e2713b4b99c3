package validate_test

import "testing"

// Cases of rules_entry.go: no-entry, missing-added-trigger, unreachable.

func TestEntryRules(t *testing.T) { runCases(t, entryCases) }

var entryCases = []ruleCase{
	// no-entry
	{
		name: "campaign with a goal but no trigger",
		rule: "no-entry",
		src: `tag "customer" {}

campaign "orphan" {
  goal "bought" {
    on   = tag_added(tag.customer)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "no-entry", sev: E, at: `campaign "orphan"`,
			msg:  []string{`campaign "orphan"`, "no trigger", "no contact can ever enter it"},
			hint: []string{"add a trigger"}}},
	},
	{
		name: "only a draft trigger, only a draft add_to_campaign",
		rule: "no-entry",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.enrol
  }

  add_to_campaign "enrol" {
    draft    = true
    campaign = campaign.later
  }
}

campaign "later" {
  trigger "added" {
    draft = true
    on    = added_to_campaign()
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "no-entry", sev: E, at: `campaign "later" {`, msg: []string{"only draft triggers", "no contact can ever enter"}, hint: []string{"remove draft = true"}},
			{rule: "draft-element", sev: W, at: `add_to_campaign "enrol"`, msg: []string{"skip"}, hint: []string{"draft"}},
			{rule: "draft-element", sev: W, at: `trigger "added"`, msg: []string{"never enter"}, hint: []string{"draft"}},
		},
	},
	{
		name: "entered only through add_to_campaign of a rule",
		rule: "no-entry",
		src: `tag "vip" {}

rule "vips" {
  when = tag_added(tag.vip)
  then {
    add_to_campaign {
      campaign = campaign.vip
    }
  }
}

campaign "vip" {
  trigger "added" {
    on   = added_to_campaign()
    next = end.done
  }

  end "done" {}
}
`,
	},

	// missing-added-trigger
	{
		name: "added contacts go nowhere",
		rule: "missing-added-trigger",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.vip
  }

  add_to_campaign "vip" {
    campaign = campaign.vip
  }
}

campaign "vip" {
  trigger "tagged" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "missing-added-trigger", sev: E, at: `add_to_campaign "vip"`,
			msg:  []string{`add_to_campaign "vip"`, `campaign "vip"`, "no added_to_campaign() trigger", "go nowhere"},
			hint: []string{"added_to_campaign()", `campaign "vip"`}}},
	},
	{
		name: "from a rule, across two files",
		rule: "missing-added-trigger",
		files: map[string]string{
			"rules.journey.hcl": `tag "vip" {}

rule "vips" {
  when = tag_added(tag.vip)
  then {
    add_to_campaign {
      campaign = campaign.vip
    }
  }
}
`,
			"vip.journey.hcl": `campaign "vip" {
  trigger "tagged" {
    on   = tag_added(tag.vip)
    next = end.done
  }

  end "done" {}
}
`,
		},
		want: []want{{rule: "missing-added-trigger", sev: E, file: "rules.journey.hcl", at: `add_to_campaign {`,
			msg: []string{`the add_to_campaign action of rule "vips"`, "go nowhere"}, hint: []string{"added_to_campaign()"}}},
	},
	{
		name: "a draft added trigger does not count",
		rule: "missing-added-trigger",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.vip
  }

  add_to_campaign "vip" {
    campaign = campaign.vip
  }
}

campaign "vip" {
  trigger "tagged" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  trigger "added" {
    draft = true
    on    = added_to_campaign()
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "missing-added-trigger", sev: E, at: `add_to_campaign "vip"`, msg: []string{"go nowhere"}, hint: []string{"added_to_campaign()"}},
			{rule: "draft-element", sev: W, at: `trigger "added"`, msg: []string{"never enter"}, hint: []string{"draft"}},
		},
	},
	{
		name: "campaign with an added trigger",
		rule: "missing-added-trigger",
		src: `tag "lead" {}

campaign "c" {
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
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "a draft add_to_campaign adds no one",
		rule: "missing-added-trigger",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = add_to_campaign.vip
  }

  add_to_campaign "vip" {
    draft    = true
    campaign = campaign.vip
  }
}

campaign "vip" {
  trigger "tagged" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `add_to_campaign "vip"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},

	// unreachable
	{
		name: "element nothing points at",
		rule: "unreachable",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  wait "forgotten" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "unreachable", sev: W, at: `wait "forgotten"`,
			msg:  []string{`wait "forgotten"`, "no contact will ever get here"},
			hint: []string{"point a next at wait.forgotten", "remove it"}}},
	},
	{
		name: "only behind a draft trigger",
		rule: "unreachable",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  trigger "old" {
    draft = true
    on    = tag_added(tag.lead)
    next  = wait.aged
  }

  wait "aged" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "unreachable", sev: W, at: `wait "aged"`, msg: []string{"no contact"}, hint: []string{"wait.aged"}},
			{rule: "draft-element", sev: W, at: `trigger "old"`, msg: []string{"never enter"}, hint: []string{"draft"}},
		},
	},
	{
		name: "a second element of one name is duplicate-name's to report",
		rule: "unreachable",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}

  end "done" {
    exit = true
  }
}
`,
		want: []want{{rule: "duplicate-name", sev: E, at: `end "done" {
    exit`, msg: []string{`two elements named "done"`}, hint: []string{"rename"}}},
	},
	{
		name: "reached from a goal, through a draft, and down every branch",
		rule: "unreachable",
		src: `tag "lead" {}
tag "customer" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
  }

  split "test" {
    path {
      weight = 50
      next   = adjust_points.a
    }
    path {
      weight = 50
      next   = fork.both
    }
  }

  adjust_points "a" {
    draft  = true
    points = 1
    next   = end.done
  }

  fork "both" {
    paths = [end.done, wait.day]
  }

  wait "day" {
    for  = "1d"
    next = end.done
  }

  goal "bought" {
    on   = tag_added(tag.customer)
    next = adjust_points.thanks
  }

  adjust_points "thanks" {
    points = 10
    next   = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `adjust_points "a"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},
}
