package runtime_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
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
	path := filepath.Join(root, sub)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("conformance cases not found at %s (set JOURNEY_CONFORMANCE_DIR): %v", path, err)
	}
	return path
}

// link compiles HCL files through the real front end (validate, then the
// plan) and links the plan for the engine. Error findings fail the test.
func link(t *testing.T, files map[string]string) *runtime.Program {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return linkFS(t, fsys, fmt.Sprint(files))
}

// linkFS is link for a workspace in a file system; what names the
// workspace in a failure.
func linkFS(t *testing.T, fsys fs.FS, what string) *runtime.Program {
	t.Helper()
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, f := range res.Findings {
		if f.Severity == validate.Error {
			errs = append(errs, f.Range.String()+": ["+f.Rule+"] "+f.Message)
		}
	}
	if len(errs) > 0 {
		t.Fatalf("workspace does not validate:\n%s\n%s", strings.Join(errs, "\n"), what)
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// simulate runs a contact through a campaign on a fresh in-memory store.
func simulate(t *testing.T, prog *runtime.Program, c *runtime.Contact, campaign string, start time.Time, events []runtime.TimedEvent, span time.Duration) *runtime.Result {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	res, err := runtime.NewSimulation(prog, store, start).Run(ctx, c, runtime.Entry{Campaign: campaign}, events, start.Add(span))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// firstAt returns the time of the first timeline entry that matches.
func firstAt(res *runtime.Result, match func(runtime.TimelineEntry) bool) (time.Time, bool) {
	for _, e := range res.Timeline {
		if match(e) {
			return e.At, true
		}
	}
	return time.Time{}, false
}

func timelineText(res *runtime.Result) string {
	var b strings.Builder
	for _, e := range res.Timeline {
		b.WriteString("  " + e.At.Format(time.RFC3339) + " " + e.Campaign + e.Sequence + "/" + e.Element + " " + e.Kind + ": " + e.Outcome + " " + string(e.Detail) + "\n")
	}
	return b.String()
}
