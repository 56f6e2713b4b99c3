package validate_test

import "testing"

// Cases of rules_segments.go (modify-dynamic-segment,
// segment-depends-on-time, segment-cycle), and of the language rules on
// segments: a where that is no bool, a reference that names none, a
// segment nothing uses.

func TestSegmentRules(t *testing.T) { runCases(t, segmentCases) }

// segmentWorkspace is a trial campaign driven by a segment; cases add
// their blocks to it.
const segmentWorkspace = `product "pro" {}

segment "trial_users" {
  where = contact.stage == "trial" && !has_purchased(product.pro)
}

email "welcome" {
  subject = "Welcome"
  body    = "..."
}

campaign "trial" {
  trigger "entered" {
    on   = segment_entered(segment.trial_users)
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = decision.converted
  }

  decision "converted" {
    on     = segment_left(segment.trial_users)
    within = "14d"
    yes    = end.done
    no     = end.done
  }

  end "done" {}
}
`

var segmentCases = []ruleCase{
	// The language rules, on segments.
	{
		name: "a segment-driven campaign validates",
		rule: "unused",
		src:  segmentWorkspace,
	},
	{
		name: "a segment nothing uses",
		rule: "unused",
		src: segmentWorkspace + `
segment "vip_list" {}
`,
		want: []want{{rule: "unused", sev: W, at: `segment "vip_list"`,
			msg: []string{`segment "vip_list"`, "nothing uses it"}, hint: []string{"segment.vip_list"}}},
	},
	{
		name: "a where that is not a bool",
		rule: "type",
		src: segmentWorkspace + `
segment "scored" {
  where = contact.points
}

campaign "scored" {
  trigger "in" {
    on   = segment_entered(segment.scored)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "type", sev: E, at: `contact.points
}`, msg: []string{"where must be true or false", "a number"}, hint: []string{"compare it"}}},
	},
	{
		name: "a segment's where reads no event",
		rule: "unknown-reference",
		src: segmentWorkspace + `
event "appointment_booked" {
  property "service" {
    type = string
  }
}

segment "colour_clients" {
  where = event.service == "colour"
}

campaign "colour" {
  trigger "in" {
    on   = segment_entered(segment.colour_clients)
    next = end.done
  }

  trigger "booked" {
    on   = api("appointment_booked")
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "unknown-reference", sev: E, at: `event.service ==`,
			msg:  []string{"event.service cannot be read here", `segment "colour_clients"`, "the contact's record"},
			hint: []string{"read a contact field instead"}}},
	},
	{
		name: "a misspelt segment in an event and in in_segment",
		rule: "unknown-reference",
		src: segmentWorkspace + `
tag "go" {}

campaign "typos" {
  trigger "in" {
    on   = segment_entered(segment.trial_user)
    next = condition.trialling
  }

  condition "trialling" {
    if   = in_segment(segment.trail_users) || has_tag(tag.go)
    then = end.done
    else = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "unknown-reference", sev: E, at: `segment.trial_user)`, msg: []string{`no segment "trial_user"`}, hint: []string{"did you mean segment.trial_users"}},
			{rule: "unknown-reference", sev: E, at: `segment.trail_users)`, msg: []string{`no segment "trail_users"`}, hint: []string{"did you mean segment.trial_users"}},
		},
		allow: []string{"same-branch"},
	},
	{
		name: "in_segment and has_purchased take references, not strings",
		rule: "type",
		src: segmentWorkspace + `
campaign "strings" {
  trigger "in" {
    on   = segment_entered(segment.trial_users)
    next = condition.trialling
  }

  condition "trialling" {
    if   = in_segment("trial_users") || has_purchased(contact.stage)
    then = end.yes
    else = end.no
  }

  end "yes" {}
  end "no" {}
}
`,
		want: []want{
			{rule: "type", sev: E, at: `"trial_users")`, msg: []string{"in_segment takes a segment", `"trial_users" is not one`}, hint: []string{"in_segment(segment.trial_users)", "not a string"}},
			{rule: "type", sev: E, at: `contact.stage)`, msg: []string{"has_purchased takes a product", "contact.stage is not one"}, hint: []string{"has_purchased(product.NAME)"}},
		},
	},

	// modify-dynamic-segment
	{
		name: "adding to and removing from a dynamic segment",
		rule: "modify-dynamic-segment",
		src: segmentWorkspace + `
