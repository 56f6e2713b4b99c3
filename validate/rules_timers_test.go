package validate_test

import "testing"

// Cases of rules_timers.go: unconfigured-timer, empty-window, past-date,
// consecutive-waits.

func TestTimerRules(t *testing.T) { runCases(t, timerCases) }

var timerCases = []ruleCase{
	// unconfigured-timer
	{
		name: "wait without settings",
		rule: "unconfigured-timer",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.later
  }

  wait "later" {
    time_zone = "contact"
    next      = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "unconfigured-timer", sev: E, at: `wait "later"`,
			msg:  []string{`wait "later"`, "no timer settings", "stop here forever"},
			hint: []string{"for", "until", "between", "on_days"}}},
	},
	{
		name: "step schedule without settings",
		rule: "unconfigured-timer",
		src: `email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "tip" {
    schedule {
      time_zone = "contact"
    }
    email = email.tip
  }
}

rule "enrol" {
  when = contact_created()
  then {
    add_to_sequence {
      sequence = sequence.tips
    }
  }
}
`,
		want: []want{{rule: "unconfigured-timer", sev: E, at: `schedule {`,
			msg:  []string{`step "tip"`, `sequence "tips"`, "stop before it forever"},
			hint: []string{"days_after", "remove the empty schedule block"}}},
	},
	{
		name: "appointment time without settings",
		rule: "unconfigured-timer",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = create_appointment.demo
  }

  create_appointment "demo" {
    title = "Demo"
    at {}
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "unconfigured-timer", sev: E, at: `at {}`,
			msg:  []string{`create_appointment "demo"`, "never booked"},
			hint: []string{"for", "until"}}},
	},
	{
		name: "a single setting is enough",
		rule: "unconfigured-timer",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.morning
  }

  wait "morning" {
    at   = "07:00"
    next = wait.weekday
  }

  wait "weekday" {
    on_days = weekdays
    next    = end.done
  }

  end "done" {}
}
`,
		allow: []string{"consecutive-waits"},
	},
	{
		name: "step without a schedule block fires at the default send time",
		rule: "unconfigured-timer",
		src: `email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "tip" {
    email = email.tip
  }
}

rule "enrol" {
  when = contact_created()
  then {
    add_to_sequence {
      sequence = sequence.tips
    }
  }
}
`,
	},
	{
		name: "a draft step keeps its place: its empty schedule holds contacts",
		rule: "unconfigured-timer",
		src: `email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "later" {
    draft = true
    schedule {
      time_zone = "contact"
    }
    email = email.tip
  }

  step "tip" {
    email = email.tip
  }
}

