package validate

import (
	"fmt"
	"io/fs"
	goruntime "runtime"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/lang"
)

// Options select the rules of a run.
type Options struct {
	// Now is the time past-date compares against (zero: time.Now()).
	Now time.Time
	// Only keeps the findings of these rules (syntax errors are always
	// kept: nothing else can be trusted while they stand).
	Only []string
	// Skip drops the findings of these rules.
	Skip []string
	// SkipScenarios leaves the scenario files (*.journeytest.hcl) unread.
	// The plan does not need them: compile, plan, graph and simulate are
	// not held back by a broken test, as terraform plan is not by a broken
	// *.tftest.hcl, while journey validate and journey test check them.
	SkipScenarios bool
}

// Result is what a run found.
type Result struct {
	Workspace *lang.Workspace
	// Tests are the scenario files of the workspace (none: an empty
	// workspace; nil with SkipScenarios).
	Tests *lang.Workspace
	// Program is nil when syntax errors kept the workspace from compiling.
	Program *compiler.Program
	// Scenarios are the tests' scenarios that compiled without error
	// against Program.
	Scenarios []plan.Scenario
	Findings  []Finding
}

// FileNames are the campaign and scenario files the run read, in that
// order, each sorted.
func (r *Result) FileNames() []string {
	var names []string
	for _, ws := range []*lang.Workspace{r.Workspace, r.Tests} {
		if ws != nil {
			names = append(names, ws.FileNames...)
		}
	}
	return names
}

// Sources are the texts of every file a finding may point into (campaign
// and scenario files, and the templates they read), by name.
func (r *Result) Sources() map[string][]byte {
	out := map[string][]byte{}
	for _, ws := range []*lang.Workspace{r.Workspace, r.Tests} {
		if ws == nil {
			continue
		}
		for name, f := range ws.Files {
			out[name] = f.Src
		}
	}
	return out
}

// CheckRuleNames returns an error naming the first unknown rule name, with
// the closest known one.
func CheckRuleNames(names []string) error {
	for _, n := range names {
		if LookupRule(n) == nil {
			if s := suggest.Closest(n, RuleNames()); s != "" {
				return fmt.Errorf("there is no rule %q; did you mean %q?", n, s)
			}
			return fmt.Errorf("there is no rule %q; journey validate --help lists them", n)
		}
	}
	return nil
}

// Dir loads, compiles and validates the workspace in dir of fsys, and the
// scenarios beside it as journey test reads them (unless SkipScenarios):
// the one code path of journey validate, journey test, its tests and the
// conformance cases.
func Dir(fsys fs.FS, dir string, opts Options) (*Result, error) {
	ws, diags, err := lang.Load(fsys, dir)
	if err != nil {
		return nil, err
	}
	var prog *compiler.Program
	if !ws.Incomplete {
		var cdiags hcl.Diagnostics
		prog, cdiags = compiler.Compile(ws)
		diags = append(diags, cdiags...)
	}
	var tests *lang.Workspace
	var scenarios []plan.Scenario
	if !opts.SkipScenarios {
		var tdiags hcl.Diagnostics
		if tests, tdiags, err = lang.LoadTests(fsys, dir); err != nil {
			return nil, err
		}
		diags = append(diags, tdiags...)
		// Without a program (campaign files that do not parse) only the
		// scenarios' own syntax can be checked: their references would
		// all look unknown.
		if prog != nil && len(tests.FileNames) > 0 {
			var sdiags hcl.Diagnostics
			scenarios, sdiags = compiler.Scenarios(prog, tests)
			diags = append(diags, sdiags...)
		}
	}
	res := Run(ws, prog, diags, opts)
	res.Tests, res.Scenarios = tests, scenarios
	return res, nil
}

