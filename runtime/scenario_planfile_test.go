package runtime_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
)

// TestPlanFileRunsTheSame: journey server reads the plan as JSON, never the
// compiler's structs. The same contacts through the same events must take
// the same steps either way.
func TestPlanFileRunsTheSame(t *testing.T) {
	blocks := parentChild + foreverSequence + pausable + `
campaign "timers" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = fork.f
  }
  fork "f" {
    paths = [wait.weekdays, wait.window, wait.until_field, split.s, add_to_sequence.forever]
  }
  wait "weekdays" {
    for     = "2d"
    at      = "07:00"
    on_days = weekdays
    next    = end.done
  }
  wait "window" {
    for     = "30m"
    between = ["09:00", "17:00"]
    on_days = ["sat"]
    next    = end.done
  }
  wait "until_field" {
    until_field = field.birthday
    annual      = true
    at          = "08:15"
    time_zone   = "contact"
    next        = create_appointment.meet
  }
  create_appointment "meet" {
    title = "Call ${contact.first_name}"
    at {
      for     = "1d"
      between = ["09:00", "12:00"]
    }
    next = end.done
  }
  add_to_sequence "forever" {
    sequence = sequence.forever
  }
  split "s" {
    path {
      weight = 50
      next   = update_contact.u
    }
    path {
      weight = 50
      next   = end.done
    }
  }
  update_contact "u" {
    set  = { score = contact.points + 1, plan = coalesce(contact.plan, "x") }
    next = end.done
  }
  end "done" {}
}

rule "r" {
  when = date_reached(field.trial_ends, "-1d")
  then {
    webhook {
      url  = "https://hooks.example.com/r"
      body = "${contact.email}"
    }
  }
}
`
	direct := linkScenario(t, blocks)
	data, err := plan.Encode(direct.Plan)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := plan.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := runtime.Link(decoded)
	if err != nil {
		t.Fatal(err)
	}
	run := func(prog *runtime.Program) string {
		w := newWorld(t, prog, scenarioStart)
		var out strings.Builder
		for i := 0; i < 6; i++ {
			id := w.contact(map[string]any{"email": fmt.Sprintf("c%d@example.com", i), "first_name": "C", "phone": "+1555010" + fmt.Sprint(i),
				"birthday": "1990-07-0" + fmt.Sprint(i+1), "trial_ends": "2026-06-2" + fmt.Sprint(i), "time_zone": "Europe/Berlin", "tags": []string{"vip"}[:i%2]})
			w.tag(id, "go")
			w.advance(3 * time.Hour)
			w.event(id, "api", "name", "pause")
			w.advance(2 * aDay)
			w.event(id, "api", "name", "unpause")
			w.advance(40 * aDay)
			for _, e := range w.timeline(id) {
				fmt.Fprintf(&out, "%d %s %s%s/%s %s %s %s\n", id, e.At.UTC().Format(time.RFC3339), e.Campaign, e.Sequence, e.Element, e.Kind, e.Outcome, e.Detail)
			}
			for _, d := range w.deliveries(id) {
				payload, _ := json.Marshal(d.Payload)
				fmt.Fprintf(&out, "%d delivery %s %s %s %s\n", id, d.Kind, d.Source, d.Key, payload)
			}
			for _, kind := range []string{"appointment", "task", "purchase"} {
				for _, r := range w.records(id, kind) {
					fmt.Fprintf(&out, "%d record %s %s %s %v %v\n", id, kind, r.Name, r.Status, r.At, r.Data)
				}
			}
			c := w.get(id)
			fmt.Fprintf(&out, "%d contact %v %v %v %q\n", id, c.Fields, c.Tags, c.Points, c.Stage)
		}
		return out.String()
	}
	a, b := run(direct), run(fromFile)
	if a != b {
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		for i := range al {
			if i >= len(bl) || al[i] != bl[i] {
				other := "(missing)"
				if i < len(bl) {
					other = bl[i]
				}
				t.Fatalf("the plan file runs differently at line %d:\n  compiled: %s\n  from JSON: %s", i, al[i], other)
			}
		}
		t.Fatal("the plan file runs differently")
	}
	if !strings.Contains(a, "delivery webhook") || !strings.Contains(a, "record appointment") {
		t.Fatalf("the scenario did too little:\n%s", a)
	}
}