rule "enrol" {
  when = contact_created()
  then {
    add_to_sequence {
      sequence = sequence.tips
    }
  }
}
`,
		want: []want{
			{rule: "unconfigured-timer", sev: E, at: `schedule {`, msg: []string{`step "later"`, "stop before it forever"}, hint: []string{"days_after"}},
			{rule: "draft-element", sev: W, at: `step "later"`, msg: []string{"draft"}, hint: []string{"draft = true"}},
		},
	},
	{
		name: "draft wait holds no one",
		rule: "unconfigured-timer",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.later
  }

  wait "later" {
    draft = true
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `wait "later"`, msg: []string{"draft", "end.done"}, hint: []string{"draft = true"}}},
	},
	{
		name: "in the JSON syntax",
		rule: "unconfigured-timer",
		files: map[string]string{"main.journey.json": `{
  "tag": {"lead": {}},
  "campaign": {
    "c": {
      "trigger": {
        "new": {
          "on": "tag_added(tag.lead)",
          "next": "wait.later"
        }
      },
      "wait": {
        "later": {
          "next": "end.done"
        }
      },
      "end": {"done": {}}
    }
  }
}
`},
		want: []want{{rule: "unconfigured-timer", sev: E, file: "main.journey.json", line: 12,
			msg: []string{`wait "later"`, "forever"}, hint: []string{"for"}}},
	},

	// empty-window
	{
		name: "no day allowed",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
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
		want: []want{{rule: "empty-window", sev: E, at: `on_days = []`,
			msg:  []string{`wait "never"`, "can never fire", "on_days is empty", "wait here forever"},
			hint: []string{"at least one day"}}},
	},
	{
		name: "window closes before it opens",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.night
  }

  wait "night" {
    for     = "1d"
    between = ["22:00", "06:00"]
    next    = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "empty-window", sev: E, at: `between = ["22:00", "06:00"]`,
			msg:  []string{"22:00", "06:00", "forever"},
			hint: []string{"window that opens before it closes"}}},
	},
	{
		name: "at outside the window",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.evening
  }

  wait "evening" {
    at      = "19:00"
    between = ["09:00", "17:00"]
    next    = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "empty-window", sev: E, at: `at      = "19:00"`,
			msg:  []string{"19:00", "outside the window", "forever"},
			hint: []string{"keep at inside"}}},
	},
	{
		name: "at on the closing minute is outside",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.close
  }

  wait "close" {
    at      = "17:00"
    between = ["09:00", "17:00"]
    next    = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "empty-window", sev: E, at: `at      = "17:00"`, msg: []string{"outside"}, hint: []string{"inside"}}},
	},
	{
		name: "step allows no day",
		rule: "empty-window",
		src: `email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "tip" {
    schedule {
      days_after = 1
      on_days    = []
    }
    email = email.tip
  }
}

