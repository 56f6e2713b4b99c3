package lang_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/journeyhq/journey/lang"
)

// TestFiles and LoadTests read the same files: scenario files, not hidden
// files or an editor's lock files, as for campaign files.
func TestTestFilesSkipHiddenAndLockFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"b.journeytest.hcl":     {Data: []byte("scenario \"b\" {}\n")},
		"a.journeytest.hcl":     {Data: []byte("scenario \"a\" {}\n")},
		".a.journeytest.hcl":    {Data: []byte("not hcl {")},
		"#a.journeytest.hcl":    {Data: []byte("not hcl {")},
		"main.journey.hcl":      {Data: []byte("tag \"x\" {}\n")},
		"sub/c.journeytest.hcl": {Data: []byte("scenario \"c\" {}\n")},
	}
	names, err := lang.TestFiles(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names, " "); got != "a.journeytest.hcl b.journeytest.hcl" {
		t.Errorf("TestFiles = %s", got)
	}
	tests, _, err := lang.LoadTests(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tests.FileNames, " "); got != "a.journeytest.hcl b.journeytest.hcl" {
		t.Errorf("LoadTests read %s", got)
	}
}
