package validate_test

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/journeyhq/journey/validate"
	"github.com/journeyhq/journey/validate/report"
)

// FuzzValidate feeds arbitrary bytes to journey validate as the one file
// main.journey.hcl and renders the findings in every output format. Nothing
// may panic, and every finding must carry a known rule name and a valid
// severity.
//
//	go test -run '^$' -fuzz '^FuzzValidate$' -fuzztime 10m ./validate/
func FuzzValidate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) { fuzzOne(t, "main.journey.hcl", src) })
}

// FuzzValidateJSON is FuzzValidate for the HCL JSON form, main.journey.json.
//
//	go test -run '^$' -fuzz '^FuzzValidateJSON$' -fuzztime 5m ./validate/
func FuzzValidateJSON(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) { fuzzOne(t, "main.journey.json", src) })
}

func fuzzOne(t *testing.T, name string, src []byte) {
	fsys := fstest.MapFS{name: {Data: src}}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: benchNow})
	if err != nil {
		t.Fatalf("validate.Dir: %v (a workspace with one campaign file must load)", err)
	}
	for _, fd := range res.Findings {
		if validate.LookupRule(fd.Rule) == nil {
			t.Errorf("finding with unknown rule %q: %s", fd.Rule, line(fd))
		}
		if fd.Severity != validate.Error && fd.Severity != validate.Warning {
			t.Errorf("finding with severity %d: %s", fd.Severity, line(fd))
		}
		if fd.Message == "" {
			t.Errorf("finding without a message: %s", line(fd))
		}
	}
	rep := &report.Report{Findings: res.Findings, Sources: map[string][]byte{}, ToolVersion: "fuzz", Dir: "."}
	if res.Workspace != nil {
		rep.FileCount = len(res.Workspace.FileNames)
		for n, file := range res.Workspace.Files {
			rep.Sources[n] = file.Src
		}
	}
	for _, format := range report.Formats() {
		if err := report.Write(io.Discard, format, rep, report.Options{Color: format == "text", StepSummary: io.Discard}); err != nil {
			t.Errorf("report.Write %s: %v", format, err)
		}
	}
}

// addSeeds adds every file of the conformance cases (validate/*/) and of
// ../examples, and a few edge cases, to the seed corpus.
func addSeeds(f *testing.F) {
	root := os.Getenv("JOURNEY_CONFORMANCE_DIR")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "conformance")
	}
	n := addSeedFiles(f, filepath.Join(root, "validate"))
	n += addSeedFiles(f, filepath.Join("..", "examples"))
	if n == 0 {
		f.Logf("no seed files in %s or ../examples (set JOURNEY_CONFORMANCE_DIR)", root)
	}
	for _, s := range []string{
		"",
		"\n",
		"\r\n",
		"\xef\xbb\xbfcampaign \"c\" {}\n",
		`campaign "c" {` + "\r\n" + `  trigger "t" {` + "\r\n" + `    on = tag_added(tag.x)` + "\r\n  }\r\n}\r\n",
		`{"campaign": {"c": {"trigger": {"t": {"on": "${tag_added(tag.x)}", "next": "end.done"}}, "end": {"done": {}}}}}`,
		`{"tag": {"x": {}}, "email": {"e": {"subject": "Hi ${contact.first_name}", "body": "${contact.nope}"}}}`,
		`email "e" { subject = "${"${"${contact.first_name}"}"}" }`,
		`campaign "c" { condition "x" { if = ((((has_tag(tag.x)))))` + "\n then = end.a\n else = end.a\n }\n end \"a\" {}\n}",
		`campaign "c" { condition "x" { if = !!!!!!!!!!has_tag(tag.x) } }`,
		"campaign \"c\" {\n  wait \"w\" {\n    for = \"1d\"\n    at = \"25:00\"\n    on_days = []\n    between = [\"17:00\", \"09:00\"]\n  }\n}\n",
		"sequence \"s\" {\n  kind = \"date\"\n  step \"a\" {\n    schedule {\n      on_field = field.birthday\n      annual = true\n    }\n    email = email.e\n  }\n}\n",
		"moved {\n  from = campaign.a.wait.x\n  to   = campaign.a.wait.y\n}\n",
		"\x00\x01\x02",
		"\xff\xfe\xfd",
	} {
		f.Add([]byte(s))
	}
}

func addSeedFiles(f *testing.F, dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.HasSuffix(p, ".md") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil || len(src) > 1<<20 {
			return nil
		}
		f.Add(src)
		n++
		return nil
	})
	return n
}