rule "enrol" {
  when = contact_created()
  then {
    add_to_sequence {
      sequence = sequence.tips
    }
  }
}
`,
		want: []want{{rule: "empty-window", sev: E, at: `on_days    = []`,
			msg:  []string{`step "tip"`, `sequence "tips"`, "never fire", "no later step"},
			hint: []string{"at least one day"}}},
	},
	{
		name: "appointment window is empty",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = create_appointment.demo
  }

  create_appointment "demo" {
    title = "Demo"
    at {
      for     = "2d"
      between = ["17:00", "09:00"]
    }
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "empty-window", sev: E, at: `between = ["17:00", "09:00"]`,
			msg: []string{`create_appointment "demo"`, "never booked"}, hint: []string{"window"}}},
	},
	{
		name: "at on the opening minute and a weekend wait",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.open
  }

  wait "open" {
    at      = "09:00"
    between = ["09:00", "17:00"]
    on_days = ["sat", "sun"]
    next    = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "draft wait with an empty window",
		rule: "empty-window",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.never
  }

  wait "never" {
    draft   = true
    on_days = []
    next    = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `wait "never"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},

	// past-date
	{
		name: "wait until a date gone by",
		rule: "past-date",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.launch
  }

  wait "launch" {
    until = "2026-05-01"
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "past-date", sev: W, at: `until = "2026-05-01"`,
			msg:  []string{`wait "launch"`, "2026-05-01", "has passed", "go straight on"},
			hint: []string{"future date"}}},
	},
	{
		name: "earlier the same day in the account's zone",
		rule: "past-date",
		// testNow is 2026-06-01 00:00 UTC, 2026-05-31 20:00 in New York.
		src: `account {
  time_zone = "America/New_York"
}

tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.launch
  }

  wait "launch" {
    until = "2026-05-31T19:00:00"
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "past-date", sev: W, at: `until = "2026-05-31T19:00:00"`, msg: []string{"19:00", "passed"}, hint: []string{"future"}}},
	},
	{
		name: "later the same evening in the account's zone",
		rule: "past-date",
		// 2026-05-31 21:00 in New York is 2026-06-01 01:00 UTC: still ahead.
		src: `account {
  time_zone = "America/New_York"
}

tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.launch
  }

  wait "launch" {
    until = "2026-05-31T21:00:00"
    next  = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "date step gone by",
		rule: "past-date",
		src: `email "xmas" {
  subject = "Merry Christmas"
  body    = "..."
}

sequence "holidays" {
  kind                        = "date"
  unsubscribe_after_last_step = true

  step "xmas" {
    schedule {
      date = "2025-12-24"
    }
    email = email.xmas
  }
}

rule "enrol" {
  when = contact_created()
  then {
    add_to_sequence {
      sequence = sequence.holidays
    }
  }
}
`,
		want: []want{{rule: "past-date", sev: W, at: `date = "2025-12-24"`,
			msg:  []string{`step "xmas"`, `sequence "holidays"`, "no contact will get it"},
			hint: []string{"future date", "remove the step"}}},
	},
	{
		name: "appointment on a date gone by",
		rule: "past-date",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = create_appointment.demo
  }

  create_appointment "demo" {
    title = "Demo"
    at {
      until = "2026-01-15"
    }
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "past-date", sev: W, at: `until = "2026-01-15"`,
			msg: []string{`create_appointment "demo"`, "appointment", "in the past"}, hint: []string{"future date"}}},
	},
	{
		name: "future dates and a field date",
		rule: "past-date",
		src: `field "renewal" {
  type = date
}

tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.launch
  }

  wait "launch" {
    until = "2026-06-02"
    next  = condition.renewing
  }

  condition "renewing" {
    if   = has_tag(tag.lead)
    then = wait.renewal
    else = end.done
  }

  wait "renewal" {
    until_field = field.renewal
    offset      = "-30d"
    next        = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "draft wait on a date gone by",
		rule: "past-date",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.launch
  }

  wait "launch" {
    draft = true
    until = "2020-01-01"
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `wait "launch"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},

	// consecutive-waits
	{
		name: "wait after wait",
		rule: "consecutive-waits",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    for  = "1d"
    next = wait.b
  }

  wait "b" {
    for  = "2h"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "consecutive-waits", sev: W, at: `wait "a"`,
			msg:  []string{`wait "a"`, `wait "b"`, "one wait says the same"},
			hint: []string{"merge"}}},
	},
	{
		name: "in the JSON syntax",
		rule: "consecutive-waits",
		files: map[string]string{"main.journey.json": `{
  "tag": {"lead": {}},
  "campaign": {
    "c": {
      "trigger": {
        "new": {"on": "tag_added(tag.lead)", "next": "wait.a"}
      },
      "wait": {
        "a": {"for": "1d", "next": "wait.b"},
        "b": {"for": "2h", "next": "end.done"}
      },
      "end": {"done": {}}
    }
  }
}
`},
		want: []want{{rule: "consecutive-waits", sev: W, file: "main.journey.json", line: 9,
			msg: []string{`wait "a"`, `wait "b"`}, hint: []string{"merge"}}},
	},
	{
		name: "an action between the waits",
		rule: "consecutive-waits",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    for  = "1d"
    next = adjust_points.warm
  }

  adjust_points "warm" {
    points = 5
    next   = wait.b
  }

  wait "b" {
    for  = "2h"
    next = end.done
  }

  end "done" {}
}
`,
	},
	{
		name: "a draft action between the waits",
		rule: "consecutive-waits",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    for  = "1d"
    next = adjust_points.warm
  }

  adjust_points "warm" {
    draft  = true
    points = 5
    next   = wait.b
  }

  wait "b" {
    for  = "2h"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "consecutive-waits", sev: W, at: `wait "a"`, msg: []string{`wait "a"`, `wait "b"`}, hint: []string{"merge"}, related: []string{`wait "b"`}},
			{rule: "draft-element", sev: W, at: `adjust_points "warm"`, msg: []string{"wait.b"}, hint: []string{"draft"}},
		},
	},
	{
		name: "a draft second wait",
		rule: "consecutive-waits",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    for  = "1d"
    next = wait.b
  }

  wait "b" {
    draft = true
    for   = "2h"
    next  = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "draft-element", sev: W, at: `wait "b"`, msg: []string{"skip"}, hint: []string{"draft"}}},
	},
}
