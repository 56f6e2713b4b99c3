package plan_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

func hashOf(t *testing.T, p *plan.Plan) string {
	t.Helper()
	h, err := p.ComputeHash()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// A plan read back from its file has the hash it was compiled with
// (Decode checks it), for every example and kind.
func TestHashSurvivesTheFile(t *testing.T) {
	for name, p := range workspaces(t) {
		data, err := plan.Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := plan.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if back.Hash != p.Hash || hashOf(t, back) != p.Hash {
			t.Errorf("%s: compiled with %s, read back as %s", name, p.Hash, hashOf(t, back))
		}
	}
}

// What does not change what happens to a contact does not change the hash;
// every setting does.
func TestHashCountsMeaningOnly(t *testing.T) {
	for name, p := range workspaces(t) {
		want := hashOf(t, p)
		moved := decodeCopy(t, p)
		for i := range moved.Campaigns {
			c := &moved.Campaigns[i]
			c.Source = &plan.Source{File: "elsewhere.journey.hcl", Line: 999}
			slices.Reverse(c.Elements)
			for j := range c.Elements {
				c.Elements[j].Source = nil
			}
		}
		for i := range moved.Sequences {
			moved.Sequences[i].Source = nil
		}
		moved.Hash = "sha256:whatever"
		if got := hashOf(t, moved); got != want {
			t.Errorf("%s: moving blocks and elements changed the hash", name)
		}

		for i := range p.Campaigns {
			for j := range p.Campaigns[i].Elements {
				el := p.Campaigns[i].Elements[j]
				for key, raw := range el.Settings {
					if !strings.Contains(string(raw), `"text":`) {
						continue
					}
					reworded := decodeCopy(t, p)
					s := reworded.Campaigns[i].Elements[j].Settings
					s[key] = []byte(strings.Replace(string(raw), `"text":"`, `"text":"  `, 1))
					if got := hashOf(t, reworded); got != want {
						t.Errorf("%s: respelling the expression %s of %s changed the hash", name, key, el.ID)
					}
				}
				if len(el.Edges) > 0 {
					changed := decodeCopy(t, p)
					changed.Campaigns[i].Elements[j].Edges[0].To += "_x"
					if hashOf(t, changed) == want {
						t.Errorf("%s: changing an edge of %s kept the hash", name, el.ID)
					}
				}
			}
		}
	}
}

// A setting that happens to be called text is content.
func TestHashCountsASettingCalledText(t *testing.T) {
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Campaigns: []plan.Campaign{{Name: "c", Elements: []plan.Element{
		{ID: "c/a", Name: "a", Kind: "update_contact", Settings: plan.Settings{"set": []byte(`{"text":"one"}`)}},
	}}}}
	before := hashOf(t, p)
	p.Campaigns[0].Elements[0].Settings["set"] = []byte(`{"text":"two"}`)
	if hashOf(t, p) == before {
		t.Error("changing a setting called text kept the hash")
	}
}

func decodeCopy(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	data, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := plan.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
