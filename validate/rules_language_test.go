package validate_test

import "testing"

// Cases of the language rules, which lang and the compiler report while
// loading and resolving: syntax, schema, type, invalid-value,
// unknown-reference, duplicate-name, expression-too-deep.

func TestLanguageRules(t *testing.T) { runCases(t, languageCases) }

var languageCases = []ruleCase{
	// syntax
	{
		name: "unclosed block",
		rule: "syntax",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }
`,
		want: []want{{rule: "syntax", sev: E, line: 3, msg: []string{"unclosed"}}},
	},
	{
		name: "broken JSON beside a good file: the workspace is not judged",
		rule: "syntax",
		files: map[string]string{
			"broken.journey.json": `{"tag": {"lead": {}},}`,
			"good.journey.hcl": `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.later
  }

  wait "later" {}
}
`,
		},
		// No unknown-reference for tag.lead and no unconfigured-timer: with
		// a file missing, whole-workspace judgements would be guesses.
		want: []want{
			{rule: "syntax", sev: E, file: "broken.journey.json", at: `,}`, msg: []string{"trailing comma"}},
			// HCL's JSON parser adds this one for the same comma.
			{rule: "syntax", sev: E, file: "broken.journey.json", at: `{"tag"`, msg: []string{"root value"}},
		},
	},
	{
		name: "syntax findings survive --rule",
		rule: "syntax",
		opts: optsOnly("unused"),
		src:  `tag "lead" {`,
		want: []want{{rule: "syntax", sev: E, line: 1, msg: []string{"unclosed"}}},
	},
	{
		// HCL's JSON syntax writes expressions as "${...}": a reference
		// written so is the reference (it was once a type error whose
		// hint asked for the native syntax), and a misspelt one is an
		// unknown-reference at its string.
		name: "a ${...} reference in a JSON file",
		rule: "type",
		files: map[string]string{"main.journey.json": `{
  "tag": {"lead": {}},
  "campaign": {
    "c": {
      "trigger": {
        "new": {"on": "tag_added(tag.lead)", "next": "${end.done}"},
        "again": {"on": "tag_added(tag.lead)", "next": "${end.dnoe}"}
      },
      "end": {"done": {}}
    }
  }
}
`},
		want: []want{{rule: "unknown-reference", sev: E, file: "main.journey.json", at: `"${end.dnoe}"`,
			msg: []string{`no end "dnoe"`}, hint: []string{"did you mean end.done"}}},
	},
	{
		name: "the same workspace in both syntaxes",
		rule: "syntax",
		files: map[string]string{
			"tags.journey.json": `{"tag": {"lead": {}, "customer": {}}}`,
			"main.journey.hcl": `campaign "c" {
  trigger "new" {
    on    = tag_added(tag.lead)
    where = !has_tag(tag.customer)
    next  = end.done
  }

  end "done" {}
}
`,
		},
	},

	// schema
	{
		name: "misspelled attribute",
		rule: "schema",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for  = "1d"
    next = end.done
  }

  end "done" {
    exti = true
  }
}
`,
		want: []want{{rule: "schema", sev: E, at: `exti = true`, msg: []string{`"exti" is not expected here`}, hint: []string{`did you mean "exit"`}}},
	},
	{
		// set is the whole list of the contact's tags: beside add or
		// remove it would contradict itself.
		name: "change_tags set with add and remove",
		rule: "schema",
		src: `tag "lead" {}
tag "customer" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = change_tags.mark
  }

  change_tags "mark" {
    set    = [tag.customer]
    add    = [tag.lead]
    remove = [tag.lead]
  }
}
`,
		want: []want{
			{rule: "schema", sev: E, at: `add    = [tag.lead]`, msg: []string{"sets both set and add", "exclude each other"}, hint: []string{"keep only one of set or add"}},
			{rule: "schema", sev: E, at: `remove = [tag.lead]`, msg: []string{"sets both set and remove", "exclude each other"}, hint: []string{"keep only one of set or remove"}},
		},
	},
	{
		// to takes owner, the contact's owner, as a bare word; another bare
		// word is neither that nor a reference nor an address.
		name: "to = a misspelt owner",
		rule: "type",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = notify_email.tell
  }

  notify_email "tell" {
    to      = ownr
    subject = "New lead"
    body    = "Call ${contact.first_name}"
    next    = notify_sms.text
  }

  notify_sms "text" {
    to   = owner
    body = "New lead"
  }
}
`,
		want: []want{{rule: "type", sev: E, at: `ownr`, msg: []string{"to must be a user.NAME, owner or a string, not ownr"}, hint: []string{"did you mean owner?"}}},
		// notify_sms needs a number to send from; not the point here.
		allow: []string{"sms-without-number"},
	},
	{
		name: "misspelled next in a wait",
		rule: "schema",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for = "1d"
    nxt = end.done
  }

  end "done" {}
}
`,
		want:  []want{{rule: "schema", sev: E, at: `nxt = end.done`, msg: []string{`"nxt" is not expected here`}, hint: []string{`did you mean "next"`}}},
		allow: []string{"unreachable"},
	},
	{
		name: "missing required attribute, unknown element kind, two step contents",
		rule: "schema",
		src: `tag "lead" {}

email "tip" {
  subject = "A tip"
  body    = "..."
}

sms "hello" {
  body = "Hello"
  from = "+15550100"
}

sequence "s" {
  unsubscribe_after_last_step = true

  step "both" {
    email = email.tip
    sms   = sms.hello
  }
}

campaign "c" {
  trigger "new" {
    next = add_to_sequence.s
  }

  add_to_sequence "s" {
    sequence = sequence.s
    next     = end.done
  }

  frok "both" {}

  end "done" {}
}
`,
		want: []want{
			{rule: "schema", sev: E, at: `trigger "new"`, msg: []string{`trigger "new" has no on`}, hint: []string{"add on ="}},
			{rule: "schema", sev: E, at: `sms   = sms.hello`, msg: []string{`step "both"`, "exactly one thing"}, hint: []string{"split it into two steps"}},
			{rule: "schema", sev: E, at: `frok "both"`, msg: []string{`"frok"`}, hint: []string{`did you mean "fork"`}},
		},
		// The trigger without on uses no tag.
		allow: []string{"unused"},
	},
	{
		// The step's parts are the table's: each action with a Step, then
		// the rule and split blocks.
		name: "a step that does nothing",
		rule: "schema",
		src: `sequence "s" {
  step "empty" {
    schedule {
      days_after = 1
    }
  }
}
`,
		want: []want{{rule: "schema", sev: E, at: `step "empty"`,
			msg:  []string{`step "empty" does nothing: it has none of email, sms, `, `, task, fulfillment, rule, split`},
			hint: []string{"give the step exactly one of email, sms, ", ", fulfillment, a rule block or a split block"}}},
		allow: []string{"unused"},
	},
	{
		// A step option goes with its content: wait_for_completion with
		// task, not with email.
		name: "wait_for_completion on a step that is no task",
		rule: "schema",
		src: `email "tip" {
  subject = "A tip"
  body    = "Did you know..."
}

sequence "s" {
  step "tip" {
    email               = email.tip
    wait_for_completion = true
  }
}
`,
		want: []want{{rule: "schema", sev: E, at: `wait_for_completion = true`,
			msg:  []string{`step "tip" sets wait_for_completion without task`},
			hint: []string{"remove wait_for_completion", "task = task.NAME"}}},
		allow: []string{"unused"},
	},
	{
		name: "an unknown attribute with no near name",
		rule: "schema",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on     = tag_added(tag.lead)
    next   = end.done
    colour = "blue"
  }

  end "done" {}
}
`,
		want: []want{{rule: "schema", sev: E, at: `colour = "blue"`, msg: []string{`"colour" is not expected here`},
			hint: []string{"remove it", `trigger "new" takes`, "description, draft, ignore, key, next, on, where"}}},
	},
	{
		// Each number is one wrong value, reported once (HCL's JSON body
		// reported each twice), and no block: "b" is not declared twice.
		name:  "a JSON label holding an array of numbers",
		rule:  "schema",
		files: map[string]string{"main.journey.json": `{"tag": {"b": [1, 2]}}` + "\n"},
		want: []want{
			{rule: "schema", sev: E, file: "main.journey.json", at: `1`, msg: []string{`tag "b"`, "JSON object", "not a number"}, hint: []string{`"b": {`}},
			{rule: "schema", sev: E, file: "main.journey.json", at: `2`, msg: []string{`tag "b"`, "JSON object", "not a number"}, hint: []string{`"b": {`}},
		},
	},
	{
		name: "a JSON element given as a string, a split's paths as an array of strings",
		rule: "schema",
		files: map[string]string{"main.journey.json": `{
  "tag": {"lead": {}},
  "campaign": {
    "c": {
      "trigger": {"new": {"on": "tag_added(tag.lead)", "next": "split.s"}},
      "split": {"s": {"path": [{"weight": 50, "next": "end.done"}, "end.other"]}},
      "end": {"done": {}}
    }
  }
}
`},
		want: []want{
			{rule: "schema", sev: E, file: "main.journey.json", at: `"end.other"`, msg: []string{"path", "JSON object", "not a string"}, hint: []string{"{"}},
		},
		allow: []string{"split-weights"},
	},
	{
		name: "unknown keys in a JSON file",
		rule: "schema",
		files: map[string]string{"main.journey.json": `{
  "tag": {"lead": {"colour": "blue"}},
  "campaign": {
    "c": {
      "trigger": {"new": {"on": "tag_added(tag.lead)", "next": "end.done", "nxt": "end.done"}},
      "end": {"done": {}}
    }
  }
}
`},
		want: []want{
			{rule: "schema", sev: E, file: "main.journey.json", at: `"colour"`, msg: []string{`"colour"`},
				hint: []string{"remove it", `tag "lead" takes: description`}},
			{rule: "schema", sev: E, file: "main.journey.json", at: `"nxt"`, msg: []string{`"nxt"`}, hint: []string{`did you mean "next"`}},
		},
	},
	{
		name: "an unknown block in a block that takes none",
		rule: "schema",
		src: `tag "lead" {
  labels {}
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "schema", sev: E, at: `labels {}`, msg: []string{`Blocks of type "labels" are not expected here`},
			hint: []string{"remove it", `tag "lead" takes no blocks`}}},
	},
	{
		name: "added_to_campaign() outside a trigger",
		rule: "schema",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  goal "added" {
    on   = added_to_campaign()
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "schema", sev: E, at: `added_to_campaign()`, msg: []string{"only starts a campaign"}, hint: []string{"trigger"}}},
	},
	{
		name: "every attribute where it belongs",
		rule: "schema",
		src: `tag "lead" {}

campaign "c" {
  description = "Welcome"
  reentry     = "30d"

  trigger "new" {
    description = "Tagged leads"
    on          = tag_added(tag.lead)
    next        = wait.day
  }

  wait "day" {
    for       = "1d"
    at        = "09:00"
    time_zone = "contact"
    next      = end.done
  }

  end "done" {
    exit = true
  }
}
`,
	},

	// type
	{
		name: "a string for a number, a comparison of a number to a string",
		rule: "type",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.hot
  }

  condition "hot" {
    if   = contact.points > "ten"
    then = split.test
    else = end.done
  }

  split "test" {
    path {
      weight = "half"
      next   = end.done
    }
    path {
      weight = 50
      next   = end.other
    }
  }

  end "done" {}
  end "other" {}
}
`,
		want: []want{
			{rule: "type", sev: E, at: `"ten"`, msg: []string{"a number is required"}, hint: []string{"contact.points > 10"}},
			{rule: "type", sev: E, at: `"half"`, msg: []string{"weight must be a number"}, hint: []string{"weight = 50"}},
		},
	},
	{
		name: "a quoted reference, a date field set to text",
		rule: "type",
		src: `tag "lead" {}

