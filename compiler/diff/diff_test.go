package diff_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/diff"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// compileOverlay compiles testdata/base with the files of testdata/CASE
// laid over it (a case may replace base files or add new ones).
func compileOverlay(t *testing.T, overlay string) *plan.Plan {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, dir := range []string{"base", overlay} {
		if dir == "" {
			continue
		}
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.journey.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fsys[filepath.Base(f)] = &fstest.MapFile{Data: src}
		}
	}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := validate.Counts(res.Findings); errs > 0 {
		t.Fatalf("%s does not validate: %+v", overlay, res.Findings)
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden compares the plan output for pairs of versions of one
// workspace with the reviewed output in testdata/CASE.golden.
func TestGolden(t *testing.T) {
	old := compileOverlay(t, "")
	for _, name := range []string{"element-added", "wait-changed", "element-removed", "element-renamed-moved", "template-edited", "campaign-added", "deadline-changed"} {
		t.Run(name, func(t *testing.T) {
			changes := diff.Compare(old, compileOverlay(t, name), nil)
			got := diff.Text(changes, false) + "\n--- markdown ---\n" + strings.Join(diff.Markdown(changes), "\n--- next comment ---\n")
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./compiler/diff -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("plan output differs from %s:\n--- got ---\n%s\n--- want ---\n%s", golden, got, want)
			}
		})
	}
}

func TestNoChanges(t *testing.T) {
	p := compileOverlay(t, "")
	changes := diff.Compare(p, p, nil)
	if !changes.Empty() {
		t.Fatalf("a plan compared with itself changed: %+v", changes.Changes)
	}
	if got := diff.Text(changes, false); !strings.Contains(got, "No changes") {
		t.Errorf("text says %q", got)
	}
}

func TestRemovedElementNamesContactsHere(t *testing.T) {
	old := compileOverlay(t, "")
	changes := diff.Compare(old, compileOverlay(t, "element-removed"), diff.Counts{"onboarding/tip": 7, "onboarding/one_day": 312})
	text := diff.Text(changes, false)
	for _, want := range []string{`- send_email "tip"`, "(7 contacts here)"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	wait := diff.Compare(old, compileOverlay(t, "wait-changed"), diff.Counts{"onboarding/one_day": 312})
	if text := diff.Text(wait, false); !strings.Contains(text, "(312 contacts waiting: their due times are kept)") {
		t.Errorf("a changed wait does not say what happens to the contacts on it:\n%s", text)
	}
	deadline := diff.Compare(old, compileOverlay(t, "deadline-changed"), diff.Counts{"onboarding/upgrade": 5})
	if text := diff.Text(deadline, false); !strings.Contains(text, "(5 contacts waiting: their due times are kept)") {
		t.Errorf("a changed deadline does not say what happens to the contacts on the decision:\n%s", text)
	}
}

func TestMovedIsNotRemovedAndAdded(t *testing.T) {
	changes := diff.Compare(compileOverlay(t, ""), compileOverlay(t, "element-renamed-moved"), nil)
	if changes.Summary.Add != 0 || changes.Summary.Remove != 0 {
		t.Fatalf("a rename with a moved block counts as add/remove: %+v", changes.Summary)
	}
	raw, _ := json.Marshal(changes)
	if !strings.Contains(string(raw), `"op":"move"`) || !strings.Contains(string(raw), `"old_name":"one_day"`) {
		t.Errorf("JSON does not show the move: %s", raw)
	}
}

func TestMarkdownFoldsAndSplits(t *testing.T) {
	old := compileOverlay(t, "")
	// Many changes: every element of a big campaign added.
	var b strings.Builder
	b.WriteString("tag \"x\" {}\ncampaign \"big\" {\n  trigger \"t\" {\n    on = tag_added(tag.x)\n    next = adjust_points.p0\n  }\n")
	const n = 3000
	for i := 0; i < n; i++ {
		next := "end.done"
		if i < n-1 {
			next = "adjust_points.p" + itoa(i+1)
		}
		b.WriteString("  adjust_points \"p" + itoa(i) + "\" {\n    points = 1\n    next = " + next + "\n  }\n")
	}
	b.WriteString("  end \"done\" {}\n}\n")
	fsys := fstest.MapFS{"big.journey.hcl": {Data: []byte(b.String())}}
	for _, f := range []string{"assets.journey.hcl", "onboarding.journey.hcl"} {
		src, _ := os.ReadFile(filepath.Join("testdata", "base", f))
		fsys[f] = &fstest.MapFile{Data: src}
	}
	res, err := validate.Dir(fsys, ".", validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	newPlan, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	// Rename every element so the campaign shows all its children.
	oldPlan := *newPlan
	oldPlan.Campaigns = append([]plan.Campaign(nil), newPlan.Campaigns...)
	for i := range oldPlan.Campaigns {
		if oldPlan.Campaigns[i].Name == "big" {
			oldPlan.Campaigns[i] = plan.Campaign{Name: "big", Reentry: newPlan.Campaigns[i].Reentry}
		}
	}
	comments := diff.Markdown(diff.Compare(&oldPlan, newPlan, nil))
	if len(comments) < 2 {
		t.Fatalf("a %d-element change fits one comment?", n)
	}
	for i, c := range comments {
		if len(c) >= diff.MaxCommentSize {
			t.Errorf("comment %d is %d bytes, over GitHub's limit", i+1, len(c))
		}
		if !strings.Contains(c, "<details>") || !strings.Contains(c, "```diff") {
			t.Errorf("comment %d is not a folded diff fence", i+1)
		}
	}
	_ = old
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(digits[i%10]) + s
	}
	return s
}

// compileSource compiles one file's workspace.
func compileSource(t *testing.T, src string) *plan.Plan {
	t.Helper()
	fsys := fstest.MapFS{"main.journey.hcl": &fstest.MapFile{Data: []byte(src)}}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := validate.Counts(res.Findings); errs > 0 {
		t.Fatalf("the workspace does not validate: %+v", res.Findings)
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A split step whose weights change is a changed step, and the change
// names its split.
func TestSplitStepWeightsChanged(t *testing.T) {
	const src = `email "a" {
  subject = "A"
  body    = "A"
}
email "b" {
  subject = "B"
  body    = "B"
}
tag "go" {}
sequence "s" {
  step "offer" {
    split {
      path {
        weight = 50
        email  = email.a
      }
      path {
        weight = 50
        email  = email.b
      }
    }
  }
}
rule "r" {
  when = tag_added(tag.go)
  then {
    add_to_sequence {
      sequence = sequence.s
    }
  }
}
`
	winner := strings.Replace(strings.Replace(src, "weight = 50\n        email  = email.a", "weight = 90\n        email  = email.a", 1), "weight = 50\n        email  = email.b", "weight = 10\n        email  = email.b", 1)
	all := diff.Compare(compileSource(t, src), compileSource(t, winner), nil)
	text := diff.Text(all, false)
	changes := all.Changes
	if len(changes) != 1 || len(changes[0].Children) != 1 || changes[0].Children[0].Name != "offer" {
		t.Fatalf("changing a split step's weights is not one changed step:\n%s", text)
	}
	if attrs := changes[0].Children[0].Attrs; len(attrs) != 1 || attrs[0].Name != "split" {
		t.Fatalf("the changed step's attributes are %+v, want its split\n%s", attrs, text)
	}
}
