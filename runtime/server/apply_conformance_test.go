package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// The step-sequence rules of ../shared/conformance/apply hold through the
// real apply path: each case's new plan is posted as a plan file to a
// running server (in process), whose apply migrates the contact; its
// steps then run on the server's engine as the scheduler runs them.

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

// conformanceDir is ../shared/conformance/SUB, or JOURNEY_CONFORMANCE_DIR's.
func conformanceDir(t *testing.T, sub string) string {
	t.Helper()
	root := os.Getenv("JOURNEY_CONFORMANCE_DIR")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	path := filepath.Join(root, sub)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("conformance cases not found at %s (set JOURNEY_CONFORMANCE_DIR): %v", path, err)
	}
	return path
}

func TestApplyConformanceThroughTheServer(t *testing.T) {
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
func applyWorkspace(tc applyCase, sequence string) string {
	var names []string
	for _, src := range []string{tc.Before, tc.After} {
		for _, m := range emailRef.FindAllStringSubmatch(src, -1) {
			if !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "account {\n  time_zone = %q\n}\n", tc.AccountTimeZone)
	for _, n := range names {
		fmt.Fprintf(&b, "email %q {\n  subject = %q\n  body    = %q\n}\n", n, n, n)
	}
	return b.String() + sequence
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func runApplyCase(t *testing.T, tc applyCase) {
	ctx := context.Background()
	before := linkWorkspace(t, applyWorkspace(tc, tc.Before))
	after := linkWorkspace(t, applyWorkspace(tc, tc.After))
	applyAt := mustTime(t, tc.ApplyAt)
	ts := newTestServerAt(t, before, nil, applyAt)
	c, err := ts.client.CreateContact(ctx, api.ContactFields{"email": "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var fired []runtime.FiredStep
	for _, h := range tc.History {
		fired = append(fired, runtime.FiredStep{Step: h.Step, Fired: mustTime(t, h.Fired)})
	}
	if err := ts.srv.engine.ImportSubscription(ctx, c.ID, "drip", fired); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.apply(planFile(t, after.Plan, 1, before.Plan.Hash, plan.ApplyOptions{})); err != nil {
		t.Fatalf("the apply: %v", err)
	}
	runUntil(t, ts, applyAt.Add(60*24*time.Hour))
	tl, err := ts.client.Timeline(ctx, c.ID, 0, maxPage)
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string][]time.Time{}
	var lines []string
	for _, e := range tl.Entries {
		lines = append(lines, e.Text)
		if e.Sequence == "drip" && e.Outcome == "sent" {
			sent[e.Element] = append(sent[e.Element], e.At)
		}
	}
	timeline := strings.Join(lines, "\n")
	for _, want := range tc.Expect {
		at := mustTime(t, want.Fires)
		got := sent[want.Step]
		if len(got) == 0 {
			t.Errorf("step %s never fired, want %s\n%s", want.Step, want.Fires, timeline)
			continue
		}
		if !got[0].Equal(at) {
			t.Errorf("step %s fired at %s, want %s\n%s", want.Step, got[0].In(at.Location()).Format(time.RFC3339), want.Fires, timeline)
		}
	}
	for _, step := range tc.Never {
		if len(sent[step]) > 0 {
			t.Errorf("step %s fired at %s; it is before the contact's position and must never be sent\n%s", step, sent[step][0].Format(time.RFC3339), timeline)
		}
	}
}

// runUntil runs the due steps as the scheduler does, moving the server's
// clock to each next due time, until end.
func runUntil(t *testing.T, ts *testServer, end time.Time) {
	t.Helper()
	ctx := context.Background()
	for range 10000 {
		next, err := ts.srv.engine.NextDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if next == nil || next.After(end) {
			return
		}
		ts.clock.Set(*next)
		if _, err := ts.srv.engine.RunDue(ctx, 100); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("the steps kept coming: more than 10,000 batches")
}
