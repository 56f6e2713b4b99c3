package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidateStdin(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		code, stdout, stderr := journeyRunWithStdin(t, fmtPrettyHCL, "validate", "-")
		if code != 0 || !strings.Contains(stdout, "No problems found in 1 file") {
			t.Errorf("journey validate - on a clean campaign: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
	t.Run("finding", func(t *testing.T) {
		src := strings.Replace(fmtPrettyHCL, "on   = tag_added(tag.lead)", "on   = tag_added(tag.leed)", 1)
		code, stdout, _ := journeyRunWithStdin(t, src, "validate", "-")
		if code != 1 || !strings.Contains(stdout, "<stdin>.journey.hcl:8:") || !strings.Contains(stdout, "did you mean tag.lead?") {
			t.Errorf("journey validate - on an unknown tag: exit %d, stdout:\n%s", code, stdout)
		}
		code, stdout, _ = journeyRunWithStdin(t, src, "validate", "--format", "json", "-")
		var report struct {
			Findings []struct {
				Range struct {
					Filename string `json:"filename"`
					Start    struct {
						Line int `json:"line"`
					} `json:"start"`
				} `json:"range"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &report); err != nil || code != 1 || len(report.Findings) == 0 {
			t.Fatalf("journey validate --format json -: exit %d, %v:\n%s", code, err, stdout)
		}
		if r := report.Findings[0].Range; r.Filename != "<stdin>.journey.hcl" || r.Start.Line != 8 {
			t.Errorf("the finding is at %s:%d, want <stdin>.journey.hcl:8", r.Filename, r.Start.Line)
		}
	})
	t.Run("JSON syntax", func(t *testing.T) {
		src := `{"tag": {"lead": {}}, "campaign": {"onboarding": {"trigger": {"signup": {"on": "tag_added(tag.leed)"}}}}}`
		code, stdout, _ := journeyRunWithStdin(t, src, "validate", "-")
		if code != 1 || !strings.Contains(stdout, "<stdin>.journey.json:1:") || !strings.Contains(stdout, "did you mean tag.lead?") {
			t.Errorf("journey validate - on JSON with an unknown tag: exit %d, stdout:\n%s", code, stdout)
		}
	})
	t.Run("recursive", func(t *testing.T) {
		code, stdout, stderr := journeyRunWithStdin(t, fmtPrettyHCL, "validate", "-r", "-")
		if code != 2 || stdout != "" || !strings.Contains(stderr, "standard input") {
			t.Errorf("journey validate -r -: exit %d, stdout %q, stderr %q; want a usage error", code, stdout, stderr)
		}
	})
}
