package report

import (
	"encoding/json"
	"io"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/validate"
)

// jsonFormatVersion is the json format's format_version. It changes only
// when a change could break a reader: a field removed, renamed or given
// another meaning. New fields do not change it.
const jsonFormatVersion = "1"

// The json format, as documented in CHECKS.md and docs/output-formats.md.
// Field order is output order.
type jsonReport struct {
	FormatVersion string        `json:"format_version"`
	Valid         bool          `json:"valid"`
	ErrorCount    int           `json:"error_count"`
	WarningCount  int           `json:"warning_count"`
	Findings      []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Hint     string        `json:"hint,omitempty"`
	Range    jsonRange     `json:"range"`
	Related  []jsonRelated `json:"related,omitempty"`
}

type jsonRelated struct {
	Message string    `json:"message"`
	Range   jsonRange `json:"range"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// writeJSON prints the report as one indented JSON object and a newline.
func writeJSON(w io.Writer, r *Report) error {
	errs, warns := validate.Counts(r.Findings)
	out := jsonReport{
		FormatVersion: jsonFormatVersion,
		Valid:         r.valid(),
		ErrorCount:    errs,
		WarningCount:  warns,
		Findings:      make([]jsonFinding, 0, len(r.Findings)),
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Rule:     f.Rule,
			Severity: f.Severity.String(),
			Message:  f.Message,
			Hint:     f.Hint,
			Range:    toJSONRange(f.Range),
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Message: rel.Message, Range: toJSONRange(rel.Range)})
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages quote HCL ("contact.points > 10"): keep <, > and & readable.
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func toJSONRange(r hcl.Range) jsonRange {
	return jsonRange{
		Filename: r.Filename,
		Start:    jsonPos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      jsonPos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}