field "trial_ends" {
  type = date
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = "update_contact.trial"
  }

  update_contact "trial" {
    set  = { trial_ends = "soon" }
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "type", sev: E, at: `"update_contact.trial"`, msg: []string{"reference"}, hint: []string{"without quotes"}},
			{rule: "type", sev: E, at: `"soon"`, msg: []string{"trial_ends"}, hint: []string{"2026"}},
		},
		allow: []string{"unreachable"},
	},
	{
		// lang and the compiler name a value's type in the same words.
		name: "an object where true or false is wanted",
		rule: "type",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.hot
  }

  condition "hot" {
    if   = { points = 1 }
    then = end.won
    else = end.done
  }

  end "won" {}
  end "done" {}
}
`,
		want: []want{
			{rule: "type", sev: E, at: `{ points = 1 }`, msg: []string{"must be true or false, but this is an object"}, hint: []string{"compare it"}},
		},
	},
	{
		name: "values of the right type",
		rule: "type",
		src: `tag "lead" {}

field "trial_ends" {
  type = date
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = condition.hot
  }

  condition "hot" {
    if   = contact.points > 10 && days_since(contact.created_at) < 30
    then = update_contact.trial
    else = end.done
  }

  update_contact "trial" {
    set  = { trial_ends = "2026-07-01", points = contact.points + 5 }
    next = end.done
  }

  end "done" {}
}
`,
	},

	// invalid-value
	{
		name: "malformed duration, time, weekday, zone, URL, method, address",
		rule: "invalid-value",
		src: `tag "lead" {}

