package plan_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang/kinds"
)

// TestCompiledPlansDecodeStrictly: every setting the compiler writes, of
// every kind, fits its kind's typed settings, so that the runtime's strict
// reading refuses only plans journey did not write.
func TestCompiledPlansDecodeStrictly(t *testing.T) {
	for name, p := range workspaces(t) {
		var index plan.AssetIndex
		for i := range p.Assets {
			if err := index.Add(&p.Assets[i]); err != nil {
				t.Errorf("%s: asset %s %s: %v", name, p.Assets[i].Kind, p.Assets[i].Name, err)
			}
		}
		decode := func(where, kind string, raw plan.Settings) {
			s := plan.NewElementSettings(kind)
			if s == nil {
				t.Errorf("%s: %s: no settings for the kind %s", name, where, kind)
				return
			}
			if err := plan.DecodeSettings(raw, s); err != nil {
				t.Errorf("%s: %s: %v", name, where, err)
			}
		}
		for _, c := range p.Campaigns {
			for _, el := range c.Elements {
				decode(el.ID, el.Kind, el.Settings)
			}
		}
		for _, s := range p.Sequences {
			for _, st := range s.Steps {
				for _, a := range st.Actions {
					decode(st.ID, a.Kind, a.Settings)
				}
			}
		}
		for _, r := range p.Rules {
			if _, err := r.When.DecodeArgs(); err != nil {
				t.Errorf("%s: rule %s: %v", name, r.Name, err)
			}
			for _, a := range r.Actions {
				decode("rule/"+r.Name, a.Kind, a.Settings)
			}
		}
	}
}

// TestEveryElementKindHasSettings: the generated structs cover the table.
func TestEveryElementKindHasSettings(t *testing.T) {
	for _, k := range kinds.Elements() {
		s := plan.NewElementSettings(k.Name)
		if s == nil || s.SettingsKind() != k.Name {
			t.Errorf("no settings struct of %s", k.Name)
		}
	}
	if plan.NewElementSettings("send_fax") != nil {
		t.Error("settings of a kind the table does not have")
	}
}

// TestDecodeSettingsIsStrict: each way a setting can be wrong is refused
// with words that name the setting and say what it must be, and every
// wrong setting of a block is reported at once.
func TestDecodeSettingsIsStrict(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	for _, c := range []struct {
		name     string
		settings plan.Settings
		kind     string
		want     []string
	}{
		{"a duration written as text", plan.Settings{"task": raw(`"call"`), "due_in": raw(`"2d"`)}, "assign_task",
			[]string{`due_in must be a duration {"days": N, "minutes": N}, not a string`}},
		{"an unknown setting", plan.Settings{"email": raw(`"welcome"`), "cc": raw(`"x"`)}, "send_email",
			[]string{"cc is not a setting of send_email (its settings are email, to)"}},
		{"a setting of a kind without settings", plan.Settings{"paths": raw(`[]`)}, "fork",
			[]string{"paths is not a setting of fork, which has none"}},
		{"null", plan.Settings{"email": raw(`null`)}, "send_email",
			[]string{"email is null: leave it out, or give a string"}},
		{"a key its type lacks", plan.Settings{"email": raw(`"w"`), "to": raw(`{"usr": "sam"}`)}, "send_email",
			[]string{`to has a key "usr", which a recipient {"user": NAME}, {"address": ...} or {"owner": true} does not have`}},
		{"a wrong type inside", plan.Settings{"email": raw(`"w"`), "to": raw(`{"user": 5}`)}, "send_email",
			[]string{"to.user must be a string, not a number"}},
		{"a bool as text", plan.Settings{"exit": raw(`"yes"`)}, "end",
			[]string{"exit must be true or false, not a string"}},
		{"an event's unknown argument", plan.Settings{"on": raw(`{"kind": "tag_added", "args": {"tag": "a", "form": "b"}}`)}, "trigger",
			[]string{"on: form is not an argument of the event tag_added (its arguments are tag)"}},
		{"an unknown event", plan.Settings{"on": raw(`{"kind": "fax_received"}`)}, "trigger",
			[]string{`on: no event kind "fax_received" in this journey`}},
		{"two wrong settings", plan.Settings{"task": raw(`7`), "wait_for_completion": raw(`"no"`), "due_in": raw(`{"days": 1, "minutes": 0}`)}, "assign_task",
			[]string{"task must be a string, not a number", "wait_for_completion must be true or false, not a string"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := plan.DecodeSettings(c.settings, plan.NewElementSettings(c.kind))
			if err == nil {
				t.Fatalf("%s settings %v are accepted", c.kind, c.settings)
			}
			lines := strings.Split(err.Error(), "\n")
			if strings.Join(lines, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", err, strings.Join(c.want, "\n"))
			}
			var se *plan.SettingError
			if !errors.As(err, &se) {
				t.Errorf("%T is not a *plan.SettingError", err)
			}
		})
	}

	var s plan.AssignTask
	err := plan.DecodeSettings(plan.Settings{"task": raw(`"call"`), "due_in": raw(`{"days": 2, "minutes": 30}`), "wait_for_completion": raw(`true`)}, &s)
	if err != nil || s.Task != "call" || s.DueIn == nil || *s.DueIn != (plan.Duration{Days: 2, Minutes: 30}) || !s.WaitForCompletion {
		t.Errorf("decoded %+v, %v", s, err)
	}
}
