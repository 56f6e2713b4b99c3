package compiler_test

import (
	"bytes"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang"
)

// shuffledFS lists directory entries in a random order, as a file system
// that does not sort would.
type shuffledFS struct {
	fstest.MapFS
	rng *rand.Rand
}

func (s shuffledFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := s.MapFS.ReadDir(name)
	s.rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	return entries, err
}

func readWorkspace(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.journey.hcl"))
	if len(files) == 0 {
		t.Fatalf("no workspace in %s", dir)
	}
	fsys := fstest.MapFS{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fsys[filepath.Base(f)] = &fstest.MapFile{Data: src}
	}
	return fsys
}

func compileBytes(t *testing.T, fsys fs.FS) ([]byte, *plan.Plan) {
	t.Helper()
	ws, diags, err := lang.Load(fsys, ".")
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	prog, diags := compiler.Compile(ws)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, err := compiler.Plan(prog)
	if err != nil {
		t.Fatal(err)
	}
	data, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return data, p
}

func TestPlanIsDeterministic(t *testing.T) {
	ws := readWorkspace(t, filepath.Join("diff", "testdata", "base"))
	want, _ := compileBytes(t, ws)
	for i := 0; i < 20; i++ {
		got, _ := compileBytes(t, shuffledFS{ws, rand.New(rand.NewSource(int64(i)))})
		if !bytes.Equal(got, want) {
			t.Fatalf("run %d with shuffled files gave different bytes", i)
		}
	}
}

// Moving blocks between files changes source positions only: the version
// (the hash) stays the same.
func TestHashIgnoresWhereBlocksAreWritten(t *testing.T) {
	ws := readWorkspace(t, filepath.Join("diff", "testdata", "base"))
	_, before := compileBytes(t, ws)
	merged := fstest.MapFS{"all.journey.hcl": {Data: append(append([]byte{}, ws["onboarding.journey.hcl"].Data...), append([]byte("\n\n# moved here\n"), ws["assets.journey.hcl"].Data...)...)}}
	_, after := compileBytes(t, merged)
	if before.Hash != after.Hash {
		t.Errorf("hash changed when blocks moved between files: %s -> %s", before.Hash, after.Hash)
	}
	if after.Campaigns[0].Elements[0].Source.File != "all.journey.hcl" {
		t.Errorf("source map not updated: %+v", after.Campaigns[0].Elements[0].Source)
	}
}

func TestPlanRoundTrips(t *testing.T) {
	data, p := compileBytes(t, readWorkspace(t, filepath.Join("diff", "testdata", "base")))
	back, err := plan.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash != p.Hash {
		t.Fatalf("hash %s became %s", p.Hash, back.Hash)
	}
	tampered := bytes.Replace(data, []byte(`"for":{`), []byte(`"for": {`), 1)
	tampered = bytes.Replace(tampered, []byte(`"days":1`), []byte(`"days":9`), 1)
	if _, err := plan.Decode(tampered); err == nil || !strings.Contains(err.Error(), "hash") {
		t.Errorf("an edited plan was accepted: %v", err)
	}
}

func TestPlanNormalizesSettings(t *testing.T) {
	_, p := compileBytes(t, readWorkspace(t, filepath.Join("diff", "testdata", "base")))
	var wait plan.Element
	for _, el := range p.Campaigns[0].Elements {
		if el.Name == "one_day" {
			wait = el
		}
	}
	var timer plan.Timer
	if err := wait.Settings.Decode("timer", &timer); err != nil {
		t.Fatal(err)
	}
	if timer.For == nil || timer.For.Days != 1 || timer.At != "09:00" || timer.TimeZone != (plan.Zone{Mode: "account", Name: "America/New_York"}) {
		t.Errorf("wait one_day normalized to %+v", timer)
	}
	if wait.ID != "onboarding/one_day" || wait.Source == nil || wait.Source.Line == 0 {
		t.Errorf("element ID or source missing: %+v", wait)
	}
	var email plan.Asset
	for _, a := range p.Assets {
		if a.Kind == "email" && a.Name == "tip" {
			email = a
		}
	}
	if email.Settings.String("kind") != "marketing" {
		t.Errorf("email kind default not filled in: %s", email.Settings["kind"])
	}
}
