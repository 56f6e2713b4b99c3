package validate_test

import (
	"testing"

	"github.com/journeyhq/journey/validate"
)

// Cases of suppression and selection: ignore = [...] on an element or a
// step silences exactly the named rule on exactly that element;
// unused-suppression reports an entry that silenced nothing; Options.Only
// and Options.Skip (--rule and --skip) keep and drop findings by rule.

func TestSuppression(t *testing.T) { runCases(t, suppressionCases) }

func optsOnly(rules ...string) validate.Options { return validate.Options{Only: rules} }
func optsSkip(rules ...string) validate.Options { return validate.Options{Skip: rules} }

// twoWaitPairs has two pairs of consecutive waits; wait "a" ignores
// consecutive-waits, wait "c" does not, and wait "a" also waits until a
// date gone by.
const twoWaitPairs = `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    until  = "2026-01-01"
    next   = wait.b
    ignore = ["consecutive-waits"]
  }

  wait "b" {
    for  = "2h"
    next = wait.c
  }

  wait "c" {
    for  = "1d"
    next = wait.d
  }

  wait "d" {
    for  = "2h"
    next = end.done
  }

  end "done" {}
}
`

var suppressionCases = []ruleCase{
	{
		name: "ignore silences the named rule on that element only",
		rule: "consecutive-waits",
		src:  twoWaitPairs,
		want: []want{
			// wait "a" -> wait "b" is silenced; wait "b" -> wait "c" and
			// wait "c" -> wait "d" are not.
			{rule: "consecutive-waits", sev: W, at: `wait "b"`, msg: []string{`wait "b"`, `wait "c"`}, hint: []string{"merge"}},
			{rule: "consecutive-waits", sev: W, at: `wait "c"`, msg: []string{`wait "c"`, `wait "d"`}, hint: []string{"merge"}},
			// Another rule on the ignoring element is not silenced.
			{rule: "past-date", sev: W, at: `until  = "2026-01-01"`, msg: []string{"passed"}, hint: []string{"future"}},
		},
	},
	{
		name: "--skip drops the rule",
		rule: "consecutive-waits",
		src:  twoWaitPairs,
		opts: optsSkip("consecutive-waits"),
		// The ignore entry is not reported as unused either: its rule did
		// not run.
		want: []want{{rule: "past-date", sev: W, at: `until  = "2026-01-01"`, msg: []string{"passed"}, hint: []string{"future"}}},
	},
	{
		name: "--rule keeps only the rule",
		rule: "past-date",
		src:  twoWaitPairs,
		opts: optsOnly("past-date"),
		want: []want{{rule: "past-date", sev: W, at: `until  = "2026-01-01"`, msg: []string{"wait \"a\"", "go straight on"}, hint: []string{"future date"}}},
	},
	{
		name: "--rule for another rule",
		rule: "past-date",
		src:  twoWaitPairs,
		opts: optsOnly("consecutive-waits", "unused"),
		want: []want{
			{rule: "consecutive-waits", sev: W, at: `wait "b"`, msg: []string{"followed"}, hint: []string{"merge"}},
			{rule: "consecutive-waits", sev: W, at: `wait "c"`, msg: []string{"followed"}, hint: []string{"merge"}},
		},
	},
	{
		name: "--skip of a language rule",
		rule: "type",
		opts: optsSkip("type"),
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = split.test
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
	},
	{
		name: "ignore on a sequence step",
		rule: "past-date",
		src: `email "xmas" {
  subject = "Merry Christmas"
  body    = "..."
}

sequence "holidays" {
  kind                        = "date"
  unsubscribe_after_last_step = true

  step "xmas_2025" {
    ignore = ["past-date"]
    schedule {
      date = "2025-12-24"
    }
    email = email.xmas
  }

  step "xmas_2024" {
    schedule {
      date = "2024-12-24"
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
		want: []want{{rule: "past-date", sev: W, at: `date = "2024-12-24"`, msg: []string{"xmas_2024", "no contact"}, hint: []string{"future"}}},
	},
	{
		name: "ignore on an element of a JSON file",
		rule: "consecutive-waits",
		files: map[string]string{"main.journey.json": `{
  "tag": {"lead": {}},
  "campaign": {
    "c": {
      "trigger": {
        "new": {"on": "tag_added(tag.lead)", "next": "wait.a"}
      },
      "wait": {
        "a": {"for": "1d", "next": "wait.b", "ignore": ["consecutive-waits"]},
        "b": {"for": "2h", "next": "end.done"}
      },
      "end": {"done": {}}
    }
  }
}
`},
	},

	// unused-suppression
	{
		name: "an ignore entry that silences nothing",
		rule: "unused-suppression",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    for    = "1d"
    next   = end.done
    ignore = ["consecutive-waits", "past-date"]
  }

  end "done" {}
}
`,
		want: []want{
			{rule: "unused-suppression", sev: W, at: `"consecutive-waits"`,
				msg:  []string{`ignore "consecutive-waits"`, "silences nothing", `wait "a"`},
				hint: []string{`remove "consecutive-waits" from ignore`}},
			{rule: "unused-suppression", sev: W, at: `"past-date"`, msg: []string{"silences nothing"}, hint: []string{"remove"}},
		},
	},
	{
		name: "a rule named twice: the second entry silences nothing",
		rule: "unused-suppression",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.a
  }

  wait "a" {
    for    = "1d"
    next   = wait.b
    ignore = ["consecutive-waits", "consecutive-waits"]
  }

  wait "b" {
    for  = "1d"
    next = end.done
  }

  end "done" {}
}
`,
		want: []want{{rule: "unused-suppression", sev: W, at: `"consecutive-waits"]`, msg: []string{"silences nothing"}, hint: []string{"remove"}}},
	},
	{
		name: "an ignore entry of a rule that did not run",
		rule: "unused-suppression",
		opts: optsOnly("unused-suppression"),
		src:  twoWaitPairs,
	},
	{
		name: "ignore that silences an error on the element",
		rule: "unused-suppression",
		src: `tag "lead" {}

campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = wait.later
  }

  wait "later" {
    next   = end.done
    ignore = ["unconfigured-timer"]
  }

  end "done" {}
}
`,
	},
}
