package validate_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/lang/kinds"
	"github.com/journeyhq/journey/validate"
)

// This file holds what the rule tests share: a case is a small workspace
// and the findings validate.Dir must report for it, nothing more and
// nothing less. Each rules_*_test.go keeps a table of cases for the rules
// of its rule file; TestEveryRuleHasCases makes sure that every rule of
// the registry has a case where it fires and one where it must stay quiet.

// testNow is the time of every test run (past-date compares against it).
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// mainFile is the file a case's src is written to.
const mainFile = "main.journey.hcl"

// Severities, short for the tables.
const (
	E = validate.Error
	W = validate.Warning
)

// ruleCase is one workspace and what validate must find in it.
type ruleCase struct {
	name string
	// rule is the rule the case is about. A case that wants a finding of
	// it shows that the rule fires; a case that does not is a
	// false-positive guard: the rule must not fire at all.
	rule string
	// src is main.journey.hcl; files are more files of the workspace.
	src   string
	files map[string]string
	// opts are the options of the run (Now defaults to testNow).
	opts validate.Options
	// want are the findings that must be reported, of any rule. Any other
	// finding fails the case unless its rule is listed in allow (never the
	// case's own rule).
	want  []want
	allow []string
}

// want is one expected finding.
type want struct {
	rule string
	sev  validate.Severity
	// file defaults to main.journey.hcl.
	file string
	// at is text that occurs exactly once in the file and starts where the
	// finding's range starts (line and column are checked); or give line
	// alone.
	at   string
	line int
	// msg and hint are words the message and the hint must contain
	// (case-insensitive). A finding of the case's own rule must name
	// words of both: what happens to a contact, and what to do.
	msg  []string
	hint []string
	// related are texts (as at, in file file:text form or in the same
	// file) where a related location of the finding must start.
	related []string
}

// fires reports whether the case expects its rule to fire.
func (c ruleCase) fires() bool {
	for _, w := range c.want {
		if w.rule == c.rule {
			return true
		}
	}
	return false
}

// noHintRules are the rules whose findings may come without a hint: HCL's
// own syntax errors carry none.
var noHintRules = map[string]bool{"syntax": true}

// runCases runs each case as a subtest.
func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			runCase(t, c)
		})
	}
}

func runCase(t *testing.T, c ruleCase) {
	t.Helper()
	fsys := fstest.MapFS{}
	if c.src != "" {
		fsys[mainFile] = &fstest.MapFile{Data: []byte(c.src)}
	}
	for name, src := range c.files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	opts := c.opts
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	res, err := validate.Dir(fsys, ".", opts)
	if err != nil {
		t.Fatalf("validate.Dir: %v", err)
	}
	got := res.Findings
	matched := make([]bool, len(got))
	for _, w := range c.want {
		file := w.file
		if file == "" {
			file = mainFile
		}
		line, col := w.line, 0
		if w.at != "" {
			line, col = position(t, fsys, file, w.at)
		}
		if w.rule == c.rule && (len(w.msg) == 0 || (len(w.hint) == 0 && !noHintRules[w.rule])) {
			t.Errorf("test bug: the want of %s at %s:%d must name words of the message and of the hint", w.rule, file, line)
		}
		i := findFinding(got, matched, w.rule, file, line, col)
		if i < 0 {
			t.Errorf("missing %s %s at %s:%d (column %d)\ngot:\n%s", w.sev, w.rule, file, line, col, findingsText(got))
			continue
		}
		matched[i] = true
		f := got[i]
		if f.Severity != w.sev {
			t.Errorf("%s at %s:%d is a %s, want %s", w.rule, file, line, f.Severity, w.sev)
		}
		for _, word := range w.msg {
			if !containsFold(f.Message, word) {
				t.Errorf("%s at %s:%d: message %q does not say %q", w.rule, file, line, f.Message, word)
			}
		}
		for _, word := range w.hint {
			if !containsFold(f.Hint, word) {
				t.Errorf("%s at %s:%d: hint %q does not say %q", w.rule, file, line, f.Hint, word)
			}
		}
		for _, rel := range w.related {
			rfile, text := file, rel
			if name, rest, ok := strings.Cut(rel, ":"); ok && fsys[name] != nil {
				rfile, text = name, rest
			}
			rline, rcol := position(t, fsys, rfile, text)
			found := false
			for _, r := range f.Related {
				found = found || (r.Range.Filename == rfile && r.Range.Start.Line == rline && r.Range.Start.Column == rcol)
			}
			if !found {
				t.Errorf("%s at %s:%d: no related location at %s:%d:%d; related: %v", w.rule, file, line, rfile, rline, rcol, f.Related)
			}
		}
	}
	for i, f := range got {
		if matched[i] {
			continue
		}
		switch {
		case f.Rule == c.rule:
			t.Errorf("%s must not fire here, but: %s", c.rule, findingLine(f))
		case !slices.Contains(c.allow, f.Rule):
			t.Errorf("unexpected finding: %s", findingLine(f))
		}
	}
}

