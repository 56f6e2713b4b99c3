package runtime_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/validate"
)

// linkWorkspace is a workspace that has a setting of each place Link
// reads: an asset, campaign elements, a sequence step and a rule.
var linkWorkspace = map[string]string{
	"assets.journey.hcl": `tag "vip" {}
user "sam" {
  email = "sam@example.com"
}
email "welcome" {
  subject = "Hi"
  body    = "Welcome"
}
task "call" {
  subject = "Call ${contact.first_name}"
  due_in  = "1d"
}
`,
	"main.journey.hcl": `campaign "onboarding" {
  trigger "signup" {
    on   = tag_added(tag.vip)
    next = assign_task.call
  }
  assign_task "call" {
    task   = task.call
    due_in = "2d"
    next   = send_email.welcome
  }
  send_email "welcome" {
    email = email.welcome
    next  = end.done
  }
  end "done" {}
}

sequence "nurture" {
  step "one" {
    schedule {
      days_after = 1
    }
    email = email.welcome
  }
}

rule "vip" {
  when = tag_added(tag.vip)
  then {
    adjust_points {
      points = 10
    }
  }
}
`,
}

// compiledPlan validates and compiles a workspace, without linking it.
func compiledPlan(t *testing.T, files map[string]string) *plan.Plan {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := validate.Counts(res.Findings); errs > 0 {
		t.Fatalf("the workspace does not validate: %v", res.Findings)
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func planElement(t *testing.T, p *plan.Plan, id string) *plan.Element {
	t.Helper()
	for i := range p.Campaigns {
		for j := range p.Campaigns[i].Elements {
			if el := &p.Campaigns[i].Elements[j]; el.ID == id {
				return el
			}
		}
	}
	t.Fatalf("the plan has no element %s", id)
	return nil
}

func planAsset(t *testing.T, p *plan.Plan, kind, name string) *plan.Asset {
	t.Helper()
	for i := range p.Assets {
		if a := &p.Assets[i]; a.Kind == kind && a.Name == name {
			return a
		}
	}
	t.Fatalf("the plan has no %s %s", kind, name)
	return nil
}

// TestLinkRefusesAMalformedDuration: an assign_task whose due_in is not a
// duration is refused, where the runtime used to read it as no due date
// and create tasks due never.
func TestLinkRefusesAMalformedDuration(t *testing.T) {
	p := compiledPlan(t, linkWorkspace)
	if _, err := runtime.Link(p); err != nil {
		t.Fatalf("the compiled plan does not link: %v", err)
	}
	planElement(t, p, "onboarding/call").Settings["due_in"] = json.RawMessage(`"2d"`)
	_, err := runtime.Link(p)
	if err == nil {
		t.Fatal("a plan whose due_in is the string \"2d\" links")
	}
	for _, want := range []string{"main.journey.hcl:6:", "onboarding/call", `due_in must be a duration {"days": N, "minutes": N}, not a string`, "journey compile"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
}

// TestLinkReportsEveryProblemAtOnce: a plan wrong in several places is
// refused with each place named, by its ID and its HCL file and line, not
// only the first.
func TestLinkReportsEveryProblemAtOnce(t *testing.T) {
	p := compiledPlan(t, linkWorkspace)
	planElement(t, p, "onboarding/welcome").Settings["cc"] = json.RawMessage(`"boss@example.com"`)
	planElement(t, p, "onboarding/signup").Settings["on"] = json.RawMessage(`{"kind": "tag_added", "args": {"tag": 7}}`)
	p.Sequences[0].Steps[0].Actions[0].Settings["email"] = json.RawMessage(`["welcome"]`)
	p.Rules[0].Actions[0].Settings["points"] = json.RawMessage(`"ten"`)
	planAsset(t, p, "task", "call").Settings["due_in"] = json.RawMessage(`86400`)
	p.Rules[0].When.Args = plan.Settings{"tag": json.RawMessage(`true`), "form": json.RawMessage(`"signup"`)}
	_, err := runtime.Link(p)
	if err == nil {
		t.Fatal("the plan links")
	}
	for _, want := range []string{
		"assets.journey.hcl:9: task call: due_in must be a duration",
		"main.journey.hcl:2: onboarding/signup (trigger): on: tag must be a string, not a number",
		"main.journey.hcl:11: onboarding/welcome (send_email): cc is not a setting of send_email (its settings are email, to)",
		"main.journey.hcl:19: nurture/one, action 1 (send_email): email must be a string, not a list",
		"main.journey.hcl:27: rule vip: when: form is not an argument of the event tag_added (its arguments are tag)",
		"main.journey.hcl:27: rule vip: when: tag must be a string, not true or false",
		"main.journey.hcl:27: rule vip, action 1 (adjust_points): points must be a number, not a string",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
	// The task's wrong due_in is one problem: the element that assigns the
	// task finds it all the same.
	if strings.Contains(err.Error(), "no task") {
		t.Errorf("a wrong asset setting makes its users fail too:\n%v", err)
	}
	var linkErr *runtime.LinkError
	if !errors.As(err, &linkErr) {
		t.Errorf("%T is not a *runtime.LinkError", err)
	}
	var blockErr *runtime.BlockError
	if !errors.As(err, &blockErr) || blockErr.Source == nil || blockErr.Source.File != "assets.journey.hcl" {
		t.Errorf("the first problem is not a *runtime.BlockError at its source: %#v", blockErr)
	}
}

// TestLinkRefusesSegmentsThatReadEachOther: segments whose where read each
// other back have no order to be settled in (validate's segment-cycle);
// a plan with them is refused, naming the cycle, rather than evaluated
// for ever.
func TestLinkRefusesSegmentsThatReadEachOther(t *testing.T) {
	p := compiledPlan(t, map[string]string{"main.journey.hcl": `segment "engaged" {
  where = contact.points > 10
}

segment "engaged_vips" {
  where = in_segment(segment.engaged) && has_tag(tag.vip)
}

tag "vip" {}

campaign "vips" {
  trigger "in" {
    on   = segment_entered(segment.engaged_vips)
    next = end.done
  }

  end "done" {}
}
`})
	if _, err := runtime.Link(p); err != nil {
		t.Fatalf("segments that read others in one direction do not link: %v", err)
	}
	planAsset(t, p, "segment", "engaged").Settings["where"] = json.RawMessage(
		`{"text": "in_segment(segment.engaged_vips)", "root": {"op": "call", "name": "in_segment", "args": [{"op": "lit", "value": "engaged_vips"}]}}`)
	_, err := runtime.Link(p)
	if err == nil {
		t.Fatal("a plan whose segments read each other back links")
	}
	if want := "main.journey.hcl:1: segment engaged: its where reads itself through in_segment (engaged -> engaged_vips -> engaged)"; !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not say %q:\n%v", want, err)
	}
}

// TestLinkRefusesAnOwnerForAFulfillmentList: a list's batch holds many
// contacts, so it has no owner to go to; a plan that says so anyway is
// refused rather than delivered to nobody (or a panic).
func TestLinkRefusesAnOwnerForAFulfillmentList(t *testing.T) {
	files := map[string]string{"main.journey.hcl": linkWorkspace["main.journey.hcl"], "assets.journey.hcl": linkWorkspace["assets.journey.hcl"] + `
fulfillment_list "kits" {
  fields     = [field.first_name]
  deliver_to = user.sam
}
`}
	p := compiledPlan(t, files)
	planAsset(t, p, "fulfillment_list", "kits").Settings["deliver_to"] = json.RawMessage(`{"owner": true}`)
	_, err := runtime.Link(p)
	if err == nil {
		t.Fatal("a fulfillment list delivered to the contact's owner links")
	}
	for _, want := range []string{"assets.journey.hcl:14: fulfillment_list kits", "deliver_to is the contact's owner", "a user or an address"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
}
