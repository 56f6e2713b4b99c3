package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
)

// TestExamplesValidateStrict runs `journey validate --strict` in-process on
// every workspace under ../../examples: each must pass with no finding at
// all, warnings included. A new example directory is covered without
// touching this test.
func TestExamplesValidateStrict(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("cannot list the examples: %v", err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 0 {
		t.Fatalf("no example workspaces in %s", root)
	}
	for _, name := range dirs {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(root, name)
			var out, errOut bytes.Buffer
			code := NewCLI(nil, &out, &errOut).Run(context.Background(), []string{"validate", "--strict", dir})
			if code != 0 {
				t.Errorf("journey validate --strict %s exited %d, want 0\nstdout:\n%s\nstderr:\n%s", dir, code, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), "No problems found") {
				t.Errorf("journey validate --strict %s did not say \"No problems found\":\n%s", dir, out.String())
			}
			if errOut.Len() > 0 {
				t.Errorf("journey validate --strict %s wrote to stderr:\n%s", dir, errOut.String())
			}
		})
	}
}

// TestExamplesCommittedPlans: each example carries the plan journey
// compiled from it (examples/NAME/plan.json). Compiling the example again
// must give those bytes and that hash, and the runtime must link the
// committed plan: a change to the compiler, the plan's types or the
// runtime's reading of settings that would make a plan deployed earlier
// read or hash differently fails here. After a deliberate change to an
// example, journey compile examples/NAME -o examples/NAME/plan.json.
func TestExamplesCommittedPlans(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			dir := filepath.Join(root, e.Name())
			committed, err := os.ReadFile(filepath.Join(dir, "plan.json"))
			if err != nil {
				t.Fatalf("every example carries its compiled plan: %v (journey compile %s -o %s/plan.json)", err, dir, dir)
			}
			var out, errOut bytes.Buffer
			if code := NewCLI(nil, &out, &errOut).Run(context.Background(), []string{"compile", dir}); code != 0 {
				t.Fatalf("journey compile %s: exit %d\n%s", dir, code, errOut.String())
			}
			if !bytes.Equal(out.Bytes(), committed) {
				t.Errorf("journey compile %s no longer writes the committed %s/plan.json: a plan deployed before this change would read or hash differently (after a deliberate change to the example, compile it again with -o)", dir, dir)
			}
			p, err := plan.Decode(committed)
			if err != nil {
				t.Fatalf("the committed plan does not decode: %v", err)
			}
			if _, err := runtime.Link(p); err != nil {
				t.Fatalf("the runtime refuses the committed plan: %v", err)
			}
		})
	}
}
