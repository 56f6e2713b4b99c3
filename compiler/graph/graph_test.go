package graph_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/graph"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// compileDir validates and compiles a workspace in-process, as journey
// compile does; the workspace must have no error finding.
func compileDir(t testing.TB, dir string) *plan.Plan {
	t.Helper()
	res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{})
	if err != nil {
		t.Fatalf("validate %s: %v", dir, err)
	}
	if errs, _ := validate.Counts(res.Findings); errs > 0 || res.Program == nil {
		var msgs []string
		for _, f := range res.Findings {
			msgs = append(msgs, f.Range.String()+": "+f.Rule+": "+f.Message)
		}
		t.Fatalf("%s has errors:\n%s", dir, strings.Join(msgs, "\n"))
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatalf("compile %s: %v", dir, err)
	}
	return p
}

func build(t testing.TB, p *plan.Plan, opts graph.Options) *graph.Graph {
	t.Helper()
	g, err := graph.Build(p, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return g
}

func render(t testing.TB, format string, g *graph.Graph) string {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "dot":
		err = graph.Dot(&buf, g)
	case "mermaid":
		err = graph.Mermaid(&buf, g)
	default:
		t.Fatalf("unknown format %q", format)
	}
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.String()
}

// TestGolden draws testdata/small (every kind of node and edge: trigger,
// goal, wait, condition, decision, fork, split with weights, end, a draft,
// a sequence with a rule step, add_to_sequence and add_to_campaign) in both
// formats. go test ./compiler/graph -update rewrites the golden files.
func TestGolden(t *testing.T) {
	p := compileDir(t, filepath.Join("testdata", "small"))
	for _, tc := range []struct {
		format, file string
		opts         graph.Options
	}{
		{"mermaid", "small.mmd", graph.Options{}},
		{"dot", "small.dot", graph.Options{}},
		{"mermaid", "small-thank_you.mmd", graph.Options{Campaign: "thank_you"}},
		{"dot", "small-thank_you.dot", graph.Options{Campaign: "thank_you"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := render(t, tc.format, build(t, p, tc.opts))
			golden := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./compiler/graph -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (go test ./compiler/graph -update rewrites it):\n%s", tc.file, lineDiff(string(want), got))
			}
		})
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			out = append(out, "- "+wl, "+ "+gl)
		}
	}
	return strings.Join(out, "\n")
}

// TestModel checks the model itself: shapes, labels and edges of the small
// workspace.
func TestModel(t *testing.T) {
	p := compileDir(t, filepath.Join("testdata", "small"))
	g := build(t, p, graph.Options{})
	if len(g.Groups) != 3 {
		t.Fatalf("got %d groups, want 3 (2 campaigns, 1 sequence)", len(g.Groups))
	}
	nodes := map[string]*graph.Node{}
	for _, gr := range g.Groups {
		for _, n := range gr.Nodes {
			nodes[n.ID] = n
		}
	}
	for id, shape := range map[string]graph.Shape{
		"c_signup__form": graph.ShapeEntry, "c_signup__bought_anyway": graph.ShapeEntry,
		"c_signup__customer": graph.ShapeBranch, "c_signup__bought": graph.ShapeBranch,
		"c_signup__one_day": graph.ShapeWait, "c_signup__done": graph.ShapeEnd,
		"c_signup__both": graph.ShapeFork, "c_signup__offer": graph.ShapeSplit,
		"c_signup__welcome": graph.ShapeAction, "s_tips": graph.ShapeSequence, "s_tips__points": graph.ShapeStep,
	} {
		if n := nodes[id]; n == nil || n.Shape != shape {
			t.Errorf("node %s: got %+v, want shape %d", id, n, shape)
		}
	}
	if n := nodes["c_signup__offer_b"]; n == nil || !n.Draft || !strings.Contains(n.Title, "(draft)") {
		t.Errorf("the draft is not marked: %+v", n)
	}
	if n := nodes["c_signup__one_day"]; n == nil || strings.Join(n.Lines, " ") != "1d at 09:00" {
		t.Errorf("wait lines: %+v", n)
	}
	want := map[string]bool{
		"c_signup__customer then c_signup__done":   false,
		"c_signup__customer else c_signup__offer":  false,
		"c_signup__offer 50% c_signup__offer_a":    false,
		"c_signup__both path 1 c_signup__tips":     false,
		"c_signup__bought yes c_signup__thanks":    false,
		"c_signup__bought no c_signup__done":       false,
		"c_signup__form  c_signup__welcome":        false,
		"s_tips__first  s_tips__points":            false,
		"ref c_signup__tips  s_tips":               false,
		"ref c_signup__thanks  c_thank_you__added": false,
	}
	var all []graph.Edge
	for _, gr := range g.Groups {
		all = append(all, gr.Edges...)
	}
	all = append(all, g.Edges...)
	for _, e := range all {
		key := e.From + " " + e.Label + " " + e.To
		if e.Ref {
			key = "ref " + key
		}
		if _, ok := want[key]; ok {
			want[key] = true
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("missing edge %q", k)
		}
	}
	if g.EdgeCount() != len(all) {
		t.Errorf("EdgeCount %d, counted %d", g.EdgeCount(), len(all))
	}
}

