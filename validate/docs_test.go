package validate_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/validate"
	"github.com/journeyhq/journey/validate/report"
)

// docsNow is the validation time of the documented examples (past-date
// compares against it).
var docsNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// docSection is one "## rule-name" section of docs/rules.md.
type docSection struct {
	rule     string
	line     int // of the heading
	severity string
	example  string   // the first hcl fence
	findings []string // the lines of the text fences
	fixes    []string // the hcl fences after the first text fence
}

var docSeverityLine = regexp.MustCompile(`^\*\*Severity:\*\* (error|warning)\.`)

// parseRulesDoc splits docs/rules.md into its rule sections and their
// fenced blocks.
func parseRulesDoc(t *testing.T, src string) []*docSection {
	t.Helper()
	var sections []*docSection
	var cur *docSection
	fence, body := "", []string(nil)
	for i, line := range strings.Split(src, "\n") {
		if fence != "" {
			if strings.TrimSpace(line) != "```" {
				body = append(body, line)
				continue
			}
			if cur != nil {
				text := strings.Join(body, "\n") + "\n"
				switch {
				case fence == "hcl" && len(cur.findings) == 0 && cur.example == "":
					cur.example = text
				case fence == "hcl" && len(cur.findings) > 0:
					cur.fixes = append(cur.fixes, text)
				case fence == "hcl":
					t.Errorf("docs/rules.md:%d: section %q has a second hcl block before its text block", i+1, cur.rule)
				case fence == "text":
					for _, l := range body {
						if strings.TrimSpace(l) != "" {
							cur.findings = append(cur.findings, l)
						}
					}
				}
			}
			fence, body = "", nil
			continue
		}
		if strings.HasPrefix(line, "```") {
			fence = strings.TrimPrefix(line, "```")
			if fence == "" {
				fence = "plain"
			}
			continue
		}
		if name, ok := strings.CutPrefix(line, "## "); ok {
			cur = &docSection{rule: strings.TrimSpace(name), line: i + 1}
			sections = append(sections, cur)
			continue
		}
		if m := docSeverityLine.FindStringSubmatch(line); m != nil && cur != nil && cur.severity == "" {
			cur.severity = m[1]
		}
	}
	if fence != "" {
		t.Errorf("docs/rules.md: a ``` fence is never closed")
	}
	return sections
}

// docFindingLine matches the first line of a finding in the text format.
var docFindingLine = regexp.MustCompile(`^\S+:\d+:\d+: (error|warning) \[[a-z-]+\] `)

// runDocExample validates one documented workspace and returns the text
// report and its finding lines.
func runDocExample(t *testing.T, src string) (string, []string) {
	t.Helper()
	fsys := fstest.MapFS{"main.journey.hcl": &fstest.MapFile{Data: []byte(src)}}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: docsNow})
	if err != nil {
		t.Fatalf("validate.Dir: %v", err)
	}
	sources := map[string][]byte{}
	for name, f := range res.Workspace.Files {
		sources[name] = f.Src
	}
	var buf bytes.Buffer
	rep := &report.Report{Findings: res.Findings, Sources: sources, FileCount: len(res.Workspace.FileNames)}
	if err := report.Write(&buf, "text", rep, report.Options{}); err != nil {
		t.Fatalf("report.Write: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if docFindingLine.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return buf.String(), lines
}

// TestRulesDoc keeps docs/rules.md true: every rule of the registry has a
// section, every section's example prints exactly the finding lines the
// page shows, and every fix validates clean.
func TestRulesDoc(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "docs", "rules.md"))
	if err != nil {
		t.Fatalf("docs/rules.md: %v", err)
	}
	sections := parseRulesDoc(t, string(src))
	byRule := map[string]*docSection{}
	for _, s := range sections {
		if validate.LookupRule(s.rule) == nil {
			t.Errorf("docs/rules.md:%d: section %q is not a rule of validate.Rules() (every ## heading must be a rule name)", s.line, s.rule)
			continue
		}
		if byRule[s.rule] != nil {
			t.Errorf("docs/rules.md:%d: a second section for rule %q", s.line, s.rule)
		}
		byRule[s.rule] = s
	}
	for _, r := range validate.Rules() {
		if byRule[r.Name] == nil {
			t.Errorf("docs/rules.md has no section \"## %s\"", r.Name)
		}
	}
	for _, r := range validate.Rules() {
		s := byRule[r.Name]
		if s == nil {
			continue
		}
		t.Run(r.Name, func(t *testing.T) {
			if s.severity != r.Severity.String() {
				t.Errorf("docs/rules.md:%d: the section says severity %q, the rule has %q", s.line, s.severity, r.Severity)
			}
			if s.example == "" || len(s.findings) == 0 {
				t.Fatalf("docs/rules.md:%d: the section needs an ```hcl example followed by a ```text block of the findings it prints", s.line)
			}
			out, got := runDocExample(t, s.example)
			ownRule := false
			for _, want := range s.findings {
				ownRule = ownRule || strings.Contains(want, "["+r.Name+"]")
				if !slices.Contains(got, want) {
					t.Errorf("docs/rules.md:%d: the example no longer prints\n  %s\nit prints:\n%s", s.line, want, out)
				}
			}
			if !ownRule {
				t.Errorf("docs/rules.md:%d: none of the documented lines is a %s finding", s.line, r.Name)
			}
			for _, line := range got {
				if !slices.Contains(s.findings, line) {
					t.Errorf("docs/rules.md:%d: the example also prints a line the page does not show:\n  %s", s.line, line)
				}
			}
			for i, fix := range s.fixes {
				out, got := runDocExample(t, fix)
				if len(got) > 0 {
					t.Errorf("docs/rules.md:%d: fix %d is not clean under --strict:\n%s", s.line, i+1, out)
				}
			}
		})
	}
}
