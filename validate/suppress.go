package validate

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/lang"
)

// ignoreEntry is one name in an element's or step's ignore list.
type ignoreEntry struct {
	block *lang.Block
	rule  string
	at    hcl.Range
	used  bool
}

// ignoreLists are the ignore entries of a workspace and the findings on
// names in them that are no rule or cannot be ignored.
type ignoreLists struct {
	entries  []*ignoreEntry
	problems []Finding
}

// suppress drops findings that an enclosing element or step ignores, and
// reports ignore entries that silenced nothing and names that are no rule.
func suppress(ignores ignoreLists, findings []Finding, sel selection) []Finding {
	entries, problems := ignores.entries, ignores.problems
	kept := findings[:0]
	for _, f := range findings {
		if !silence(entries, f) {
			kept = append(kept, f)
		}
	}
	for _, e := range entries {
		if !e.used && sel.runs(e.rule) && sel.runs("unused-suppression") {
			kept = append(kept, Finding{
				Rule: "unused-suppression", Severity: Warning, Range: e.at,
				Message: fmt.Sprintf("ignore %q silences nothing on %s: the rule finds no problem here", e.rule, lang.Describe(e.block)),
				Hint:    fmt.Sprintf("remove %q from ignore", e.rule),
			})
		}
	}
	return append(kept, problems...)
}

// silence marks and reports whether an ignore entry covers the finding: the
// entry's block must contain the finding's start and name its rule.
func silence(entries []*ignoreEntry, f Finding) bool {
	for _, e := range entries {
		r := e.block.Range
		if e.rule == f.Rule && r.Filename == f.Range.Filename &&
			r.Start.Byte <= f.Range.Start.Byte && f.Range.Start.Byte < r.End.Byte {
			e.used = true
			return true
		}
	}
	return false
}

func collectIgnores(prog *compiler.Program) ignoreLists {
	var entries []*ignoreEntry
	var problems []Finding
	var visit func(b *lang.Block)
	visit = func(b *lang.Block) {
		for _, lit := range b.Strings("ignore") {
			name := lit.Val.AsString()
			rule := LookupRule(name)
			switch {
			case rule == nil:
				hint := "journey validate --help lists the rules"
				if s := suggest.Closest(name, RuleNames()); s != "" {
					hint = fmt.Sprintf("did you mean %q?", s)
				}
				problems = append(problems, Finding{Rule: lang.RuleInvalidValue, Severity: Error, Range: lit.Range,
					Message: fmt.Sprintf("there is no rule %q to ignore", name), Hint: hint})
			case rule.Language:
				problems = append(problems, Finding{Rule: lang.RuleInvalidValue, Severity: Error, Range: lit.Range,
					Message: fmt.Sprintf("%q findings cannot be ignored: the campaign would not run as written", name),
					Hint:    "fix the problem instead"})
			default:
				entries = append(entries, &ignoreEntry{block: b, rule: name, at: lit.Range})
			}
		}
		for _, nb := range b.Blocks {
			visit(nb)
		}
	}
	for _, b := range prog.Workspace.Blocks {
		visit(b)
	}
	return ignoreLists{entries: entries, problems: problems}
}