// findFinding returns the index of the first unmatched finding of the rule
// at the place (col 0: any column), or -1.
func findFinding(got []validate.Finding, matched []bool, rule, file string, line, col int) int {
	for i, f := range got {
		if matched[i] || f.Rule != rule || f.Range.Filename != file || f.Range.Start.Line != line {
			continue
		}
		if col != 0 && f.Range.Start.Column != col {
			continue
		}
		return i
	}
	return -1
}

// position returns the line and column of the one occurrence of text in a
// file of the workspace.
func position(t *testing.T, fsys fstest.MapFS, file, text string) (line, col int) {
	t.Helper()
	f, ok := fsys[file]
	if !ok {
		t.Fatalf("test bug: no file %s", file)
	}
	src := string(f.Data)
	i := strings.Index(src, text)
	if i < 0 || strings.Count(src, text) != 1 {
		t.Fatalf("test bug: %q must occur exactly once in %s", text, file)
	}
	line = 1 + strings.Count(src[:i], "\n")
	col = 1 + i - (strings.LastIndex(src[:i], "\n") + 1)
	return line, col
}

func containsFold(s, word string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(word))
}

func findingLine(f validate.Finding) string {
	return fmt.Sprintf("%s:%d:%d %s[%s] %s (hint: %s)", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Severity, f.Rule, f.Message, f.Hint)
}

func findingsText(fs []validate.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + findingLine(f) + "\n")
	}
	return b.String()
}

// allCases are the cases of every rule table.
func allCases() []ruleCase {
	var all []ruleCase
	for _, table := range [][]ruleCase{
		languageCases,
		accountCases,
		declarationCases,
		suppressionCases,
		timerCases,
		entryCases,
		flowCases,
		holdCases,
		pauseCases,
		sendCases,
		segmentCases,
		channelCases,
	} {
		all = append(all, table...)
	}
	return all
}

