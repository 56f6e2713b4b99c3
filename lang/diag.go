package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// DiagInfo rides in hcl.Diagnostic.Extra: the stable rule name of the
// finding and the other places it concerns.
type DiagInfo struct {
	Rule    string
	Related []Related
	// HCLWording marks HCL's own diagnostics: a terse summary ("Unsupported
	// argument") with the explanation in the detail.
	HCLWording bool
}

// Related is another location a finding concerns.
type Related struct {
	Message string
	Range   hcl.Range
}

// Rule names of the findings lang and the compiler produce.
const (
	RuleSyntax            = "syntax"
	RuleSchema            = "schema"
	RuleType              = "type"
	RuleInvalidValue      = "invalid-value"
	RuleUnknownReference  = "unknown-reference"
	RuleDuplicateName     = "duplicate-name"
	RuleExpressionTooDeep = "expression-too-deep"
)

// Errorf returns an error diagnostic of a rule: summary is what goes wrong,
// detail how to fix it.
func Errorf(rule string, subject hcl.Range, summary, detail string, related ...Related) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  subject.Ptr(),
		Extra:    &DiagInfo{Rule: rule, Related: related},
	}
}

// RuleOf returns the rule name a diagnostic carries ("" when none).
func RuleOf(d *hcl.Diagnostic) string {
	if info, ok := hcl.DiagnosticExtra[*DiagInfo](d); ok {
		return info.Rule
	}
	return ""
}

// RelatedOf returns the related locations a diagnostic carries.
func RelatedOf(d *hcl.Diagnostic) []Related {
	if info, ok := hcl.DiagnosticExtra[*DiagInfo](d); ok {
		return info.Related
	}
	return nil
}

// tagRule gives every diagnostic without a rule the rule name.
func tagRule(diags hcl.Diagnostics, rule string) hcl.Diagnostics {
	for _, d := range diags {
		if d.Extra == nil {
			d.Extra = &DiagInfo{Rule: rule, HCLWording: true}
		}
	}
	return diags
}
