package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// translatedRoot holds the campaigns translated from other tools' own tests
// and documentation (docs/testing.md, "The translated corpus").
const translatedRoot = "../../testdata/translated"

// translatedNow is the clock the corpus is validated at. Its cases carry
// absolute dates (a Black Friday, a date timer); validated at the real
// time, each would turn into a past-date warning, and so a failure under
// --strict, on the day its date went by.
func translatedNow() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// TestTranslatedCorpus runs `journey validate --strict` and `journey test`
// in-process on every workspace under testdata/translated: each must
// validate with no finding at all, and each of its scenarios, which state
// what the source system does, must pass. A new case directory is covered
// without touching this test.
func TestTranslatedCorpus(t *testing.T) {
	dirs := translatedCases(t)
	for _, name := range dirs {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(translatedRoot, name)
			out, errOut, code := runTranslated(t, "validate", "--strict", dir)
			if code != 0 || !strings.Contains(out, "No problems found") || errOut != "" {
				t.Fatalf("journey validate --strict %s exited %d, want 0 and no finding\nstdout:\n%s\nstderr:\n%s", dir, code, out, errOut)
			}
			out, errOut, code = runTranslated(t, "test", dir)
			if code != 0 {
				t.Fatalf("journey test %s exited %d, want 0: a translated case no longer does what its source does (or what its KNOWN DIFFERENCE says journey does)\nstdout:\n%s\nstderr:\n%s", dir, code, out, errOut)
			}
			if errOut != "" {
				t.Errorf("journey test %s wrote to stderr:\n%s", dir, errOut)
			}
		})
	}
}

// TestTranslatedCorpusIsDocumented holds every case to the corpus's
// rules: its files name their source, and testdata/translated/README.md
// lists it, with its KNOWN DIFFERENCE when it has one, so that the list
// of disagreements to settle stays complete.
func TestTranslatedCorpusIsDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(translatedRoot, "README.md"))
	if err != nil {
		t.Fatalf("cannot read the corpus's index: %v", err)
	}
	index := string(readme)
	at := strings.Index(index, "## Known differences")
	if at < 0 {
		t.Fatalf("testdata/translated/README.md has no \"## Known differences\" section")
	}
	known := index[at:]
	for _, name := range translatedCases(t) {
		text := caseText(t, filepath.Join(translatedRoot, name))
		if !strings.Contains(text, "# Source") {
			t.Errorf("%s: no file names its source in a \"# Source:\" comment (tool, repository and path, test or page)", name)
		}
		if !strings.Contains(index, "["+name+"]") {
			t.Errorf("%s is not listed in testdata/translated/README.md", name)
		}
		if strings.Contains(text, "KNOWN DIFFERENCE") && !strings.Contains(known, "["+name+"]") {
			t.Errorf("%s has a KNOWN DIFFERENCE that the README's \"Known differences\" section does not list", name)
		}
	}
}

// translatedCases lists the case directories: every directory directly
// under testdata/translated but hidden ones.
func translatedCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(translatedRoot)
	if err != nil {
		t.Fatalf("cannot list the translated corpus: %v", err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 0 {
		t.Fatalf("no case in %s", translatedRoot)
	}
	return dirs
}

// caseText is the text of a case's campaign and scenario files.
func caseText(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("cannot list %s: %v", dir, err)
	}
	var b strings.Builder
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".hcl") {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatalf("cannot read %s: %v", e.Name(), err)
			}
			b.Write(data)
		}
	}
	return b.String()
}

// runTranslated runs the CLI in-process at translatedNow.
func runTranslated(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := NewCLI(nil, &out, &errOut)
	c.Now = translatedNow
	code = c.Run(context.Background(), args)
	return out.String(), errOut.String(), code
}
