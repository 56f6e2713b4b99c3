package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/diff"
	"github.com/journeyhq/journey/compiler/plan"
)

var planTestdata = filepath.Join("..", "..", "compiler", "diff", "testdata")

// deployed compiles the diff tests' base workspace to a plan file, as what
// runs today, and returns the workspace and the plan's path.
func deployed(t *testing.T) (dir, planPath string) {
	t.Helper()
	dir = workspaceFrom(t, filepath.Join(planTestdata, "base"))
	planPath = filepath.Join(t.TempDir(), "deployed.json")
	if code, _, stderr := journeyRun(t, "compile", dir, "-o", planPath); code != 0 {
		t.Fatalf("journey compile exited %d:\n%s", code, stderr)
	}
	return dir, planPath
}

// changed is the base workspace with one element added, one changed, one
// removed, and a new tag.
func changed(t *testing.T) string {
	t.Helper()
	dir := workspaceFrom(t, filepath.Join(planTestdata, "base"))
	path := filepath.Join(dir, "onboarding.journey.hcl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, r := range []struct{ old, new string }{
		// wait "one_day" waits two days.
		{`for  = "1d"`, `for  = "2d"`},
		// adjust_points "engaged" comes after the tip.
		{"email = email.tip\n    next  = condition.bought", "email = email.tip\n    next  = adjust_points.engaged\n  }\n\n  adjust_points \"engaged\" {\n    points = 10\n    next   = condition.bought"},
		// send_email "thanks" goes.
		{"yes    = send_email.thanks", "yes    = end.done"},
		{"  send_email \"thanks\" {\n    email = email.thanks\n    next  = end.done\n  }\n\n", ""},
	} {
		if !strings.Contains(text, r.old) {
			t.Fatalf("testdata/base/onboarding.journey.hcl no longer has %q", r.old)
		}
		text = strings.Replace(text, r.old, r.new, 1)
	}
	writeWorkspaceFile(t, dir, "onboarding.journey.hcl", text)
	writeWorkspaceFile(t, dir, "vip.journey.hcl", "tag \"vip\" {}\n")
	return dir
}

func TestPlanShowsAddChangeRemove(t *testing.T) {
	_, old := deployed(t)
	code, stdout, stderr := journeyRun(t, "plan", changed(t), "--against", old)
	if code != 0 {
		t.Fatalf("journey plan exited %d (want 0 without --detailed-exitcode):\n%s", code, stderr)
	}
	for _, want := range [][]string{
		{"journey will change 1 campaign and 1 tag:"},
		{"  + tag \"vip\""},
		{"  ~ campaign \"onboarding\""},
		{"      + adjust_points \"engaged\"", "(new)"},
		{"      ~ send_email \"tip\".next: condition.bought -> adjust_points.engaged"},
		{"      ~ wait \"one_day\"", "for: \"1d\" -> \"2d\""},
		{"      ~ decision \"upgrade\".yes: send_email.thanks -> end.done"},
		{"      - send_email \"thanks\""},
		{"Plan: 1 to add, 1 to change, 0 to remove."},
	} {
		if !hasLine(stdout, want...) {
			t.Errorf("no line of the plan starts with %q and has %q:\n%s", want[0], want[1:], stdout)
		}
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Errorf("colour codes in output that is not a terminal:\n%q", stdout)
	}
}