email "hi" {
  subject = "Hi"
  body    = "..."
  from    = "not-an-address"
}

webhook "crm" {
  url    = "ftp://crm.example.com"
  method = "FETCH"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for       = "2 days"
    at        = "25:00"
    on_days   = ["funday"]
    time_zone = "Mars/Base"
    next      = send_email.hi
  }

  send_email "hi" {
    email = email.hi
    next  = webhook.crm
  }

  webhook "crm" {
    webhook = webhook.crm
    next    = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "invalid-value", sev: E, at: `"not-an-address"`, msg: []string{"not an e-mail address"}, hint: []string{"team@example.com"}},
			{rule: "invalid-value", sev: E, at: `"ftp://crm.example.com"`, msg: []string{"not an http(s) URL"}, hint: []string{"https://"}},
			{rule: "invalid-value", sev: E, at: `"FETCH"`, msg: []string{"not one of"}, hint: []string{"did you mean"}},
			{rule: "invalid-value", sev: E, at: `"2 days"`, msg: []string{"not a duration"}, hint: []string{`"2d"`}},
			{rule: "invalid-value", sev: E, at: `"25:00"`, msg: []string{"not a time of day"}, hint: []string{"07:00"}},
			{rule: "invalid-value", sev: E, at: `"funday"`, msg: []string{"not a weekday"}, hint: []string{`"mon"`}},
			{rule: "invalid-value", sev: E, at: `"Mars/Base"`, msg: []string{"not an IANA time zone"}, hint: []string{"America/New_York"}},
		},
	},
	{
		name: "a webhook URL with credentials",
		rule: "invalid-value",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = webhook.crm
  }

  webhook "crm" {
    url  = "https://sync:hunter2@crm.example.com/hook"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "invalid-value", sev: E, at: `"https://sync:hunter2@crm.example.com/hook"`,
			msg: []string{"carries credentials", "https://sync:xxxxx@crm.example.com/hook"}, hint: []string{"remove the user and password", "never in the plan"}}},
	},
	{
		name: "ignore names no rule, or a language rule",
		rule: "invalid-value",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for    = "1d"
    next   = end.done
    ignore = ["consecutive-wait", "syntax"]
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "invalid-value", sev: E, at: `"consecutive-wait"`, msg: []string{`no rule "consecutive-wait"`}, hint: []string{`did you mean "consecutive-waits"`}},
			{rule: "invalid-value", sev: E, at: `"syntax"`, msg: []string{"cannot be ignored"}, hint: []string{"fix the problem"}},
		},
	},
	{
		name: "well-formed values",
		rule: "invalid-value",
		src: `tag "lead" {}

email "hi" {
  subject = "Hi"
  body    = "..."
  from    = "Team <team@example.com>"
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.day
  }

  wait "day" {
    for       = "1d10h"
    at        = "07:00"
    on_days   = ["mon", "wed", "fri"]
    time_zone = "Europe/Berlin"
    next      = send_email.hi
  }

  send_email "hi" {
    email = email.hi
    next  = end.done
  }

  end "done" {}
}
`,
	},

	// unknown-reference
	{
		name: "misspelled tag and merge field",
		rule: "unknown-reference",
		src: `tag "lead" {}

email "hi" {
  subject = "Hi ${contact.frist_name}"
  body    = "..."
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.leed)
    next = send_email.hi
  }

  send_email "hi" {
    email = email.hi
    next  = wait.dya
  }

  wait "day" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "unknown-reference", sev: E, at: `contact.frist_name`, msg: []string{`no field "frist_name"`}, hint: []string{"contact.first_name"}},
			{rule: "unknown-reference", sev: E, at: `tag.leed`, msg: []string{`no tag "leed"`}, hint: []string{"tag.lead"}},
			{rule: "unknown-reference", sev: E, at: `wait.dya`, msg: []string{`no wait "dya"`}, hint: []string{"wait.day"}},
		},
		// tag.lead and wait.day are no longer referenced.
		allow: []string{"unused", "unreachable"},
	},
	{
		// owner.NAME reads the contact's owner, a user: its name, email
		// and phone.
		name: "misspelled owner attribute and owner",
		rule: "unknown-reference",
		src: `tag "lead" {}

email "hi" {
  subject   = "Hi from ${owner.nmae}"
  from_name = "${ownr.name} at Acme"
  body      = "..."
}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.hi
  }

  send_email "hi" {
    email = email.hi
  }
}
`,
		want: []want{
			{rule: "unknown-reference", sev: E, at: `owner.nmae`, msg: []string{`the contact's owner (a user) has no "nmae"`}, hint: []string{"did you mean owner.name?"}},
			{rule: "unknown-reference", sev: E, at: `ownr.name`, msg: []string{`no "ownr" here`}, hint: []string{"did you mean owner?"}},
		},
	},
	{
		name: "references across files",
		rule: "unknown-reference",
		files: map[string]string{
			"assets.journey.hcl": `tag "lead" {}

email "hi" {
  subject = "Hi ${contact.first_name}"
  body    = "Your plan: ${contact.plan}"
}

field "plan" {
  type = string
}
`,
			"main.journey.hcl": `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.hi
  }

  send_email "hi" {
    email = email.hi
    next  = end.done
  }

  end "done" {}
}
`,
		},
	},

	// duplicate-name
	{
		name: "two elements of one name in one campaign",
		rule: "duplicate-name",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.done
  }

  wait "done" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "duplicate-name", sev: E, at: `end "done"`,
			msg:     []string{`two elements named "done"`, "unique within a campaign"},
			hint:    []string{"rename one of them"},
			related: []string{`wait "done"`}}},
	},
	{
		name: "one declaration in two files",
		rule: "duplicate-name",
		files: map[string]string{
			"a.journey.hcl": "tag \"lead\" {}\n",
			"b.journey.hcl": `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = end.done
  }

  end "done" {}
}
`,
		},
		want: []want{{rule: "duplicate-name", sev: E, file: "b.journey.hcl", line: 1,
			msg: []string{`tag "lead" is declared twice`}, hint: []string{"rename or remove"}, related: []string{`a.journey.hcl:tag "lead"`}}},
	},
	{
		// HCL reads an array under a JSON label as the block repeated: two
		// declarations of the name, each at its own object.
		name:  "a JSON label holding an array of two objects",
		rule:  "duplicate-name",
		files: map[string]string{"main.journey.json": `{"tag": {"b": [{}, {}]}}` + "\n"},
		want: []want{
			{rule: "duplicate-name", sev: E, file: "main.journey.json", at: `{}]`,
				msg: []string{`tag "b" is declared twice`}, hint: []string{"rename or remove"}, related: []string{`{}, `}},
			{rule: "unused", sev: W, file: "main.journey.json", at: `{}, `},
		},
	},
	{
		name: "one name in two campaigns and for two kinds",
		rule: "duplicate-name",
		src: `tag "welcome" {}

email "welcome" {
  subject = "Welcome"
  body    = "..."
}

campaign "welcome" {
  trigger "welcome" {
    on   = tag_added(tag.welcome)
    next = send_email.hello
  }

  send_email "hello" {
    email = email.welcome
    next  = end.done
  }

  end "done" {}
}

campaign "other" {
  trigger "welcome" {
    on   = tag_added(tag.welcome)
    next = end.done
  }

  end "done" {}
}
`,
	},

	// expression-too-deep
	{
		name: "a chain of || past the limit",
		rule: "expression-too-deep",
		src:  pointsChain(100, ""),
		want: []want{{rule: "expression-too-deep", sev: E, at: "contact.points == 1 ",
			msg:  []string{"101 levels deep", "at most 100"},
			hint: []string{"contains([...], contact.FIELD)"}}},
	},
	{
		name: "a chain of || at the limit",
		rule: "expression-too-deep",
		src:  pointsChain(99, ""),
	},
	{
		name: "a template file past the limit",
		rule: "expression-too-deep",
		src: `email "hi" {
  subject = "Hi"
  body    = template("hi.html")
}
`,
		files: map[string]string{"hi.html": "<p>${" + upperCalls(100) + "}</p>\n"},
		want: []want{{rule: "expression-too-deep", sev: E, file: "hi.html", line: 1,
			msg: []string{"102 levels deep"}, hint: []string{"make it shallower"}}},
		allow: []string{"unused"},
	},
	{
		name: "ignore does not silence it",
		rule: "expression-too-deep",
		src:  pointsChain(100, `    ignore = ["expression-too-deep"]`+"\n"),
		want: []want{
			{rule: "expression-too-deep", sev: E, at: "contact.points == 1 ", msg: []string{"101 levels deep"}, hint: []string{"contains("}},
			{rule: "invalid-value", sev: E, at: `"expression-too-deep"`, msg: []string{"cannot be ignored"}, hint: []string{"fix the problem"}},
		},
	},
}
