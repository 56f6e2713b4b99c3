package kindsgen_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/journeyhq/journey/internal/kindsgen"
)

const root = "../.."

// TestGeneratedFilesAreUpToDate regenerates every artefact in memory and
// fails, naming the file, when the committed one differs: a change to the
// kinds table (or a Go with another zone database) needs its generated
// files in the same commit.
func TestGeneratedFilesAreUpToDate(t *testing.T) {
	artefacts, err := kindsgen.Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"docs/plan.schema.json", "compiler/plan/settings_gen.go", "docs/language.md", "compiler/zones_gen.go"}
	var got []string
	for _, a := range artefacts {
		got = append(got, a.Path)
		committed, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(a.Path)))
		if err != nil {
			t.Errorf("%s: %v: run go generate ./...", a.Path, err)
			continue
		}
		if !bytes.Equal(committed, a.Data) {
			t.Errorf("%s is not what lang/kinds gives (%s): run go generate ./...", a.Path, firstDifference(committed, a.Data))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("generated %v, want %v", got, want)
	}
}

// firstDifference is the first line where two texts differ.
func firstDifference(have, want []byte) string {
	h, w := strings.Split(string(have), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(h) && i < len(w); i++ {
		if h[i] != w[i] {
			return fmt.Sprintf("line %d is %q, the table gives %q", i+1, h[i], w[i])
		}
	}
	return fmt.Sprintf("the file has %d lines, the table gives %d", len(h), len(w))
}

// TestZonesAreTheEmbeddedDatabase: the zone list is the database that
// time/tzdata builds into the binary, which journey's timers load zones
// from on a machine without one: every name loads, and the names people
// write are there.
func TestZonesAreTheEmbeddedDatabase(t *testing.T) {
	zones, err := kindsgen.TzdataZones()
	if err != nil {
		t.Fatal(err)
	}
	if len(zones) < 300 {
		t.Fatalf("only %d zones: %v", len(zones), zones)
	}
	have := map[string]bool{}
	for _, z := range zones {
		have[z] = true
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("zone %s does not load: %v", z, err)
		}
	}
	for _, z := range []string{"UTC", "America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney"} {
		if !have[z] {
			t.Errorf("no zone %s", z)
		}
	}
}

// TestLanguageDocNeedsItsMarkers: without the lines that mark the
// generated section, the generator says where the section goes instead of
// writing the page wrong.
func TestLanguageDocNeedsItsMarkers(t *testing.T) {
	const marked = "# The journey language\n\n" +
		"<!-- BEGIN GENERATED step attributes: go generate ./... writes this section from lang/kinds; edit the table, not this text. -->\n<!-- END GENERATED step attributes -->\n\n" +
		"## Actions\n\n" +
		"<!-- BEGIN GENERATED actions: go generate ./... writes this section from lang/kinds; edit the table, not this text. -->\n<!-- END GENERATED actions -->\n"
	if _, err := kindsgen.LanguageDoc([]byte(marked)); err != nil {
		t.Fatalf("a page with every marker: %v", err)
	}
	for _, section := range []string{"step attributes", "actions"} {
		unmarked := strings.Replace(marked, "<!-- END GENERATED "+section+" -->\n", "", 1)
		_, err := kindsgen.LanguageDoc([]byte(unmarked))
		if err == nil || !strings.Contains(err.Error(), "END GENERATED "+section) {
			t.Errorf("without the end of %s: got %v, want an error naming its markers", section, err)
		}
	}
}
