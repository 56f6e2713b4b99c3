package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

type applyCase struct {
	Name    string `json:"name"`
	Before  string `json:"before"`
	After   string `json:"after"`
	History []struct {
		Step  string `json:"step"`
		Fired string `json:"fired"`
	} `json:"history"`
	ApplyAt string `json:"apply_at"`
	Expect  []struct {
		Step  string `json:"step"`
		Fires string `json:"fires"`
	} `json:"expect"`
	Never           []string `json:"never"`
	AccountTimeZone string   `json:"account_time_zone"`
}

// TestApplyConformance runs every case of ../shared/conformance/apply: a
// contact part-way through (or at the end of) a step sequence, a new plan
// that adds steps, and when each step then fires.
func TestApplyConformance(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(conformanceDir(t, "apply"), "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []applyCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no apply cases")
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) { runApplyCase(t, tc) })
	}
}

var emailRef = regexp.MustCompile(`email\.([a-z0-9_]+)`)

// applyWorkspace is the sequence with the emails its steps reference.
func applyWorkspace(tc applyCase, sequence string) map[string]string {
	names := map[string]bool{}
	for _, src := range []string{tc.Before, tc.After} {
		for _, m := range emailRef.FindAllStringSubmatch(src, -1) {
			names[m[1]] = true
		}
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	var b strings.Builder
	fmt.Fprintf(&b, "account {\n  time_zone = %q\n}\n", tc.AccountTimeZone)
	for _, n := range sorted {
		fmt.Fprintf(&b, "email %q {\n  subject = %q\n  body    = %q\n}\n", n, n, n)
	}
	return map[string]string{"main.journey.hcl": b.String() + sequence}
}

func runApplyCase(t *testing.T, tc applyCase) {
	before := link(t, applyWorkspace(tc, tc.Before))
	after := link(t, applyWorkspace(tc, tc.After))
	applyAt := mustTime(t, tc.ApplyAt)
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sim := runtime.NewSimulation(before, store, applyAt)
	c := &runtime.Contact{Fields: map[string]any{"email": "ada@example.com"}}
	if err := sim.Engine.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	var fired []runtime.FiredStep
	for _, h := range tc.History {
		fired = append(fired, runtime.FiredStep{Step: h.Step, Fired: mustTime(t, h.Fired)})
	}
	if err := sim.Engine.ImportSubscription(ctx, c.ID, "drip", fired); err != nil {
		t.Fatal(err)
	}
	if err := sim.Engine.Apply(ctx, after); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Advance(ctx, c.ID, nil, applyAt.Add(60*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(ctx, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string][]time.Time{}
	for _, e := range res.Timeline {
		if e.Sequence == "drip" && e.Outcome == "sent" {
			sent[e.Element] = append(sent[e.Element], e.At)
		}
	}
	for _, want := range tc.Expect {
		at := mustTime(t, want.Fires)
		got := sent[want.Step]
		if len(got) == 0 {
			t.Errorf("step %s never fired, want %s\n%s", want.Step, want.Fires, timelineText(res))
			continue
		}
		if !got[0].Equal(at) {
			t.Errorf("step %s fired at %s, want %s\n%s", want.Step, got[0].In(at.Location()).Format(time.RFC3339), want.Fires, timelineText(res))
		}
	}
	for _, step := range tc.Never {
		if len(sent[step]) > 0 {
			t.Errorf("step %s fired at %s; it is before the contact's position and must never be sent\n%s", step, sent[step][0].Format(time.RFC3339), timelineText(res))
		}
	}
}
