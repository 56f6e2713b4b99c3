package runtime_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
)

// explainWorkspace sends each email from a different place: a campaign
// element, a step of a sequence, an element after a three-day wait, a
// campaign the scenarios never enter, and nothing at all.
const explainWorkspace = `
account {
  time_zone         = "America/New_York"
  default_send_time = "10:00"
  senders           = ["team@example.com"]
}

form "signup" {}
form "leave" {}
form "erase" {}

email "hello" {
  subject = "Hello"
  body    = "Hello"
}
email "later" {
  subject = "Later"
  body    = "Later"
}
email "tip" {
  subject = "Tip"
  body    = "Tip"
}
email "goodbye" {
  subject = "Goodbye"
  body    = "Goodbye"
}
email "orphan" {
  subject = "Orphan"
  body    = "Nothing sends it"
}

sequence "tips" {
  kind                        = "step"
  unsubscribe_after_last_step = true
  step "one" {
    email = email.tip
  }
}

campaign "welcome" {
  trigger "signup" {
    on   = form_submitted(form.signup)
    next = send_email.hello
  }
  send_email "hello" {
    email = email.hello
    next  = fork.both
  }
  fork "both" {
    paths = [add_to_sequence.tips, wait.three_days]
  }
  add_to_sequence "tips" {
    sequence = sequence.tips
    next     = end.tips_done
  }
  end "tips_done" {}
  wait "three_days" {
    for  = "3d"
    next = send_email.later
  }
  send_email "later" {
    email = email.later
    next  = end.done
  }
  end "done" {}
}

campaign "farewell" {
  trigger "left" {
    on   = form_submitted(form.leave)
    next = send_email.goodbye
  }
  send_email "goodbye" {
    email = email.goodbye
    next  = end.gone
  }
  end "gone" {}
}

campaign "eraser" {
  trigger "erase" {
    on   = form_submitted(form.erase)
    next = delete_contact.forget
  }
  delete_contact "forget" {}
}
`

// runScenarios compiles the workspace and the scenario file through
// validate.Dir, as journey test does, runs every scenario, and returns
// each one's failure messages by scenario name.
func runScenarios(t *testing.T, scenarios string) map[string][]string {
	t.Helper()
	return runScenariosWith(t, explainWorkspace, scenarios, 0)
}