func TestPlanDetailedExitcode(t *testing.T) {
	dir, old := deployed(t)
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", old, "--detailed-exitcode")
	if code != 0 {
		t.Errorf("no change with --detailed-exitcode exited %d, want 0:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "No changes") {
		t.Errorf("an unchanged workspace does not say No changes:\n%s", stdout)
	}
	code, stdout, stderr = journeyRun(t, "plan", changed(t), "--against", old, "--detailed-exitcode")
	if code != 2 {
		t.Errorf("a change with --detailed-exitcode exited %d, want 2:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Plan: 1 to add, 1 to change, 0 to remove.") {
		t.Errorf("with --detailed-exitcode the plan is still printed; got:\n%s", stdout)
	}
	if strings.Contains(stderr, "journey:") {
		t.Errorf("exit status 2 for changes is not an error, but stderr says:\n%s", stderr)
	}
	// Without the flag, changes are a success.
	if code, _, _ := journeyRun(t, "plan", changed(t), "--against", old); code != 0 {
		t.Errorf("a change without --detailed-exitcode exited %d, want 0", code)
	}
}

func TestPlanJSON(t *testing.T) {
	_, old := deployed(t)
	oldPlan := readPlan(t, old)
	dir := changed(t)
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", old, "--format", "json")
	if code != 0 {
		t.Fatalf("journey plan --format json exited %d:\n%s", code, stderr)
	}
	var got struct {
		FormatVersion string `json:"format_version"`
		diff.Changes
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("the JSON output does not parse: %v\n%s", err, stdout)
	}
	_, newPlanJSON, _ := journeyRun(t, "compile", dir)
	newPlan, err := plan.Decode([]byte(newPlanJSON))
	if err != nil {
		t.Fatal(err)
	}
	if got.FormatVersion != plan.FormatVersion || got.OldHash != oldPlan.Hash || got.NewHash != newPlan.Hash {
		t.Errorf("format_version %q, old_hash %q, new_hash %q; want %q, %q, %q",
			got.FormatVersion, got.OldHash, got.NewHash, plan.FormatVersion, oldPlan.Hash, newPlan.Hash)
	}
	if got.Summary != (diff.Summary{Add: 1, Change: 1, Remove: 0}) {
		t.Errorf("summary %+v", got.Summary)
	}
	ops := map[string]string{}
	for _, c := range got.Changes.Changes {
		ops[c.Type+" "+c.Name] = c.Op
		for _, child := range c.Children {
			ops[c.Name+"/"+child.Name] = child.Op
		}
	}
	for key, op := range map[string]string{
		"tag vip":             diff.Create,
		"campaign onboarding": diff.Update,
		"onboarding/engaged":  diff.Create,
		"onboarding/one_day":  diff.Update,
		"onboarding/thanks":   diff.Delete,
	} {
		if ops[key] != op {
			t.Errorf("%s: op %q, want %q (all: %v)", key, ops[key], op, ops)
		}
	}

	// Nothing changed: an empty list, not null.
	same, _ := deployed(t)
	_, stdout, _ = journeyRun(t, "plan", same, "--against", old, "--format", "json")
	var empty map[string]any
	if err := json.Unmarshal([]byte(stdout), &empty); err != nil {
		t.Fatal(err)
	}
	if list, ok := empty["changes"].([]any); !ok || len(list) != 0 {
		t.Errorf("no changes gives changes = %v, want []", empty["changes"])
	}
}

func TestPlanMarkdown(t *testing.T) {
	_, old := deployed(t)
	code, stdout, stderr := journeyRun(t, "plan", changed(t), "--against", old, "--format", "markdown")
	if code != 0 {
		t.Fatalf("journey plan --format markdown exited %d:\n%s", code, stderr)
	}
	for _, want := range [][]string{
		{"### journey plan: 1 to add, 1 to change, 0 to remove"},
		{"```diff"},
		{"+ tag \"vip\""},
		{"! campaign \"onboarding\""},
		{"!     wait \"one_day\"", "for: \"1d\" -> \"2d\""},
		{"+     adjust_points \"engaged\""},
		{"-     send_email \"thanks\""},
		{"```"},
		{"Plan: 1 to add, 1 to change, 0 to remove."},
	} {
		if !hasLine(stdout, want...) {
			t.Errorf("no line of the markdown starts with %q and has %q:\n%s", want[0], want[1:], stdout)
		}
	}
	// The change list is inside the fence.
	start, end := strings.Index(stdout, "```diff\n"), strings.LastIndex(stdout, "\n```\n")
	if start < 0 || end < start || !strings.Contains(stdout[start:end], "send_email \"thanks\"") {
		t.Errorf("the changes are not in a diff fence:\n%s", stdout)
	}
	if strings.Contains(stdout, "<details>") || strings.Contains(stdout, "next comment") {
		t.Errorf("a short plan is folded or split:\n%s", stdout)
	}
}

func TestPlanMarkdownFoldsAndSplitsLongPlans(t *testing.T) {
	dir := workspaceFrom(t, filepath.Join(planTestdata, "base"))
	// A campaign of 2000 elements, each changed: the list passes one comment.
	var b strings.Builder
	b.WriteString("campaign \"big\" {\n  trigger \"t\" {\n    on   = tag_added(tag.lead)\n    next = adjust_points.p0\n  }\n")
	const n = 2000
	for i := 0; i < n; i++ {
		next := "end.done"
		if i < n-1 {
			next = "adjust_points.p" + strconv.Itoa(i+1)
		}
		b.WriteString("  adjust_points \"p" + strconv.Itoa(i) + "\" {\n    points = 1\n    next   = " + next + "\n  }\n")
	}
	b.WriteString("  end \"done\" {}\n}\n")
	writeWorkspaceFile(t, dir, "big.journey.hcl", b.String())
	compiled := filepath.Join(t.TempDir(), "big.json")
	if code, _, stderr := journeyRun(t, "compile", dir, "-o", compiled); code != 0 {
		t.Fatalf("journey compile exited %d:\n%s", code, stderr)
	}
	writeWorkspaceFile(t, dir, "big.journey.hcl", strings.ReplaceAll(b.String(), "points = 1\n", "points = 2\n"))
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", compiled, "--format", "markdown")
	if code != 0 {
		t.Fatalf("journey plan --format markdown exited %d:\n%s", code, stderr)
	}
	comments := strings.Split(stdout, commentSeparator)
	if len(comments) < 2 {
		t.Fatalf("a %d-element change fits one comment of %d bytes?", n, len(stdout))
	}
	for i, c := range comments {
		if len(c) >= diff.MaxCommentSize {
			t.Errorf("comment %d is %d bytes, over GitHub's limit of %d", i+1, len(c), diff.MaxCommentSize)
		}
		if !strings.Contains(c, "<details><summary>") || !strings.Contains(c, "```diff\n") || !strings.Contains(c, "</details>") {
			t.Errorf("comment %d is not a folded diff fence:\n%.300s", i+1, c)
		}
		if !strings.Contains(c, "(part "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(comments))+")") {
			t.Errorf("comment %d does not say which part it is:\n%.200s", i+1, c)
		}
	}
	if last := comments[len(comments)-1]; !strings.Contains(last, "Plan: 0 to add, 1 to change, 0 to remove.") {
		t.Errorf("the last comment does not end with the count:\n%s", last[max(0, len(last)-300):])
	}
	// Every one of the n changed elements is listed, over the comments.
	if got := strings.Count(stdout, "points: 1 -> 2"); got != n {
		t.Errorf("%d of %d changed elements are listed", got, n)
	}
}

func TestPlanOutWritesAPlanFile(t *testing.T) {
	_, old := deployed(t)
	oldPlan := readPlan(t, old)
	dir := changed(t)
	out := filepath.Join(t.TempDir(), "change.plan")
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", old, "--out", out)
	if code != 0 {
		t.Fatalf("journey plan --out exited %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Plan: 1 to add") {
		t.Errorf("with --out the plan is still printed:\n%s", stdout)
	}
	if !strings.Contains(stderr, "Saved the plan to "+out) {
		t.Errorf("stderr does not say where the plan was saved:\n%s", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no plan file: %v", err)
	}
	p, file, err := plan.DecodeAny(data)
	if err != nil {
		t.Fatalf("plan.DecodeAny refuses the plan file: %v", err)
	}
	if file == nil {
		t.Fatalf("plan.DecodeAny reads the plan file as a bare plan")
	}
	if file.Against.Hash != oldPlan.Hash {
		t.Errorf("against.hash %q, want the deployed plan's %q", file.Against.Hash, oldPlan.Hash)
	}
	if file.Against.Source != old || file.Against.Serial != nil {
		t.Errorf("against %+v, want source %q and no serial", file.Against, old)
	}
	if file.FormatVersion != plan.FormatVersion || file.ToolVersion == "" {
		t.Errorf("format_version %q, tool_version %q", file.FormatVersion, file.ToolVersion)
	}
	_, compiled, _ := journeyRun(t, "compile", dir)
	if want := readPlanBytes(t, []byte(compiled)); p.Hash != want.Hash {
		t.Errorf("the plan file holds plan %s, the workspace compiles to %s", p.Hash, want.Hash)
	}
	// A plan file is also something to compare with: the workspace it was
	// made from has no changes against it.
	code, stdout, _ = journeyRun(t, "plan", dir, "--against", out, "--detailed-exitcode")
	if code != 0 || !strings.Contains(stdout, "No changes") {
		t.Errorf("the workspace against its own plan file: exit %d:\n%s", code, stdout)
	}
}

func TestPlanAgainstMissingOrInvalidFile(t *testing.T) {
	dir, _ := deployed(t)
	tmp := t.TempDir()
	notJSON := filepath.Join(tmp, "notes.txt")
	writeWorkspaceFile(t, tmp, "notes.txt", "deployed on Tuesday\n")
	otherVersion := filepath.Join(tmp, "v9.json")
	writeWorkspaceFile(t, tmp, "v9.json", `{"format_version": "9", "hash": "sha256:00"}`)
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"missing file", []string{"--against", filepath.Join(tmp, "nowhere.json")}, []string{"cannot read", "nowhere.json"}},
		{"not JSON", []string{"--against", notJSON}, []string{notJSON + ":1:1: ", "not JSON", "an execution plan is a JSON object"}},
		{"another format version", []string{"--against", otherVersion}, []string{otherVersion, `"9"`, "compile it again"}},
		{"no baseline", nil, []string{"nothing to compare with", "--against"}},
		{"two baselines", []string{"--against", notJSON, "--server", "http://127.0.0.1:1"}, []string{"not both"}},
		{"unknown format", []string{"--against", notJSON, "--format", "yaml"}, []string{`unknown format "yaml"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := journeyRun(t, append([]string{"plan", dir}, c.args...)...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (any error of journey plan)", code)
			}
			if stdout != "" {
				t.Errorf("printed a plan anyway:\n%s", stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
		})
	}
}

func TestPlanRefusesATamperedPlan(t *testing.T) {
	dir, old := deployed(t)
	data, err := os.ReadFile(old)
	if err != nil {
		t.Fatal(err)
	}
	// Someone "fixes" the deployed wait by hand.
	if !strings.Contains(string(data), `"at":"09:00"`) {
		t.Fatalf("the deployed plan has no wait at 09:00:\n%s", data)
	}
	tampered := filepath.Join(t.TempDir(), "tampered.json")
	writeWorkspaceFile(t, filepath.Dir(tampered), filepath.Base(tampered), strings.Replace(string(data), `"at":"09:00"`, `"at":"07:00"`, 1))
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", tampered)
	if code != 1 {
		t.Errorf("a tampered plan: exit %d, want 1", code)
	}
	if stdout != "" {
		t.Errorf("a tampered plan was compared with:\n%s", stdout)
	}
	for _, want := range []string{tampered, "does not match its hash", "edited by hand"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}

	// The same inside a plan file.
	out := filepath.Join(t.TempDir(), "change.plan")
	if code, _, stderr := journeyRun(t, "plan", changed(t), "--against", old, "--out", out); code != 0 {
		t.Fatalf("journey plan --out exited %d:\n%s", code, stderr)
	}
	saved, _ := os.ReadFile(out)
	var file map[string]any
	if err := json.Unmarshal(saved, &file); err != nil {
		t.Fatal(err)
	}
	file["plan"].(map[string]any)["account"].(map[string]any)["time_zone"] = "Europe/Paris"
	edited, _ := json.MarshalIndent(file, "", "  ")
	writeWorkspaceFile(t, filepath.Dir(out), filepath.Base(out), string(edited))
	code, _, stderr = journeyRun(t, "plan", dir, "--against", out)
	if code != 1 || !strings.Contains(stderr, "does not match its hash") {
		t.Errorf("a tampered plan file: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestPlanRefusesAWorkspaceWithErrors(t *testing.T) {
	dir, old := deployed(t)
	writeWorkspaceFile(t, dir, "broken.journey.hcl", "campaign \"broken\" {\n  trigger \"t\" {\n    on   = tag_added(tag.nowhere)\n    next = end.done\n  }\n  end \"done\" {}\n}\n")
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", old, "--detailed-exitcode")
	if code != 1 {
		t.Errorf("journey plan on a workspace with errors exited %d, want 1", code)
	}
	if stdout != "" || !strings.Contains(stderr, "has errors") {
		t.Errorf("stdout %q, stderr:\n%s", stdout, stderr)
	}
}

// hasLine reports whether a line of out starts with parts[0] and has the
// other parts after it, in order.
func hasLine(out string, parts ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, parts[0]) {
			continue
		}
		rest, ok := line[len(parts[0]):], true
		for _, p := range parts[1:] {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

func readPlan(t *testing.T, path string) *plan.Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readPlanBytes(t, data)
}

func readPlanBytes(t *testing.T, data []byte) *plan.Plan {
	t.Helper()
	p, err := plan.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanOutDashIsRefused(t *testing.T) {
	_, old := deployed(t)
	dir := changed(t)
	code, stdout, stderr := journeyRun(t, "plan", dir, "--against", old, "--out", "-")
	if code == 0 || stdout != "" || !strings.Contains(stderr, "give --out a file name") {
		t.Errorf("journey plan --out -: exit %d, stdout %q, stderr %q; want a refusal before anything is printed", code, stdout, stderr)
	}
}

// exitTable is an "Exit status" table of journey plan: for each status,
// what it means without and with --detailed-exitcode.
type exitTable map[int][2]string

// helpExitTable reads the table that follows "Exit status" in --help:
// lines of a status and two columns, separated by two spaces or more.
func helpExitTable(t *testing.T, help string) exitTable {
	t.Helper()
	_, after, ok := strings.Cut(help, "\nExit status")
	if !ok {
		t.Fatalf("journey plan --help has no Exit status:\n%s", help)
	}
	row := regexp.MustCompile(`^\s+(\d)\s{2,}(\S.*?)\s{2,}(\S.*?)\s*$`)
	table := exitTable{}
	for _, line := range strings.Split(after, "\n")[1:] {
		m := row.FindStringSubmatch(line)
		if m == nil {
			break
		}
		code, _ := strconv.Atoi(m[1])
		table[code] = [2]string{m[2], m[3]}
	}
	return table
}

// docsExitTable reads the Markdown table that follows "Exit status" in
// docs/plan.md's journey plan section.
func docsExitTable(t *testing.T, md string) exitTable {
	t.Helper()
	_, section, _ := strings.Cut(md, "\n## journey plan\n")
	_, after, ok := strings.Cut(section, "\nExit status")
	if !ok {
		t.Fatalf("docs/plan.md's journey plan section has no Exit status")
	}
	row := regexp.MustCompile("^\\|\\s*(\\d)\\s*\\|([^|]+)\\|([^|]+)\\|\\s*$")
	table := exitTable{}
	started := false
	for _, line := range strings.Split(after, "\n")[1:] {
		m := row.FindStringSubmatch(line)
		switch {
		case m != nil:
			started = true
			code, _ := strconv.Atoi(m[1])
			table[code] = [2]string{strings.TrimSpace(m[2]), strings.TrimSpace(m[3])}
		case started:
			return table
		}
	}
	return table
}

// documentedCode is the status whose meaning in column (0: without
// --detailed-exitcode, 1: with it) is meaning.
func documentedCode(t *testing.T, table exitTable, column int, meaning string) int {
	t.Helper()
	found := -1
	for code, row := range table {
		if row[column] == meaning {
			if found >= 0 {
				t.Fatalf("statuses %d and %d both mean %q", found, code, meaning)
			}
			found = code
		}
	}
	if found < 0 {
		t.Fatalf("no status means %q in %v", meaning, table)
	}
	return found
}

// TestPlanExitStatusIsWhatHelpAndDocsSay runs journey plan on each outcome,
// with and without --detailed-exitcode, and checks the exit status against
// the table of --help and the one of docs/plan.md, which must agree.
func TestPlanExitStatusIsWhatHelpAndDocsSay(t *testing.T) {
	_, help, _ := journeyRun(t, "plan", "--help")
	helpTable := helpExitTable(t, help)
	md, err := os.ReadFile(filepath.Join("..", "..", "docs", "plan.md"))
	if err != nil {
		t.Fatal(err)
	}
	docsTable := docsExitTable(t, string(md))
	if !reflect.DeepEqual(helpTable, docsTable) {
		t.Fatalf("--help and docs/plan.md disagree on the exit status:\n--help:        %v\ndocs/plan.md:  %v", helpTable, docsTable)
	}
	// Terraform's convention (shared/spec/CLI.md): 0 success, 1 any error,
	// 2 changes only with --detailed-exitcode.
	for code, want := range map[int]string{0: "success", 1: "error", 2: "changes"} {
		row := helpTable[code]
		if meaning := row[0] + " / " + row[1]; !strings.Contains(meaning, want) {
			t.Errorf("status %d means %q, want it to say %q", code, meaning, want)
		}
	}

	unchanged, old := deployed(t)
	change := changed(t)
	missing := filepath.Join(t.TempDir(), "nowhere.json")
	for _, c := range []struct {
		outcome       string
		args          []string
		without, with string // the meaning in the table
	}{
		{"no change", []string{unchanged, "--against", old}, "success (changes or not)", "no change"},
		{"changes", []string{change, "--against", old}, "success (changes or not)", "changes"},
		{"usage error: unknown flag", []string{unchanged, "--against", old, "--colour"}, "any error", "any error"},
		{"usage error: unknown format", []string{unchanged, "--against", old, "--format", "yaml"}, "any error", "any error"},
		{"usage error: two directories", []string{unchanged, change, "--against", old}, "any error", "any error"},
		{"usage error: no --against", []string{unchanged}, "any error", "any error"},
		{"missing --against file", []string{unchanged, "--against", missing}, "any error", "any error"},
	} {
		for column, flag := range []string{"", "--detailed-exitcode"} {
			args := append([]string{"plan"}, c.args...)
			meaning := c.without
			if flag != "" {
				args, meaning = append(args, flag), c.with
			}
			want := documentedCode(t, docsTable, column, meaning)
			if code, _, stderr := journeyRun(t, args...); code != want {
				t.Errorf("%s %s: exit %d; --help and docs/plan.md say %d (%s)\n%s", c.outcome, flag, code, want, meaning, stderr)
			}
		}
	}
}