// TestDeterministic: the same plan gives the same bytes, also after a JSON
// round trip (settings maps re-read in another order) and a fresh compile.
func TestDeterministic(t *testing.T) {
	dir := filepath.Join("testdata", "small")
	p1 := compileDir(t, dir)
	data, err := plan.Encode(p1)
	if err != nil {
		t.Fatal(err)
	}
	var p2 plan.Plan
	if err := json.Unmarshal(data, &p2); err != nil {
		t.Fatal(err)
	}
	p3 := compileDir(t, dir)
	for _, format := range []string{"mermaid", "dot"} {
		first := render(t, format, build(t, p1, graph.Options{}))
		for i := 0; i < 20; i++ {
			for _, p := range []*plan.Plan{p1, &p2, p3} {
				if got := render(t, format, build(t, p, graph.Options{})); got != first {
					t.Fatalf("%s output changed between runs:\n%s", format, lineDiff(first, got))
				}
			}
		}
	}
	// The nasty plan too: its IDs come from a collision resolver.
	first := render(t, "mermaid", build(t, nastyPlan(), graph.Options{}))
	for i := 0; i < 20; i++ {
		if got := render(t, "mermaid", build(t, nastyPlan(), graph.Options{})); got != first {
			t.Fatalf("output changed between runs:\n%s", lineDiff(first, got))
		}
	}
}

// TestIDs: IDs are [A-Za-z0-9_], never collide (names that sanitize alike,
// names across campaigns that join alike), and a clean name keeps its
// readable ID whatever the other names.
func TestIDs(t *testing.T) {
	g := build(t, nastyPlan(), graph.Options{})
	seen := map[string]string{}
	add := func(id, what string) {
		for _, r := range id {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				t.Errorf("ID %q of %s has %q", id, what, r)
			}
		}
		if other, dup := seen[id]; dup {
			t.Errorf("ID %q of %s is also the ID of %s", id, what, other)
		}
		seen[id] = what
	}
	for _, gr := range g.Groups {
		add(gr.ID, "group "+gr.Title)
		for _, n := range gr.Nodes {
			add(n.ID, n.Title)
		}
	}
	for _, id := range []string{"c_collide__a_b", "c_a__b__c", "c_a__b__c_2"} {
		if _, ok := seen[id]; !ok {
			t.Errorf("no node %s; IDs: %v", id, seen)
		}
	}
	// Every edge points at a node.
	for _, gr := range g.Groups {
		for _, e := range gr.Edges {
			if seen[e.From] == "" || seen[e.To] == "" {
				t.Errorf("edge %s -> %s points outside the diagram", e.From, e.To)
			}
		}
	}
}