// TestEveryRuleHasCases fails when a rule of the registry has no case
// where it fires or no case where it must stay quiet: a new rule cannot be
// added untested.
func TestEveryRuleHasCases(t *testing.T) {
	fires, quiet := map[string]int{}, map[string]int{}
	names := map[string]bool{}
	for _, c := range allCases() {
		key := c.rule + "/" + c.name
		if names[key] {
			t.Errorf("two cases named %s", key)
		}
		names[key] = true
		if validate.LookupRule(c.rule) == nil {
			t.Errorf("case %s is about %q, which is no rule", key, c.rule)
		}
		for _, w := range c.want {
			if r := validate.LookupRule(w.rule); r == nil {
				t.Errorf("case %s wants %q, which is no rule", key, w.rule)
			} else if r.Severity != w.sev {
				t.Errorf("case %s wants %s as a %s; the registry says %s", key, w.rule, w.sev, r.Severity)
			}
		}
		if c.fires() {
			fires[c.rule]++
		} else {
			quiet[c.rule]++
		}
	}
	var missing []string
	for _, r := range validate.Rules() {
		if fires[r.Name] == 0 {
			missing = append(missing, fmt.Sprintf("%s: no case where it fires", r.Name))
		}
		if quiet[r.Name] == 0 {
			missing = append(missing, fmt.Sprintf("%s: no case where it must stay quiet", r.Name))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

// TestRulesSurviveBrokenWorkspaces runs every rule over workspaces where
// every block of every kind, and every action in a rule and a rule step,
// has no attributes at all, or has each of its attributes set to a value of
// the wrong shape. The language rules report them; no rule may panic on
// what they leave half decoded.
func TestRulesSurviveBrokenWorkspaces(t *testing.T) {
	shapes := map[string]string{
		"empty":     "",
		"number":    "1",
		"string":    `"x"`,
		"reference": "tag.lead",
		"list":      "[tag.lead, 1]",
		"object":    `{ a = 1 }`,
		"call":      "tag_added(tag.lead)",
	}
	for name, value := range shapes {
		t.Run(name, func(t *testing.T) {
			src := brokenWorkspace(value)
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v\nworkspace:\n%s", r, src)
				}
			}()
			res, err := validate.Dir(fstest.MapFS{mainFile: {Data: []byte(src)}}, ".", validate.Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if res.Program == nil {
				t.Fatalf("the workspace did not compile, so no rule ran:\n%s", findingsText(res.Findings))
			}
			if errs, _ := validate.Counts(res.Findings); value != "" && errs == 0 {
				t.Errorf("a workspace of %s values has no error", name)
			}
		})
	}
}

// brokenWorkspace writes every declaration, element and action kind with
// each attribute set to value (none when value is "").
func brokenWorkspace(value string) string {
	var b strings.Builder
	body := func(k *kinds.Kind, indent string) {
		if value == "" {
			return
		}
		for _, a := range k.Attrs {
			fmt.Fprintf(&b, "%s  %s = %s\n", indent, a.Name, value)
		}
		for _, nb := range k.Blocks {
			fmt.Fprintf(&b, "%s  %s %s{\n", indent, nb.Name, strings.Repeat(`"x" `, len(nb.Labels)))
			for _, a := range nb.Attrs {
				fmt.Fprintf(&b, "%s    %s = %s\n", indent, a.Name, value)
			}
			fmt.Fprintf(&b, "%s  }\n", indent)
		}
	}
	b.WriteString("tag \"lead\" {}\n\n")
	for _, k := range kinds.Declarations() {
		if k.Name == "campaign" || k.Name == "tag" {
			continue
		}
		fmt.Fprintf(&b, "%s %s{\n", k.Name, strings.Repeat(`"broken" `, len(k.Labels)))
		body(k, "")
		b.WriteString("}\n\n")
	}
	b.WriteString("campaign \"c\" {\n  trigger \"start\" {\n    on   = tag_added(tag.lead)\n    next = wait.x_wait\n  }\n")
	for _, k := range kinds.Elements() {
		fmt.Fprintf(&b, "  %s \"x_%s\" {\n", k.Name, k.Name)
		body(k, "  ")
		b.WriteString("  }\n")
	}
	b.WriteString("}\n\nrule \"r\" {\n  when = tag_added(tag.lead)\n  then {\n")
	for _, k := range kinds.Actions() {
		fmt.Fprintf(&b, "    %s {\n", k.Name)
		body(k, "    ")
		b.WriteString("    }\n")
	}
	b.WriteString("  }\n}\n\nsequence \"s\" {\n  step \"a\" {\n    rule {\n      then {\n")
	for _, k := range kinds.Actions() {
		fmt.Fprintf(&b, "        %s {\n", k.Name)
		body(k, "        ")
		b.WriteString("        }\n")
	}
	b.WriteString("      }\n    }\n  }\n}\n")
	return b.String()
}
