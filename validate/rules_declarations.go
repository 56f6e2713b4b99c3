package validate

import (
	"fmt"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about declarations: unused ones, moved blocks.

func unused() Rule {
	var nouns []string
	for _, k := range kinds.UsedByNameKinds() {
		nouns = append(nouns, k.Noun())
	}
	return Rule{
		Name: "unused", Severity: Warning,
		Summary: "a declared " + words.JoinOr(nouns) + " that nothing references",
		Check: func(p *Pass) {
			for _, b := range p.Program.Workspace.Blocks {
				if !b.Kind.Has(kinds.UsedByName) || p.Program.Decls[b.Type][b.Name] != b {
					continue
				}
				if len(p.Program.Uses[b]) > 0 || p.Program.Suggested[b] {
					continue
				}
				hint := fmt.Sprintf("remove it, or reference it as %s.%s", b.Type, b.Name)
				if b.Type == "event" {
					// An event declaration is used by name: api("NAME").
					hint = fmt.Sprintf("remove it, or listen for it with api(%q)", b.Name)
				}
				p.Report(b.DefRange, fmt.Sprintf("%s is declared but nothing uses it", lang.Describe(b)), hint)
			}
		},
	}
}

func movedInvalid() Rule {
	return Rule{
		Name: "moved-invalid", Severity: Error,
		Summary: "a moved block whose from still exists or whose to does not",
		Check: func(p *Pass) {
			for _, b := range p.Program.Workspace.Of("moved") {
				from, to := b.Ref("from"), b.Ref("to")
				if from == nil || to == nil {
					continue
				}
				fromOK, fromWhy := addressForm(from)
				toOK, toWhy := addressForm(to)
				switch {
				case !fromOK:
					p.Report(from.Range, fmt.Sprintf("moved from %s is not an address (%s): apply cannot tell which contacts to move", from, fromWhy), addressHint)
				case !toOK:
					p.Report(to.Range, fmt.Sprintf("moved to %s is not an address (%s): apply cannot tell which contacts to move", to, toWhy), addressHint)
				case addressExists(p.Program, from):
					p.Report(from.Range,
						fmt.Sprintf("moved from %s, but %s still exists: apply would move contacts off an element that is still there", from, from),
						"remove the moved block, or finish the rename")
				case !addressExists(p.Program, to):
					p.Report(to.Range,
						fmt.Sprintf("moved to %s, which does not exist: apply would have nowhere to put the contacts", to),
						"name the element's new address, or add it")
				case from.Parts[0] != to.Parts[0] || len(from.Parts) != len(to.Parts):
					p.Report(b.DefRange,
						fmt.Sprintf("moved from %s (%s) to %s (%s): apply cannot carry contacts from one kind of thing to another", from, addressKind(from), to, addressKind(to)),
						"move an element to an element, a step to a step, a campaign to a campaign or a sequence to a sequence; "+addressHint)
				}
			}
		},
	}
}

const addressHint = "addresses are campaign.NAME, campaign.NAME.KIND.NAME, sequence.NAME or sequence.NAME.step.NAME"

func addressForm(r *lang.Ref) (bool, string) {
	switch {
	case r.Parts[0] != "campaign" && r.Parts[0] != "sequence":
		return false, "it must start with campaign or sequence"
	case len(r.Parts) != 2 && len(r.Parts) != 4:
		return false, "it has the wrong number of parts"
	case len(r.Parts) == 4 && r.Parts[0] == "sequence" && r.Parts[2] != "step":
		return false, "a sequence's parts are steps: sequence.NAME.step.NAME"
	}
	return true, ""
}

// addressKind names what a well-formed address points at.
func addressKind(r *lang.Ref) string {
	switch {
	case len(r.Parts) == 2:
		return "a " + r.Parts[0]
	case r.Parts[0] == "sequence":
		return "a sequence step"
	}
	return "a campaign element"
}

func addressExists(p *compiler.Program, r *lang.Ref) bool {
	switch r.Parts[0] {
	case "campaign":
		for _, c := range p.Campaigns {
			if c.Name != r.Parts[1] {
				continue
			}
			if len(r.Parts) == 2 {
				return true
			}
			el := c.Element(r.Parts[3])
			return el != nil && el.Kind.Name == r.Parts[2]
		}
	case "sequence":
		for _, s := range p.Sequences {
			if s.Name != r.Parts[1] {
				continue
			}
			if len(r.Parts) == 2 {
				return true
			}
			for _, st := range s.Steps {
				if st.Name == r.Parts[3] {
					return true
				}
			}
		}
	}
	return false
}
