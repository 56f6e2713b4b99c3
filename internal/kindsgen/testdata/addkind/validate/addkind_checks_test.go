package validate_test

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/validate"
)

// Planted by internal/kindsgen's TestAddingAnActionKind in a copy of the
// repository where a whatsapp channel was added by the steps of
// docs/architecture.md, "Adding an action kind": the language, the rules
// and the plan know the channel without being told.

func TestAddedChannelInTheRules(t *testing.T) {
	runCases(t, []ruleCase{
		{
			name: "an unknown whatsapp is an unknown reference, with the near one",
			rule: "unknown-reference",
			src: `account {
  sms_numbers = ["+15550100"]
}
tag "go" {}
whatsapp "hello" {
  body = "Hi"
}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_whatsapp.hi
  }
  send_whatsapp "hi" {
    whatsapp = whatsapp.helo
  }
}
`,
			want:  []want{{rule: "unknown-reference", sev: E, at: `whatsapp.helo`, msg: []string{`there is no whatsapp "helo"`}, hint: []string{"did you mean whatsapp.hello?"}}},
			allow: []string{"unused"},
		},
		{
			name: "a whatsapp nothing sends is unused",
			rule: "unused",
			src: `whatsapp "orphan" {
  body = "Nobody sends me"
}
`,
			want: []want{{rule: "unused", sev: W, at: `whatsapp "orphan"`, msg: []string{`whatsapp "orphan" is declared but nothing uses it`}, hint: []string{"reference it as whatsapp.orphan"}}},
		},
		{
			name: "a whatsapp with no number to send from, from an element and from a step",
			rule: "sms-without-number",
			src: `tag "go" {}
whatsapp "hello" {
  body = "Hi"
}
whatsapp "own" {
  body = "Hi"
  from = "+15550101"
}
sequence "s" {
  unsubscribe_after_last_step = true
  step "one" {
    whatsapp = whatsapp.hello
  }
}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_whatsapp.hi
  }
  send_whatsapp "hi" {
    whatsapp = whatsapp.hello
    next     = wait.later
  }
  wait "later" {
    for  = "1d"
    next = send_whatsapp.own
  }
  send_whatsapp "own" {
    whatsapp = whatsapp.own
    next     = add_to_sequence.s
  }
  add_to_sequence "s" {
    sequence = sequence.s
  }
}
`,
			want: []want{
				{rule: "sms-without-number", sev: E, at: `send_whatsapp "hi"`, msg: []string{`sends whatsapp "hello", but no number to send it from is declared`}, hint: []string{`set from on whatsapp "hello", or set account.sms_numbers`}},
				{rule: "sms-without-number", sev: E, at: `step "one"`, msg: []string{`step "one" of sequence "s" sends whatsapp "hello"`}, hint: []string{"set account.sms_numbers"}},
			},
		},
		{
			name: "two whatsapp messages in one instant",
			rule: "back-to-back-sends",
			src: `account {
  sms_numbers = ["+15550100"]
}
tag "go" {}
whatsapp "hello" {
  body = "Hi"
}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_whatsapp.one
  }
  send_whatsapp "one" {
    whatsapp = whatsapp.hello
    next     = send_whatsapp.two
  }
  send_whatsapp "two" {
    whatsapp = whatsapp.hello
  }
}
`,
			want: []want{{rule: "back-to-back-sends", sev: W, at: `send_whatsapp "two"`, msg: []string{"sends in the same instant as"}, hint: []string{"put a wait between them"}}},
		},
		{
			name: "do_not_contact knows the channel",
			rule: "invalid-value",
			src: `tag "go" {}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = do_not_contact.stop
  }
  do_not_contact "stop" {
    channel = "whatsapp"
    next    = do_not_contact.typo
  }
  do_not_contact "typo" {
    channel = "whatsap"
  }
}
`,
			want: []want{{rule: "invalid-value", sev: E, at: `"whatsap"`, msg: []string{`"email", "sms", "postcard", "whatsapp", "all"`}, hint: []string{`did you mean "whatsapp"?`}}},
		},
	})
}

// The compiled plan holds the action of an element and of a step, and
// says the element in a diagram's words.
func TestAddedChannelInThePlan(t *testing.T) {
	fsys := fstest.MapFS{
		"main.journey.hcl": {Data: []byte(`account {
  sms_numbers = ["+15550100"]
}
tag "go" {}
whatsapp "hello" {
  body = "Hi ${contact.first_name}"
}
sequence "s" {
  unsubscribe_after_last_step = true
  step "one" {
    whatsapp = whatsapp.hello
  }
}
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_whatsapp.hi
  }
  send_whatsapp "hi" {
    whatsapp = whatsapp.hello
    next     = wait.later
  }
  wait "later" {
    for  = "1d"
    next = add_to_sequence.s
  }
  add_to_sequence "s" {
    sequence = sequence.s
  }
}
`)},
		"main.journeytest.hcl": {Data: []byte(`scenario "sent" {
  campaign = campaign.c
  start    = "2026-06-10T13:37:00-04:00"
  contact  = { first_name = "Ada", phone = "+15550199" }
  expect {
    sent = whatsapp.hello
  }
  expect {
    never_sent = whatsapp.hello
  }
}
`)},
	}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("%s: [%s] %s", f.Range, f.Rule, f.Message)
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	el := p.Campaigns[0].Elements[1]
	if el.Kind != "send_whatsapp" || string(el.Settings["whatsapp"]) != `"hello"` || el.KeySetting() != "whatsapp.hello" {
		t.Errorf("the element: %s %s %q", el.Kind, el.Settings["whatsapp"], el.KeySetting())
	}
	step, _ := json.Marshal(p.Sequences[0].Steps[0].Actions)
	if got, want := string(step), `[{"kind":"send_whatsapp","settings":{"whatsapp":"hello"}}]`; got != want {
		t.Errorf("the step's actions are %s, want %s", got, want)
	}
	if len(res.Scenarios) != 1 || len(res.Scenarios[0].Expects) != 2 || res.Scenarios[0].Expects[0].MessageKind != "whatsapp" {
		t.Errorf("the scenario's expectations: %+v", res.Scenarios)
	}
	if !strings.Contains(validate.LookupRule("unused").Summary, "whatsapp") {
		t.Errorf("unused's summary does not name whatsapp: %s", validate.LookupRule("unused").Summary)
	}
}
