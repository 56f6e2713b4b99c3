package validate

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
)

// Rule is one check of CHECKS.md. Rules whose Check is nil are found by
// lang and the compiler while decoding and resolving; they are listed here
// so that --rule, --skip, ignore and the docs know every name.
type Rule struct {
	Name     string
	Severity Severity
	// Summary is the one-line description shown in docs and --help.
	Summary string
	// Language rules concern the text itself; they cannot be ignored.
	Language bool
	Check    func(*Pass)
}

// Pass is what a rule's Check gets: the program, the time of the run, and a
// way to report.
type Pass struct {
	Program *compiler.Program
	// Now is the time of the run (past-date compares against it).
	Now   time.Time
	rule  *Rule
	out   *[]Finding
	facts *facts
}

// Report adds a finding of the running rule.
func (p *Pass) Report(at hcl.Range, message, hint string, related ...Related) {
	*p.out = append(*p.out, Finding{
		Rule: p.rule.Name, Severity: p.rule.Severity,
		Message: message, Hint: hint, Range: at, Related: related,
	})
}

// Rules lists every rule, language rules first, then by family.
func Rules() []Rule {
	return []Rule{
		{Name: "syntax", Severity: Error, Language: true, Summary: "HCL syntax error"},
		{Name: "schema", Severity: Error, Language: true, Summary: "unknown block or attribute, missing required attribute, wrong labels, or a block with none or more than one of its mutually exclusive parts"},
		{Name: "type", Severity: Error, Language: true, Summary: "a value or expression of the wrong type"},
		{Name: "invalid-value", Severity: Error, Language: true, Summary: "a malformed literal: duration, time of day, weekday, date, IANA time zone, URL, HTTP method, e-mail address"},
		{Name: "unknown-reference", Severity: Error, Language: true, Summary: "a KIND.NAME or contact.FIELD that does not exist"},
		{Name: "duplicate-name", Severity: Error, Language: true, Summary: "two blocks of one kind, or two elements of one campaign, with one name"},
		{Name: lang.RuleExpressionTooDeep, Severity: Error, Language: true, Summary: fmt.Sprintf("an expression nested more than %d levels deep: its plan could not be written, read or run safely", lang.MaxExpressionDepth)},
		readOnlyField(),
		unknownSender(),
		smsWithoutNumber(),
		editionFeature(),
		editionProtectedField(),
		webhookPort(),
		postcardWithoutAddress(),
		unused(),
		{Name: "unused-suppression", Severity: Warning, Summary: "an ignore entry that silenced nothing"},
		movedInvalid(),
		unconfiguredTimer(),
		emptyWindow(),
		pastDate(),
		consecutiveWaits(),
		noEntry(),
		missingAddedTrigger(),
		unreachable(),
		instantLoop(),
		nextAfterTerminal(),
		eventNeverHappens(),
		invalidFork(),
		splitWeights(),
		{Name: compiler.RuleInvalidTarget, Severity: Error, Summary: "next, then, else, yes, no or a fork path that points at a trigger or goal, or at an element of another campaign", Check: checkInvalidTarget},
		sameBranch(),
		draftElement(),
		missingForkBeforeAddToSequence(),
		missingForkBeforeAddToCampaign(),
		campaignCallCycle(),
		pausedForever(),
		removeNeverAdded(),
		marketingEmailResent(),
		backToBackSends(),
		modifyDynamicSegment(),
		segmentDependsOnTime(),
		segmentCycle(),
	}
}

// LookupRule returns the rule by name, or nil.
func LookupRule(name string) *Rule {
	for _, r := range Rules() {
		if r.Name == name {
			return &r
		}
	}
	return nil
}

// RuleNames lists every rule name in registry order.
func RuleNames() []string {
	var names []string
	for _, r := range Rules() {
		names = append(names, r.Name)
	}
	return names
}