// runScenariosWith is runScenarios on another workspace, with maxSteps
// bounding each run (0: RunScenario's own bound).
func runScenariosWith(t *testing.T, workspace, scenarios string, maxSteps int) map[string][]string {
	t.Helper()
	fsys := fstest.MapFS{
		"main.journey.hcl":     {Data: []byte(workspace)},
		"main.journeytest.hcl": {Data: []byte(scenarios)},
	}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Severity == validate.Error {
			t.Fatalf("%s: [%s] %s", f.Range, f.Rule, f.Message)
		}
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	ctx := context.Background()
	for i := range res.Scenarios {
		sc := &res.Scenarios[i]
		store, err := sqlstore.OpenSQLite(ctx, ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		var r *runtime.ScenarioResult
		if maxSteps > 0 {
			r, err = runtime.RunScenarioSteps(ctx, prog, store, sc, maxSteps)
		} else {
			r, err = runtime.RunScenario(ctx, prog, store, sc)
		}
		store.Close()
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		for _, f := range r.Failures {
			out[sc.Name] = append(out[sc.Name], f.Message)
		}
	}
	return out
}

// A failed sent expectation says why the message did not go, in the
// engine's words: what was recorded at the element or step that sends it,
// or, when it was never reached, where the contact was instead.
func TestSentFailureSaysWhy(t *testing.T) {
	got := runScenarios(t, `
scenario "no address" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "5d"
  contact  = { first_name = "Ada" }
  expect {
    sent = email.hello
  }
  expect {
    sent   = email.tip
    within = "2d"
  }
  expect {
    sent = email.later
    at   = "2026-06-13T13:37:00-04:00"
  }
}

scenario "too short" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.later
  }
}

scenario "nothing sends it" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.orphan
  }
}

scenario "another campaign" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.goodbye
  }
}
`)
	want := map[string][]string{
		"no address": {
			"expected email hello to be sent; it never was: send_email hello skipped it at Wed 10 Jun 2026 13:37 EDT: no email address",
			"expected email tip within 2d (by Fri 12 Jun 2026 13:37 EDT); it was never sent: step one of sequence tips skipped it at Thu 11 Jun 2026 10:00 EDT: no email address",
			"expected email later at Sat 13 Jun 2026 13:37 EDT; it was never sent: send_email later skipped it at Sat 13 Jun 2026 13:37 EDT: no email address",
		},
		"too short": {
			"expected email later to be sent; it never was: send_email later was never reached: when the run ended at Thu 11 Jun 2026 13:37 EDT, the contact was waiting at wait three_days until Sat 13 Jun 2026 13:37 EDT (after the run's end: lengthen the scenario's for to see what follows)",
		},
		"nothing sends it": {
			"expected email orphan to be sent; it never was: no element, sequence step or rule of the workspace sends email orphan",
		},
		"another campaign": {
			"expected email goodbye to be sent; it never was: send_email goodbye of campaign farewell was never reached: the contact never entered campaign farewell",
		},
	}
	for name, msgs := range want {
		if strings.Join(got[name], "\n") != strings.Join(msgs, "\n") {
			t.Errorf("%s:\n got %s\nwant %s", name, strings.Join(got[name], "\n     "), strings.Join(msgs, "\n     "))
		}
	}
}

// Every failure message is a whole sentence: a contact that was deleted
// stands on no element, and the status failure does not end in "(at )".
func TestStatusAndElementFailuresAreComplete(t *testing.T) {
	got := runScenarios(t, `
scenario "erased" {
  campaign = campaign.eraser
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    status = "exited"
  }
}

scenario "finished" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "5d"
  contact  = { email = "ada@example.com" }
  expect {
    at_element = wait.three_days
  }
}
`)
	want := map[string][]string{
		"erased":   {"expected status exited at the end; it is deleted"},
		"finished": {"expected the contact at three_days at Mon 15 Jun 2026 13:37 EDT; it was waiting nowhere in campaign welcome: its last step there was end done at Sat 13 Jun 2026 13:37 EDT: ended"},
	}
	for name, msgs := range want {
		if strings.Join(got[name], "\n") != strings.Join(msgs, "\n") {
			t.Errorf("%s:\n got %s\nwant %s", name, strings.Join(got[name], "\n     "), strings.Join(msgs, "\n     "))
		}
	}
}

// A run cut short by the step bound checks nothing: its expectations
// would be judged on half a run (a send not yet due would pass never_sent).
func TestTruncatedRunFails(t *testing.T) {
	ws := strings.Replace(explainWorkspace, `campaign "eraser"`, `form "tick" {}

campaign "ticker" {
  trigger "go" {
    on   = form_submitted(form.tick)
    next = wait.tick
  }
  wait "tick" {
    for  = "1m"
    next = wait.tock
  }
  wait "tock" {
    for  = "1m"
    next = wait.tick
  }
}

campaign "eraser"`, 1)
	got := runScenariosWith(t, ws, `
scenario "ticks" {
  campaign = campaign.ticker
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    never_sent = email.hello
  }
}
`, 50)
	want := "the run stopped after 50 steps, before its end at Thu 11 Jun 2026 13:37 EDT (a loop of short waits?): nothing was checked; shorten the scenario's for"
	if msgs := got["ticks"]; len(msgs) != 1 || msgs[0] != want {
		t.Errorf("got %q\nwant %q", msgs, want)
	}
}

// A message sent from a sequence the contact never joined, from a step it
// never got to, or by a rule that never ran, says which.
func TestSentFailureNamesTheSequenceOrRule(t *testing.T) {
	ws := strings.Replace(explainWorkspace, `campaign "eraser"`, `tag "vip" {}

email "lesson" {
  subject = "Lesson"
  body    = "Lesson"
}
email "final" {
  subject = "Final"
  body    = "Final"
}
email "vip" {
  subject = "VIP"
  body    = "VIP"
}

sequence "course" {
  kind = "step"
  step "first" {
    email = email.lesson
  }
}

sequence "long" {
  kind                        = "step"
  unsubscribe_after_last_step = true
  step "start" {
    email = email.lesson
  }
  step "end" {
    schedule {
      days_after = 10
    }
    email = email.final
  }
}

rule "welcome_vips" {
  when = tag_added(tag.vip)
  then {
    send_email {
      email = email.vip
    }
  }
}

campaign "long_course" {
  trigger "join" {
    on   = form_submitted(form.erase)
    next = add_to_sequence.enrol
  }
  add_to_sequence "enrol" {
    sequence = sequence.long
    next     = end.joined
  }
  end "joined" {}
}

campaign "eraser"`, 1)
	got := runScenariosWith(t, ws, `
scenario "elsewhere" {
  campaign = campaign.welcome
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.vip
  }
  expect {
    sent = email.final
  }
}

scenario "too early" {
  campaign = campaign.long_course
  start    = "2026-06-10T13:37:00-04:00"
  for      = "3d"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.final
  }
}
`, 0)
	want := map[string][]string{
		"elsewhere": {
			"expected email vip to be sent; it never was: rule welcome_vips never ran: its event never happened, or its if was false",
			"expected email final to be sent; it never was: step end of sequence long was never reached: the contact was never subscribed to sequence long",
		},
		"too early": {
			"expected email final to be sent; it never was: step end of sequence long was never reached before the run ended at Sat 13 Jun 2026 13:37 EDT: the last entry of sequence long was step start: sent at Thu 11 Jun 2026 10:00 EDT",
		},
	}
	for name, msgs := range want {
		if strings.Join(got[name], "\n") != strings.Join(msgs, "\n") {
			t.Errorf("%s:\n got %s\nwant %s", name, strings.Join(got[name], "\n     "), strings.Join(msgs, "\n     "))
		}
	}
}

// A sender the contact passed more often than the failure quotes counts
// the rest in words that agree with the count: "and 1 more time".
func TestSentFailureCountsTheEntriesItLeavesOut(t *testing.T) {
	ws := strings.Replace(explainWorkspace, `campaign "eraser"`, `form "nag" {}

campaign "nagger" {
  trigger "go" {
    on   = form_submitted(form.nag)
    next = send_email.nag
  }
  send_email "nag" {
    email = email.orphan
    next  = wait.day
  }
  wait "day" {
    for  = "1d"
    next = send_email.nag
  }
}

campaign "eraser"`, 1)
	for _, c := range []struct{ span, more string }{{"3d12h", "and 1 more time"}, {"4d12h", "and 2 more times"}} {
		got := runScenariosWith(t, ws, `
scenario "nags" {
  campaign = campaign.nagger
  start    = "2026-06-10T13:37:00-04:00"
  for      = "`+c.span+`"
  contact  = { first_name = "Ada" }
  expect {
    sent = email.orphan
  }
}
`, 0)
		msgs := got["nags"]
		if len(msgs) != 1 || !strings.HasSuffix(msgs[0], "; "+c.more) {
			t.Errorf("for = %q: got %q\nwant it to end %q", c.span, msgs, c.more)
		}
	}
}

// A notification that sends an email asset sends that email, for a
// scenario's sent as for the senders a failure names.
func TestNotificationSendsItsEmail(t *testing.T) {
	got := runScenariosWith(t, `
account {
  time_zone = "America/New_York"
}
form "signup" {}
email "report" {
  subject = "New signup"
  body    = "${contact.email} signed up"
}
campaign "c" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = notify_email.ops
  }
  notify_email "ops" {
    to    = "ops@example.com"
    email = email.report
  }
}
`, `
scenario "told" {
  campaign = campaign.c
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    sent = email.report
    at   = "2026-06-10T13:37:00-04:00"
  }
}

scenario "not told" {
  campaign = campaign.c
  start    = "2026-06-10T13:37:00-04:00"
  for      = "1d"
  contact  = { email = "ada@example.com" }
  expect {
    never_sent = email.report
  }
}
`, 0)
	if len(got["told"]) != 0 {
		t.Errorf("the notification's email does not count as sent: %v", got["told"])
	}
	if len(got["not told"]) != 1 || !strings.Contains(got["not told"][0], "expected email report never to be sent") {
		t.Errorf("never_sent of the notification's email: %v", got["not told"])
	}
}