func TestCampaignFilter(t *testing.T) {
	p := compileDir(t, filepath.Join("testdata", "small"))
	g := build(t, p, graph.Options{Campaign: "signup"})
	if len(g.Groups) != 1 || g.Groups[0].ID != "campaign_signup" {
		t.Fatalf("groups: %+v", g.Groups)
	}
	if len(g.Edges) != 0 {
		t.Errorf("references to campaigns and sequences not drawn: %+v", g.Edges)
	}
	_, err := graph.Build(p, graph.Options{Campaign: "sigup"})
	var unknown *graph.UnknownCampaignError
	if !errors.As(err, &unknown) || unknown.Name != "sigup" || len(unknown.Campaigns) != 2 {
		t.Errorf("got %v, want an UnknownCampaignError listing 2 campaigns", err)
	}
}

func TestDanglingEdge(t *testing.T) {
	p := &plan.Plan{Campaigns: []plan.Campaign{{Name: "c", Elements: []plan.Element{
		{Name: "a", Kind: "trigger", Edges: []plan.Edge{{Label: "next", To: "gone"}}},
	}}}}
	if _, err := graph.Build(p, graph.Options{}); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("got %v, want an error naming the missing element", err)
	}
}

func TestWrap(t *testing.T) {
	long := strings.Repeat("word ", 60)
	p := &plan.Plan{Campaigns: []plan.Campaign{{Name: "c", Elements: []plan.Element{
		{Name: "a", Kind: "condition", Settings: plan.Settings{"if": mustJSON(plan.Expression{Text: long})}},
		{Name: "b", Kind: "apply_note", Settings: plan.Settings{"text": mustJSON(plan.Expression{Text: strings.Repeat("x", 100)})}},
	}}}}
	g := build(t, p, graph.Options{})
	a, b := g.Groups[0].Nodes[0], g.Groups[0].Nodes[1]
	if len(a.Lines) != graph.MaxLines || !strings.HasSuffix(a.Lines[graph.MaxLines-1], "…") {
		t.Errorf("long text not cut at %d lines: %q", graph.MaxLines, a.Lines)
	}
	for _, l := range append(a.Lines, b.Lines...) {
		if n := len([]rune(l)); n > graph.LineWidth {
			t.Errorf("line of %d runes > %d: %q", n, graph.LineWidth, l)
		}
	}
	if strings.Join(b.Lines, "") != strings.Repeat("x", 100) {
		t.Errorf("a long word is cut, not lost: %q", b.Lines)
	}
	p = &plan.Plan{Campaigns: []plan.Campaign{{Name: "c", Elements: []plan.Element{
		{Name: "w", Kind: "wait", Settings: plan.Settings{"timer": mustJSON(plan.Timer{For: &plan.Duration{Minutes: 720}, OnDays: []string{"mon", "tue", "wed", "thu", "fri"}, Between: &plan.Window{Open: "09:00", Close: "11:30"}, TimeZone: plan.Zone{Mode: "contact"}})}},
	}}}}
	w := build(t, p, graph.Options{}).Groups[0].Nodes[0]
	if want := []string{"12h between 09:00-11:30 on weekdays", "(contact's zone)"}; strings.Join(w.Lines, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q: a short parenthesized phrase stays whole", w.Lines, want)
	}
}

func mustJSON(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}

