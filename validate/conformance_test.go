package validate_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/validate"
)

// conformanceDir is ../shared/conformance beside the project, or
// $JOURNEY_CONFORMANCE_DIR.
func conformanceDir(t *testing.T, sub string) string {
	t.Helper()
	root := os.Getenv("JOURNEY_CONFORMANCE_DIR")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "conformance")
	}
	dir := filepath.Join(root, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("conformance cases not found at %s (set JOURNEY_CONFORMANCE_DIR): %v", dir, err)
	}
	return dir
}

type expectation struct {
	Rule            string          `json:"rule"`
	File            string          `json:"file"`
	Line            json.RawMessage `json:"line"`
	MessageContains string          `json:"message_contains"`
}

func (e expectation) lines(t *testing.T) []int {
	var one int
	if err := json.Unmarshal(e.Line, &one); err == nil {
		return []int{one}
	}
	var many []int
	if err := json.Unmarshal(e.Line, &many); err != nil {
		t.Fatalf("bad line %s: %v", e.Line, err)
	}
	return many
}

type caseFile struct {
	Expect []expectation `json:"expect"`
	Allow  []string      `json:"allow"`
	Exact  bool          `json:"exact"`
}

// TestConformance runs every case of ../shared/conformance/validate through
// validate.Dir, the code path of journey validate.
func TestConformance(t *testing.T) {
	root := conformanceDir(t, "validate")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ran++
		t.Run(e.Name(), func(t *testing.T) {
			dir := filepath.Join(root, e.Name())
			raw, err := os.ReadFile(filepath.Join(dir, "expect.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want caseFile
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("expect.json: %v", err)
			}
			res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			checkCase(t, want, res.Findings)
		})
	}
	if ran == 0 {
		t.Fatalf("no conformance cases in %s", root)
	}
}

func checkCase(t *testing.T, want caseFile, got []validate.Finding) {
	t.Helper()
	matched := make([]bool, len(got))
	for _, exp := range want.Expect {
		found := false
		for i, f := range got {
			if matched[i] || f.Rule != exp.Rule || f.Range.Filename != exp.File || !slices.Contains(exp.lines(t), f.Range.Start.Line) {
				continue
			}
			if exp.MessageContains != "" && !strings.Contains(f.Message+" "+f.Hint, exp.MessageContains) {
				continue
			}
			matched[i], found = true, true
			break
		}
		if !found {
			t.Errorf("missing finding %s at %s line %s (contains %q)\ngot:\n%s", exp.Rule, exp.File, exp.Line, exp.MessageContains, dump(got))
		}
	}
	for i, f := range got {
		if matched[i] {
			continue
		}
		allowed := slices.Contains(want.Allow, f.Rule)
		if (f.Severity == validate.Error && !allowed) || (want.Exact) {
			t.Errorf("unexpected finding %s", line(f))
		}
	}
}

func dump(fs []validate.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + line(f) + "\n")
	}
	return b.String()
}

func line(f validate.Finding) string {
	return fmt.Sprintf("%s:%d:%d %s[%s] %s (hint: %s)", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Severity, f.Rule, f.Message, f.Hint)
}