tag "go" {}
segment "vip_list" {}

campaign "vip" {
  trigger "go" {
    on   = tag_added(tag.go)
    next = modify_segments.mark
  }

  modify_segments "mark" {
    add    = [segment.vip_list, segment.trial_users]
    remove = [segment.trial_users]
  }
}
`,
		want: []want{
			{rule: "modify-dynamic-segment", sev: E, at: `segment.trial_users]
    remove`, msg: []string{`modify_segments "mark" cannot add contacts to segment "trial_users"`, "where is true of", "skips it"},
				hint: []string{"change what the where reads", "static"}, related: []string{`contact.stage == "trial"`}},
			{rule: "modify-dynamic-segment", sev: E, at: `segment.trial_users]
  }`, msg: []string{"cannot remove contacts from", `segment "trial_users"`}, hint: []string{"static"}},
		},
	},
	{
		name: "static segments changed by a rule",
		rule: "modify-dynamic-segment",
		src: segmentWorkspace + `
tag "go" {}
segment "vip_list" {}
segment "prospects" {}

rule "vip" {
  when = tag_added(tag.go)
  if   = in_segment(segment.prospects)
  then {
    modify_segments {
      add    = [segment.vip_list]
      remove = [segment.prospects]
    }
  }
}

campaign "vips" {
  trigger "in" {
    on   = segment_entered(segment.vip_list)
    next = end.done
  }

  end "done" {}
}
`,
	},

	// segment-depends-on-time
	{
		name: "a where that counts days",
		rule: "segment-depends-on-time",
		src: segmentWorkspace + `
segment "old_trials" {
  where = contact.stage == "trial" && days_since(contact.created_at) > 30
}

campaign "old" {
  trigger "in" {
    on   = segment_entered(segment.old_trials)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "segment-depends-on-time", sev: E, at: `days_since(contact.created_at)`,
			msg:  []string{`segment "old_trials"`, "days_since()", "as time passes", "only when the contact changes"},
			hint: []string{"date_reached(field.NAME)", "tags the contact"}}},
	},
	{
		name: "the clock in a campaign's condition, a date in a where",
		rule: "segment-depends-on-time",
		src: segmentWorkspace + `
field "renewal" {
  type = date
}

segment "renewing" {
  where = contact.renewal != "" && date_add(contact.renewal, "-7d") > "2026-01-01"
}

campaign "renewals" {
  trigger "in" {
    on   = segment_entered(segment.renewing)
    next = condition.soon
  }

  condition "soon" {
    if   = days_until(contact.renewal) < 7
    then = end.yes
    else = end.no
  }

  end "yes" {}
  end "no" {}
}
`,
	},

	// segment-cycle
	{
		name: "two segments that read each other",
		rule: "segment-cycle",
		src: segmentWorkspace + `
segment "engaged" {
  where = contact.points > 10 && !in_segment(segment.dormant)
}

segment "dormant" {
  where = !in_segment(segment.engaged)
}

campaign "engagement" {
  trigger "in" {
    on   = segment_entered(segment.engaged)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "segment-cycle", sev: E, at: `in_segment(segment.dormant)`,
			msg:     []string{`segment "engaged"`, "engaged -> dormant -> engaged", "no contact can be said"},
			hint:    []string{"static"},
			related: []string{`in_segment(segment.engaged)`}}},
	},
	{
		name: "a segment that reads itself",
		rule: "segment-cycle",
		src: segmentWorkspace + `
segment "loyal" {
  where = contact.points > 100 || in_segment(segment.loyal)
}

campaign "loyalty" {
  trigger "in" {
    on   = segment_entered(segment.loyal)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "segment-cycle", sev: E, at: `in_segment(segment.loyal)`,
			msg: []string{"loyal -> loyal"}, hint: []string{"static"}}},
	},
	{
		name: "segments that read others in a chain",
		rule: "segment-cycle",
		src: segmentWorkspace + `
segment "vip_list" {}

segment "engaged" {
  where = contact.points > 10
}

segment "engaged_vips" {
  where = in_segment(segment.engaged) && in_segment(segment.vip_list) && in_segment(segment.trial_users)
}

campaign "vips" {
  trigger "in" {
    on   = segment_entered(segment.engaged_vips)
    next = end.done
  }

  end "done" {}
}
`,
	},
}
