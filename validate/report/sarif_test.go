package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/journeyhq/journey/validate"
)

func parseSARIF(t *testing.T, out string) (*sarif.Report, *sarif.Run) {
	t.Helper()
	log, err := sarif.FromString(out)
	if err != nil {
		t.Fatalf("the library cannot read the log back: %v", err)
	}
	if log.Version != "2.1.0" || log.Schema == "" {
		t.Fatalf("version %q, $schema %q", log.Version, log.Schema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return log, log.Runs[0]
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func intOf(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// checkGitHubRules checks what GitHub code scanning requires of a log
// (docs.github.com, "SARIF support for code scanning"): it rejects the
// whole upload when one result has no location, and wants every region
// number, 1 or more.
func checkGitHubRules(t *testing.T, run *sarif.Run) {
	t.Helper()
	d := run.Tool.Driver
	if d.Name != "journey" || str(d.InformationURI) != "https://github.com/journeyhq/journey" {
		t.Errorf("driver %q %q", d.Name, str(d.InformationURI))
	}
	ids := map[string]bool{}
	for _, rule := range d.Rules {
		if ids[rule.ID] {
			t.Errorf("rule %s twice", rule.ID)
		}
		ids[rule.ID] = true
		if rule.ShortDescription == nil || str(rule.ShortDescription.Text) == "" ||
			rule.FullDescription == nil || str(rule.FullDescription.Text) == "" ||
			rule.Help == nil || str(rule.Help.Text) == "" {
			t.Errorf("rule %s lacks a description or help text", rule.ID)
		}
	}
	checkLoc := func(what string, loc *sarif.Location) {
		if loc == nil || loc.PhysicalLocation == nil || loc.PhysicalLocation.ArtifactLocation == nil ||
			str(loc.PhysicalLocation.ArtifactLocation.URI) == "" || loc.PhysicalLocation.Region == nil {
			t.Errorf("%s: no artifact location or region", what)
			return
		}
		rg := loc.PhysicalLocation.Region
		sl, sc, el, ec := intOf(rg.StartLine), intOf(rg.StartColumn), intOf(rg.EndLine), intOf(rg.EndColumn)
		if sl < 1 || sc < 1 || el < sl || ec < 1 || (el == sl && ec <= sc) {
			t.Errorf("%s: region %d:%d-%d:%d", what, sl, sc, el, ec)
		}
	}
	for i, res := range run.Results {
		what := str(res.RuleID)
		if res.RuleIndex == nil || int(*res.RuleIndex) >= len(d.Rules) || d.Rules[*res.RuleIndex].ID != str(res.RuleID) {
			t.Errorf("result %d (%s): ruleIndex does not point at its rule", i, what)
		}
		if str(res.Message.Text) == "" {
			t.Errorf("result %d (%s): no message", i, what)
		}
		if len(res.Locations) != 1 {
			t.Errorf("result %d (%s): %d locations, want 1", i, what, len(res.Locations))
			continue
		}
		checkLoc(what, res.Locations[0])
		seen := map[uint]bool{}
		for _, rel := range res.RelatedLocations {
			checkLoc(what+" related", rel)
			if rel.Id == nil || seen[*rel.Id] {
				t.Errorf("result %d (%s): related location without a unique id", i, what)
			} else {
				seen[*rel.Id] = true
			}
		}
	}
}

func TestSARIF(t *testing.T) {
	_, run := parseSARIF(t, render(t, "sarif", fixture(t), Options{}))
	checkGitHubRules(t, run)
	d := run.Tool.Driver
	if str(d.Version) != "v1.2.3" {
		t.Errorf("version %q", str(d.Version))
	}

	// Every rule, in the order of validate.Rules(), described.
	rules := validate.Rules()
	if len(d.Rules) != len(rules) {
		t.Fatalf("%d rules, want %d", len(d.Rules), len(rules))
	}
	for i, want := range rules {
		got := d.Rules[i]
		if got.ID != want.Name || str(got.ShortDescription.Text) != want.Summary ||
			got.DefaultConfiguration == nil || got.DefaultConfiguration.Level != want.Severity.String() ||
			str(got.HelpURI) != "https://github.com/journeyhq/journey/blob/main/docs/rules.md#"+want.Name {
			t.Errorf("rule %d: got %s %q %v %q", i, got.ID, str(got.ShortDescription.Text), got.DefaultConfiguration, str(got.HelpURI))
		}
	}

	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	timer, sends, unused := run.Results[0], run.Results[1], run.Results[2]
	if str(timer.RuleID) != "unconfigured-timer" || str(timer.Level) != "error" ||
		str(timer.Message.Text) != `wait "later" has no timer settings: contacts would stop here forever. Hint: set for, until, until_field, at, between or on_days` {
		t.Errorf("timer result: %s %s %q", str(timer.RuleID), str(timer.Level), str(timer.Message.Text))
	}
	pl := timer.Locations[0].PhysicalLocation
	if str(pl.ArtifactLocation.URI) != "main.journey.hcl" || str(pl.ArtifactLocation.URIBaseId) != "%SRCROOT%" {
		t.Errorf("artifact %q %q", str(pl.ArtifactLocation.URI), str(pl.ArtifactLocation.URIBaseId))
	}
	if rg := pl.Region; intOf(rg.StartLine) != 7 || intOf(rg.StartColumn) != 3 || intOf(rg.EndLine) != 7 || intOf(rg.EndColumn) != 15 {
		t.Errorf("region %d:%d-%d:%d", intOf(rg.StartLine), intOf(rg.StartColumn), intOf(rg.EndLine), intOf(rg.EndColumn))
	}
	if len(timer.RelatedLocations) != 1 {
		t.Fatalf("related: %d", len(timer.RelatedLocations))
	}
	rel := timer.RelatedLocations[0]
	if str(rel.Message.Text) != `contacts reach it from trigger "signup"` || intOf(rel.PhysicalLocation.Region.StartLine) != 2 {
		t.Errorf("related %q line %d", str(rel.Message.Text), intOf(rel.PhysicalLocation.Region.StartLine))
	}
	if str(sends.Level) != "warning" || str(sends.Message.Text) != awkward || sends.RelatedLocations != nil {
		t.Errorf("sends: %s %q", str(sends.Level), str(sends.Message.Text))
	}
	if str(unused.Locations[0].PhysicalLocation.ArtifactLocation.URI) != "tags.journey.hcl" {
		t.Errorf("unused uri")
	}
	for _, res := range run.Results {
		if fp, _ := res.PartialFingerprints["primaryLocationLineHash"].(string); fp == "" {
			t.Errorf("%s: no primaryLocationLineHash", str(res.RuleID))
		}
	}
}

func TestSARIFEmpty(t *testing.T) {
	out := render(t, "sarif", &Report{}, Options{})
	_, run := parseSARIF(t, out)
	checkGitHubRules(t, run)
	// GitHub needs "results": [] to clear earlier alerts; null will not do.
	var raw struct {
		Runs []struct {
			Results json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw.Runs[0].Results) != "[]" {
		t.Fatalf("results: %s", raw.Runs[0].Results)
	}
	if len(run.Tool.Driver.Rules) != len(validate.Rules()) {
		t.Fatalf("an empty run still lists every rule")
	}
	if run.Tool.Driver.Version != nil {
		t.Fatalf("empty ToolVersion written as %q", *run.Tool.Driver.Version)
	}
}

// TestSARIFClamps feeds ranges GitHub would refuse: zero lines and
// columns, an end before the start, no end, no file.
func TestSARIFClamps(t *testing.T) {
	r := &Report{
		Findings: []validate.Finding{
			{Rule: "syntax", Message: "zero", Range: hcl.Range{Filename: "a.journey.hcl"}},
			{Rule: "schema", Message: "backwards", Range: hcl.Range{Filename: "a.journey.hcl",
				Start: hcl.Pos{Line: 3, Column: 9}, End: hcl.Pos{Line: 2, Column: 1}}},
			{Rule: "type", Message: "empty", Range: hcl.Range{Filename: "a.journey.hcl",
				Start: hcl.Pos{Line: 4, Column: 2}, End: hcl.Pos{Line: 4, Column: 2}}},
			{Rule: "unused", Severity: validate.Warning, Message: "no file at all"},
			{Rule: "schema", Message: "no file, but a related place", Related: []validate.Related{
				{Message: "nowhere"},
				{Message: "here", Range: hcl.Range{Filename: "b.journey.hcl", Start: hcl.Pos{Line: 2, Column: 1}, End: hcl.Pos{Line: 2, Column: 4}}},
			}},
			{Rule: "no-such-rule", Message: "a rule Rules() does not know", Range: hcl.Range{Filename: "a.journey.hcl",
				Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 2}}},
		},
		Sources: map[string][]byte{"b.journey.hcl": []byte("x = 1\ny = 2\n"), "a.journey.hcl": []byte("a\n")},
	}
	_, run := parseSARIF(t, render(t, "sarif", r, Options{}))
	checkGitHubRules(t, run)
	byMsg := map[string]*sarif.Result{}
	for _, res := range run.Results {
		byMsg[strings.SplitN(str(res.Message.Text), ".", 2)[0]] = res
	}
	uri := func(res *sarif.Result) string { return str(res.Locations[0].PhysicalLocation.ArtifactLocation.URI) }
	if got := uri(byMsg["no file at all"]); got != "a.journey.hcl" {
		t.Errorf("file-less finding shown at %q, want the first file", got)
	}
	if got := uri(byMsg["no file, but a related place"]); got != "b.journey.hcl" {
		t.Errorf("file-less finding with a related place shown at %q", got)
	}
	if n := len(byMsg["no file, but a related place"].RelatedLocations); n != 1 {
		t.Errorf("%d related locations, want the one with a file", n)
	}
	last := run.Tool.Driver.Rules[len(run.Tool.Driver.Rules)-1]
	if last.ID != "no-such-rule" {
		t.Errorf("unknown rule not added: last rule %s", last.ID)
	}
}

func TestSARIFDir(t *testing.T) {
	for _, c := range []struct{ dir, uri, base string }{
		{"campaigns/eu", "campaigns/eu/main.journey.hcl", "%SRCROOT%"},
		{"/home/runner/work/r/r/campaigns", "file:///home/runner/work/r/r/campaigns/main.journey.hcl", "<nil>"},
		{"C:/src/campaigns", "file:///C:/src/campaigns/main.journey.hcl", "<nil>"},
		{"my campaigns", "my%20campaigns/main.journey.hcl", "%SRCROOT%"},
	} {
		r := fixture(t)
		r.Dir = c.dir
		_, run := parseSARIF(t, render(t, "sarif", r, Options{}))
		al := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if str(al.URI) != c.uri || str(al.URIBaseId) != c.base {
			t.Errorf("Dir %q: uri %q base %q, want %q %q", c.dir, str(al.URI), str(al.URIBaseId), c.uri, c.base)
		}
		// The json format stays relative to the directory validated.
		if got := decodeJSON(t, render(t, "json", r, Options{})); got.Findings[0].Range.Filename != "main.journey.hcl" {
			t.Errorf("json filename %q", got.Findings[0].Range.Filename)
		}
	}
}

func TestRelativeURI(t *testing.T) {
	for in, want := range map[string]string{
		"main.journey.hcl":    "main.journey.hcl",
		"a b/c#d?.hcl":        "a%20b/c%23d%3F.hcl",
		"50%.journey.hcl":     "50%25.journey.hcl",
		"x:y.journey.hcl":     "x%3Ay.journey.hcl",
		"dir/x:y.journey.hcl": "dir/x:y.journey.hcl",
	} {
		if got := relativeURI(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestLineHashes checks the fingerprints against the expectations of
// github/codeql-action's src/fingerprints.test.ts, so that the hashes are
// the ones upload-sarif would compute (it keeps existing ones, warning
// when they differ).
func TestLineHashes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", []string{"c129715d7a2bc9a3:1"}},
		{" a\nb\n  \t\tc\n d", []string{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"}},
		{" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End", []string{"8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1"}},
		{" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", []string{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"}},
		{" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", []string{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"}},
		{" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", []string{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"}},
		{strings.Repeat("Lorem ipsum dolor sit amet.\n", 10), []string{"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3", "a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"}},
		{"x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n", []string{"e54938cc54b302f1:1", "bb609acbe9138d60:1", "1131fd5871777f34:1", "5c482a0f8b35ea28:1", "54517377da7028d2:1", "2c644846cb18d53e:1", "f1b89f20de0d133:1", "c129715d7a2bc9a3:1"}},
	} {
		if got := lineHashes([]byte(c.in)); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q:\n got %v\nwant %v", c.in, got, c.want)
		}
	}
}
