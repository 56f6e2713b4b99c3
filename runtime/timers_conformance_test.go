package runtime_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

type timerCase struct {
	Name            string         `json:"name"`
	Kind            string         `json:"kind"`
	Timer           string         `json:"timer"`
	Step            string         `json:"step"`
	AccountTimeZone string         `json:"account_time_zone"`
	Contact         map[string]any `json:"contact"`
	Start           string         `json:"start"`
	Previous        string         `json:"previous"`
	Expect          string         `json:"expect"`
}

// TestTimerConformance runs every case of ../shared/conformance/timers:
// the timer is parsed by the real front end and fires in the real engine.
func TestTimerConformance(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(conformanceDir(t, "timers"), "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []timerCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no timer cases")
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			if tc.Kind == "step" {
				runStepCase(t, tc)
			} else {
				runWaitCase(t, tc)
			}
		})
	}
}

// caseWorkspace declares the account, the contact's date fields and the
// given blocks.
func caseWorkspace(tc timerCase, blocks string) map[string]string {
	var b strings.Builder
	fmt.Fprintf(&b, "account {\n  time_zone = %q\n}\ntag \"go\" {}\n", tc.AccountTimeZone)
	var keys []string
	for k := range tc.Contact {
		if k != "time_zone" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "field %q {\n  type = date\n}\n", k)
	}
	return map[string]string{"main.journey.hcl": b.String() + blocks}
}

func caseContact(tc timerCase) *runtime.Contact {
	c := &runtime.Contact{Fields: map[string]any{}}
	for k, v := range tc.Contact {
		if v != nil {
			c.Fields[k] = v
		}
	}
	return c
}

func runWaitCase(t *testing.T, tc timerCase) {
	prog := link(t, caseWorkspace(tc, fmt.Sprintf(`
campaign "t" {
  trigger "go" {
    on   = tag_added(tag.go)
    next = wait.w
  }
  wait "w" {
%s
    next = end.done
  }
  end "done" {}
}
`, indent(tc.Timer))))
	start := mustTime(t, tc.Start)
	res := simulate(t, prog, caseContact(tc), "t", start, nil, 3*366*24*time.Hour)
	fired, ok := firstAt(res, func(e runtime.TimelineEntry) bool { return e.Element == "w" && e.Outcome == "waited" })
	check(t, tc, fired, ok, res)
}

func runStepCase(t *testing.T, tc timerCase) {
	prog := link(t, caseWorkspace(tc, fmt.Sprintf(`
email "a" {
  subject = "a"
  body    = "a"
}
email "b" {
  subject = "b"
  body    = "b"
}
sequence "s" {
  kind                        = "step"
  unsubscribe_after_last_step = true
  step "first" {
    schedule {
      delay = "0m"
    }
    email = email.a
  }
  step "second" {
    schedule {
%s
    }
    email = email.b
  }
}
campaign "t" {
  trigger "go" {
    on   = tag_added(tag.go)
    next = add_to_sequence.s
  }
  add_to_sequence "s" {
    sequence = sequence.s
  }
}
`, indent(indent(tc.Step)))))
	prev := mustTime(t, tc.Previous)
	c := caseContact(tc)
	c.Fields["email"] = "ada@example.com"
	res := simulate(t, prog, c, "t", prev, nil, 3*366*24*time.Hour)
	first, ok := firstAt(res, func(e runtime.TimelineEntry) bool {
		return e.Sequence == "s" && e.Element == "first" && e.Outcome == "sent"
	})
	if !ok || !first.Equal(prev) {
		t.Fatalf("the first step fired at %v, not at previous %s\n%s", first, tc.Previous, timelineText(res))
	}
	fired, ok := firstAt(res, func(e runtime.TimelineEntry) bool {
		return e.Sequence == "s" && e.Element == "second" && e.Outcome == "sent"
	})
	check(t, tc, fired, ok, res)
}

func check(t *testing.T, tc timerCase, fired time.Time, ok bool, res *runtime.Result) {
	t.Helper()
	if tc.Expect == "never" {
		if ok {
			t.Fatalf("fired at %s, want never\n%s", fired.Format(time.RFC3339), timelineText(res))
		}
		return
	}
	want := mustTime(t, tc.Expect)
	if !ok {
		t.Fatalf("never fired, want %s\n%s", tc.Expect, timelineText(res))
	}
	if !fired.Equal(want) {
		t.Fatalf("fired at %s, want %s\n%s", fired.In(want.Location()).Format(time.RFC3339), tc.Expect, timelineText(res))
	}
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
