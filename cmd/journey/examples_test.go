package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