// nastyPlan has every character that means something to Mermaid, dot,
// HTML or Markdown in campaign, sequence and element names, conditions and
// edge labels, names that sanitize to the same ID, Mermaid keywords as
// names, and Unicode.
func nastyPlan() *plan.Plan {
	str := func(s string) json.RawMessage { return mustJSON(s) }
	expr := func(s string) json.RawMessage { return mustJSON(plan.Expression{Text: s}) }
	on := func(kind string, args plan.Settings) json.RawMessage {
		return mustJSON(plan.Event{Kind: kind, Args: args})
	}
	next := func(to string) []plan.Edge { return []plan.Edge{{Label: "next", To: to}} }
	weird := `q"uote \back\slash <b>bold</b> & &amp; #quot; #35; |pipe| ` + "`tick` *star* _under_ ~~s~~ [x](y) {z} %% not a comment ; --> :::cls"
	return &plan.Plan{
		Campaigns: []plan.Campaign{
			{Name: weird, Reentry: plan.Reentry{Mode: "always"}, Elements: []plan.Element{
				{Name: "start <script>alert(1)</script>", Kind: "trigger", Settings: plan.Settings{"on": on("api", plan.Settings{"name": str(`a"b<c>&d`)})}, Edges: next(weird)},
				{Name: weird, Kind: "condition", Settings: plan.Settings{"if": expr("contact.points >= 10 &&\n  contact.plan != \"pro\" || contact.country == \"<none>\"")},
					Edges: []plan.Edge{{Label: "then", To: "end"}, {Label: "else", To: "café ☕ 日本語 🚀"}}},
				{Name: "café ☕ 日本語 🚀", Kind: "split", Edges: []plan.Edge{{Label: "path 1", To: "o", Weight: 33.3}, {Label: "path 2", To: "x", Weight: 66.7}}},
				{Name: "o", Kind: "send_email", Draft: true, Settings: plan.Settings{"email": str("é<&>\"")}, Edges: next("end")},
				{Name: "x", Kind: "apply_note", Settings: plan.Settings{"text": expr("line one\r\nline\ttwo \\n not a break \u2028 #lt; &lt; \x00 \x7f")}, Edges: next("subgraph")},
				{Name: "subgraph", Kind: "fork", Edges: []plan.Edge{{Label: "path 1", To: "end"}, {Label: "path 2", To: "graph"}}},
				{Name: "graph", Kind: "wait", Settings: plan.Settings{"timer": mustJSON(plan.Timer{For: &plan.Duration{Days: 1}, TimeZone: plan.Zone{Mode: "fixed", Name: "Europe/Zürich"}})}, Edges: next("end")},
				{Name: "end", Kind: "end", Settings: plan.Settings{"exit": mustJSON(true)}},
			}},
			{Name: "collide", Elements: []plan.Element{
				{Name: "a b", Kind: "trigger", Settings: plan.Settings{"on": on("contact_created", nil)}, Edges: next("a_b")},
				{Name: "a_b", Kind: "send_sms", Settings: plan.Settings{"sms": str("s")}, Edges: next("a-b")},
				{Name: "a-b", Kind: "end"},
			}},
			// "a" + "b__c" and "a__b" + "c" join to the same ID.
			{Name: "a", Elements: []plan.Element{
				{Name: "b__c", Kind: "trigger", Settings: plan.Settings{"on": on("contact_created", nil)}, Edges: next("style")},
				{Name: "style", Kind: "end"},
			}},
			{Name: "a__b", Elements: []plan.Element{
				{Name: "c", Kind: "goal", Settings: plan.Settings{"on": on("tag_added", plan.Settings{"tag": str("t")})}, Edges: next("class")},
				{Name: "class", Kind: "decision", Settings: plan.Settings{"on": on("email_opened", plan.Settings{"email": str("e")}), "within": mustJSON(plan.Duration{Days: 2})},
					Edges: []plan.Edge{{Label: "yes", To: "click"}, {Label: "no", To: "click"}}},
				{Name: "click", Kind: "add_to_sequence", Settings: plan.Settings{"sequence": str(weird)}, Edges: next("default")},
				{Name: "default", Kind: "end"},
			}},
		},
		Sequences: []plan.Sequence{
			{Name: weird, Kind: "step", Steps: []plan.Step{
				{Name: "<first> & \"only\"", Draft: true, Schedule: plan.Schedule{DaysAfter: 1, At: "07:00"},
					If:      &plan.Expression{Text: `contact.first_name != "" && contact.points > 3`},
					Actions: []plan.Action{{Kind: "send_email", Settings: plan.Settings{"email": str("a|b")}}}},
			}},
		},
	}
}