// Run turns diagnostics into findings, runs every selected rule over the
// program (when there is one), applies ignore = [...] and sorts the result.
func Run(ws *lang.Workspace, prog *compiler.Program, diags hcl.Diagnostics, opts Options) *Result {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	sel := newSelection(opts)
	var findings []Finding
	for _, d := range diags {
		findings = append(findings, fromDiagnostic(d))
	}
	if prog != nil {
		// Collecting the ignore lists walks every block: it runs beside the
		// rules, which leave a core idle at their end.
		ignores := make(chan ignoreLists, 1)
		go func() { ignores <- collectIgnores(prog) }()
		findings = append(findings, runRules(prog, opts.Now, sel)...)
		findings = suppress(<-ignores, findings, sel)
	}
	kept := findings[:0]
	for _, f := range findings {
		if sel.keeps(f.Rule) {
			kept = append(kept, f)
		}
	}
	sortFindings(kept)
	return &Result{Workspace: ws, Program: prog, Findings: kept}
}

type selection struct {
	only, skip map[string]bool
}

func newSelection(opts Options) selection {
	s := selection{only: map[string]bool{}, skip: map[string]bool{}}
	for _, n := range opts.Only {
		s.only[n] = true
	}
	for _, n := range opts.Skip {
		s.skip[n] = true
	}
	return s
}

// runs reports whether the rule's findings can be kept.
func (s selection) runs(rule string) bool {
	return !s.skip[rule] && (len(s.only) == 0 || s.only[rule])
}

func (s selection) keeps(rule string) bool { return rule == lang.RuleSyntax || s.runs(rule) }

func fromDiagnostic(d *hcl.Diagnostic) Finding {
	f := Finding{Rule: lang.RuleOf(d), Message: d.Summary, Hint: d.Detail}
	if f.Rule == "" {
		f.Rule = lang.RuleSchema
	}
	if info, ok := d.Extra.(*lang.DiagInfo); !ok || info.HCLWording {
		f.Message, f.Hint = splitHCLDetail(d.Summary, d.Detail)
	}
	if d.Severity == hcl.DiagWarning {
		f.Severity = Warning
	}
	if d.Subject != nil {
		f.Range = *d.Subject
	}
	for _, r := range lang.RelatedOf(d) {
		f.Related = append(f.Related, Related{Message: r.Message, Range: r.Range})
	}
	return f
}

// splitHCLDetail turns HCL's "Unsupported argument" + "An argument named
// "nxt" is not expected here. Did you mean "next"?" into a message that says
// what is wrong and a hint that says what to do. Without a near name the
// hint is to remove it, with what the block takes (lang's rewordUnsupported
// writes the detail).
func splitHCLDetail(summary, detail string) (message, hint string) {
	if detail == "" {
		return summary, ""
	}
	if i := strings.Index(detail, "Did you mean"); i >= 0 {
		hint := strings.TrimSpace(detail[i:])
		// No name is near: lang lists what the block takes, "Did you
		// mean one of a, b? (the attributes X takes)".
		if names, ok := strings.CutPrefix(hint, "Did you mean one of "); ok {
			names, takes, _ := strings.Cut(names, "? (")
			hint = fmt.Sprintf("remove it (%s: %s)", strings.TrimSuffix(takes, ")"), names)
		}
		return strings.TrimSpace(detail[:i]), hint
	}
	// "... not expected here. tag "lead" takes no blocks."
	if what, takesNone, ok := strings.Cut(detail, " here. "); ok && strings.Contains(takesNone, " takes no ") {
		return what + " here.", "remove it: " + strings.TrimSuffix(takesNone, ".")
	}
	return summary + ": " + detail, ""
}

// runRules runs the selected rules, spread over the machine's cores: rules
// only read the program and the facts, and each writes its own findings.
func runRules(prog *compiler.Program, now time.Time, sel selection) []Finding {
	f := newFacts(prog)
	var rules []Rule
	for _, r := range Rules() {
		if r.Check != nil && sel.runs(r.Name) {
			rules = append(rules, r)
		}
	}
	results := make([][]Finding, len(rules))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(goruntime.GOMAXPROCS(0), len(rules)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rule := rules[i]
				rule.Check(&Pass{Program: prog, Now: now, rule: &rule, out: &results[i], facts: f})
			}
		}()
	}
	for i := range rules {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []Finding
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}