// TestKeySettings covers the words under each node (plan.Element.KeySetting
// and plan.Schedule.String, shared with the plan output).
func TestKeySettings(t *testing.T) {
	str := func(s string) json.RawMessage { return mustJSON(s) }
	expr := func(s string) json.RawMessage { return mustJSON(plan.Expression{Text: s}) }
	for _, tc := range []struct {
		kind string
		s    plan.Settings
		want string
	}{
		{"trigger", plan.Settings{"on": mustJSON(plan.Event{Kind: "tag_added", Args: plan.Settings{"tag": str("vip")}}), "where": expr("contact.points > 3")}, "on tag_added(tag.vip) where contact.points > 3"},
		{"goal", plan.Settings{"on": mustJSON(plan.Event{Kind: "api", Args: plan.Settings{"name": str("paid")}})}, `on api("paid")`},
		{"decision", plan.Settings{"on": mustJSON(plan.Event{Kind: "email_opened", Args: plan.Settings{"email": str("w")}}), "within": mustJSON(plan.Duration{Days: 1, Minutes: 600})}, "email_opened(email.w) within 1d10h"},
		{"decision", plan.Settings{"on": mustJSON(plan.Event{Kind: "product_purchased", Args: plan.Settings{"product": str("pro")}}), "deadline": mustJSON(plan.Timer{UntilField: &plan.FieldDate{Field: "renews_on", At: "09:00"}, TimeZone: plan.Zone{Mode: "contact", Name: "UTC"}})}, "product_purchased(product.pro) until renews_on at 09:00 (contact's zone)"},
		{"wait", plan.Settings{"timer": mustJSON(plan.Timer{For: &plan.Duration{Days: 2}, At: "07:00", OnDays: []string{"mon", "tue", "wed", "thu", "fri"}, TimeZone: plan.Zone{Mode: "contact", Name: "UTC"}})}, "2d at 07:00 on weekdays (contact's zone)"},
		{"condition", plan.Settings{"if": expr("has_tag(tag.customer)")}, "has_tag(tag.customer)"},
		{"end", plan.Settings{"exit": mustJSON(true)}, "exit"},
		{"end", plan.Settings{"exit": mustJSON(false)}, ""},
		{"change_tags", plan.Settings{"add": mustJSON([]string{"a"}), "remove": mustJSON([]string{"b", "c"})}, "+a -b -c"},
		{"change_tags", plan.Settings{"set": mustJSON([]string{"a", "b"})}, "tags = [a, b]"},
		{"change_tags", plan.Settings{"set": mustJSON([]string{})}, "tags = []"},
		{"update_contact", plan.Settings{"set": mustJSON([]plan.FieldSet{{Field: "plan", Value: plan.Expression{Text: "pro"}}}), "only_if_blank": mustJSON(true)}, "plan = pro (only if blank)"},
		{"adjust_points", plan.Settings{"points": mustJSON(10)}, "+10 points"},
		{"adjust_points", plan.Settings{"points": mustJSON(-5)}, "-5 points"},
		{"send_email", plan.Settings{"email": str("welcome")}, "email.welcome"},
		{"send_email", plan.Settings{"email": str("welcome"), "to": mustJSON(plan.Recipient{User: "dana"})}, "email.welcome to user.dana"},
		{"notify_email", plan.Settings{"to": mustJSON(plan.Recipient{Address: "ops@example.com"}), "subject": expr("New lead")}, "to ops@example.com: New lead"},
		{"notify_email", plan.Settings{"to": mustJSON(plan.Recipient{User: "dana"}), "email": str("alert")}, "email.alert to user.dana"},
		{"notify_sms", plan.Settings{"to": mustJSON(plan.Recipient{User: "maria"}), "body": expr("Call ${contact.first_name}")}, "to user.maria: Call ${contact.first_name}"},
		{"notify_email", plan.Settings{"to": mustJSON(plan.Recipient{Owner: true}), "email": str("alert")}, "email.alert to owner"},
		{"assign_task", plan.Settings{"task": str("call"), "assignee": str("maria"), "wait_for_completion": mustJSON(true)}, "task.call for user.maria, waits until done"},
		{"assign_task", plan.Settings{"task": str("call"), "wait_for_completion": mustJSON(false)}, "task.call"},
		{"change_stage", plan.Settings{"stage": str("customer")}, "to customer"},
		{"create_opportunity", plan.Settings{"stage": str("at_risk"), "owner": str("care")}, "stage at_risk, owner care"},
		{"membership_access", plan.Settings{"site": str("members"), "status": str("suspended")}, "members: suspended"},
		{"custom_audience", plan.Settings{"audience": str("lookalikes"), "op": str("remove")}, "remove from lookalikes"},
		{"do_not_contact", plan.Settings{"channel": str("sms"), "op": str("add")}, "add sms"},
		{"webhook", plan.Settings{"webhook": str("crm")}, "webhook.crm"},
		{"webhook", plan.Settings{"url": str("https://example.com/hook"), "method": str("PUT")}, "PUT https://example.com/hook"},
		{"apply_note", plan.Settings{"text": expr("Called ${contact.first_name}")}, "Called ${contact.first_name}"},
		{"create_appointment", plan.Settings{"title": expr("Demo"), "at": mustJSON(plan.Timer{For: &plan.Duration{Days: 1}, At: "10:00"})}, "Demo, 1d at 10:00"},
		{"cancel_open_orders", plan.Settings{}, "all products"},
		{"recharge_transactions", plan.Settings{"product": str("pro")}, "product.pro"},
		{"add_to_sequence", plan.Settings{"sequence": str("tips")}, "sequence.tips"},
		{"assign_owner", plan.Settings{"lead_router": str("round_robin")}, "lead_router.round_robin"},
		{"delete_contact", plan.Settings{}, ""},
		{"fork", plan.Settings{}, ""},
	} {
		if got := (plan.Element{Kind: tc.kind, Settings: tc.s}).KeySetting(); got != tc.want {
			t.Errorf("%s %s: got %q, want %q", tc.kind, tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    plan.Schedule
		want string
	}{
		{plan.Schedule{DaysAfter: 0, At: "10:00"}, "same day at 10:00"},
		{plan.Schedule{DaysAfter: 1, Delay: &plan.Duration{Minutes: 30}}, "1 day later +30m"},
		{plan.Schedule{DaysAfter: 3, At: "07:30", OnDays: []string{"sun", "sat"}}, "3 days later at 07:30 on weekends"},
		{plan.Schedule{Date: &plan.DateTime{Date: "2026-12-24", Time: "09:00"}, TimeZone: plan.Zone{Mode: "fixed", Name: "Europe/Berlin"}}, "on 2026-12-24 at 09:00 (Europe/Berlin)"},
		{plan.Schedule{OnField: &plan.FieldDate{Field: "birthday", Offset: plan.Duration{Days: -1}, Annual: true, At: "09:00"}}, "on birthday -1d at 09:00 (yearly)"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("schedule %+v: got %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestDocsExample: docs/graph.md shows the current output for
// testdata/small in a mermaid fence, and its picture exists.
func TestDocsExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "graph.md"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "small.mmd"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```mermaid\n"+string(golden)+"```\n") {
		t.Errorf("docs/graph.md does not show testdata/small.mmd in a mermaid fence: copy it there")
	}
	if _, err := os.Stat(filepath.Join("..", "..", "docs", "images", "onboarding.png")); err != nil {
		t.Errorf("docs/graph.md's picture: %v", err)
	}
}

// A split step's node shows each path's weight and message.
func TestSplitStepShowsItsPaths(t *testing.T) {
	dir := t.TempDir()
	src := `account {
  sms_numbers = ["+15550100"]
}
email "a" {
  subject = "A"
  body    = "A"
}
sms "b" {
  body = "B"
}
tag "go" {}
sequence "s" {
  step "offer" {
    split {
      path {
        weight = 60
        email  = email.a
      }
      path {
        weight = 40
        sms    = sms.b
      }
    }
  }
}
rule "r" {
  when = tag_added(tag.go)
  then {
    add_to_sequence {
      sequence = sequence.s
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.journey.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g := build(t, compileDir(t, dir), graph.Options{})
	for _, gr := range g.Groups {
		for _, n := range gr.Nodes {
			if n.ID == "s_s__offer" {
				if got, want := strings.Join(n.Lines, " | "), "same day at 10:00 | 60%: send_email email.a | 40%: send_sms sms.b"; got != want {
					t.Fatalf("the split step's lines are %q, want %q", got, want)
				}
				return
			}
		}
	}
	t.Fatal("no node for the split step")
}
