package plan_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/lang/kinds"
	"github.com/journeyhq/journey/validate"
)

// The schemas' $id: a plan file's schema refers to the plan's by it.
const (
	planSchemaURL     = "https://github.com/journeyhq/journey/blob/main/docs/plan.schema.json"
	planFileSchemaURL = "https://github.com/journeyhq/journey/blob/main/docs/planfile.schema.json"
)

// schemas compiles docs/plan.schema.json and docs/planfile.schema.json.
func schemas(t *testing.T) (planSchema, fileSchema *jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	for url, name := range map[string]string{planSchemaURL: "plan.schema.json", planFileSchemaURL: "planfile.schema.json"} {
		doc := readJSON(t, filepath.Join("..", "..", "docs", name))
		if id, _ := doc.(map[string]any)["$id"].(string); id != url {
			t.Fatalf("docs/%s has $id %q, want %q", name, id, url)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("docs/%s: %v", name, err)
		}
	}
	var err error
	if planSchema, err = c.Compile(planSchemaURL); err != nil {
		t.Fatalf("docs/plan.schema.json does not compile: %v", err)
	}
	if fileSchema, err = c.Compile(planFileSchemaURL); err != nil {
		t.Fatalf("docs/planfile.schema.json does not compile: %v", err)
	}
	return planSchema, fileSchema
}

func readJSON(t *testing.T, path string) any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// instance turns a plan (or plan file) into the generic JSON the validator
// reads, through the bytes journey writes.
func instance(t *testing.T, v any) any {
	t.Helper()
	var data []byte
	var err error
	if p, ok := v.(*plan.Plan); ok {
		data, err = plan.Encode(p)
	} else {
		data, err = json.Marshal(v)
	}
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// compileFS validates a workspace and compiles its plan, as journey compile
// does.
func compileFS(t *testing.T, fsys fs.FS) *plan.Plan {
	t.Helper()
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := validate.Counts(res.Findings); errs > 0 {
		var msgs []string
		for _, f := range res.Findings {
			if f.Severity == validate.Error {
				msgs = append(msgs, f.Range.String()+": "+f.Message)
			}
		}
		t.Fatalf("the workspace does not validate:\n%s", strings.Join(msgs, "\n"))
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// overlay is testdata/base of the diff tests with the files of a case laid
// over it, as the diff tests build them.
func overlay(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, dir := range []string{"base", name} {
		files, err := filepath.Glob(filepath.Join("..", "diff", "testdata", dir, "*.journey.*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fsys[filepath.Base(f)] = &fstest.MapFile{Data: src}
		}
	}
	return fsys
}

// workspaces are every plan the schema is tested on: the examples, the
// diff test cases and a workspace with every kind of block.
func workspaces(t *testing.T) map[string]*plan.Plan {
	t.Helper()
	plans := map[string]*plan.Plan{}
	root := filepath.Join("..", "..", "examples")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			plans["examples/"+e.Name()] = compileFS(t, os.DirFS(filepath.Join(root, e.Name())))
		}
	}
	if len(plans) == 0 {
		t.Fatalf("no examples in %s", root)
	}
	cases, err := os.ReadDir(filepath.Join("..", "diff", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range cases {
		if !e.IsDir() {
			continue
		}
		n++
		name := e.Name()
		if name == "base" {
			name = ""
		}
		plans["diff/testdata/"+e.Name()] = compileFS(t, overlay(t, name))
	}
	if n < 2 {
		t.Fatalf("no diff test cases found")
	}
	plans["every kind"] = compileFS(t, everyKind)
	return plans
}

// TestPlansMatchSchema compiles every example and every diff test workspace
// and validates the plan, and a plan file around it, against the schemas.
func TestPlansMatchSchema(t *testing.T) {
	planSchema, fileSchema := schemas(t)
	for name, p := range workspaces(t) {
		t.Run(name, func(t *testing.T) {
			if err := planSchema.Validate(instance(t, p)); err != nil {
				t.Errorf("the plan does not match docs/plan.schema.json:\n%v", err)
			}
			serial := int64(7)
			for _, f := range []*plan.File{
				{FormatVersion: plan.FormatVersion, ToolVersion: "dev", Against: plan.Against{Hash: p.Hash, Source: "deployed.json"}, Plan: p},
				{FormatVersion: plan.FormatVersion, ToolVersion: "v0.1.0", Against: plan.Against{Hash: "", Serial: &serial, Source: "https://journey.example.com"}, Plan: p},
			} {
				if err := fileSchema.Validate(instance(t, f)); err != nil {
					t.Errorf("a plan file does not match docs/planfile.schema.json:\n%v", err)
				}
			}
		})
	}
}

// TestSchemaCoversEveryKind keeps the schema in step with the language: its
// enums are the kinds table's, and the tested plans hold every element,
// asset and event kind, so that each kind's settings schema is exercised.
func TestSchemaCoversEveryKind(t *testing.T) {
	schema := readJSON(t, filepath.Join("..", "..", "docs", "plan.schema.json")).(map[string]any)
	defs := schema["$defs"].(map[string]any)
	enum := func(path ...string) []string {
		var v any = defs
		for _, p := range path {
			v = v.(map[string]any)[p]
		}
		var out []string
		for _, s := range v.([]any) {
			out = append(out, s.(string))
		}
		sort.Strings(out)
		return out
	}
	sorted := func(s []string) []string { s = append([]string(nil), s...); sort.Strings(s); return s }

	var elementKinds, actionKinds, assetKinds, eventKinds []string
	for _, k := range kinds.Elements() {
		elementKinds = append(elementKinds, k.Name)
	}
	for _, k := range kinds.Actions() {
		actionKinds = append(actionKinds, k.Name)
	}
	for _, k := range kinds.Assets() {
		assetKinds = append(assetKinds, k.Name)
	}
	for _, e := range kinds.Events() {
		eventKinds = append(eventKinds, e.Name)
	}
	ops := append([]string{plan.OpLit, plan.OpField, plan.OpEvent, plan.OpOwner, plan.OpCall, plan.OpNot, plan.OpNeg, plan.OpIf, plan.OpTemplate, plan.OpList, plan.OpIndex}, plan.BinaryOps()...)
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"element kinds", enum("element", "properties", "kind", "enum"), sorted(elementKinds)},
		{"action kinds", enum("action", "properties", "kind", "enum"), sorted(actionKinds)},
		{"asset kinds", enum("asset", "properties", "kind", "enum"), sorted(assetKinds)},
		{"event kinds", enum("event", "properties", "kind", "enum"), sorted(eventKinds)},
		{"expression ops", enum("node", "properties", "op", "enum"), sorted(ops)},
		{"weekdays", enum("weekday", "enum"), sorted(plan.Weekdays())},
		{"field types", enum("field", "properties", "type", "enum"), sorted(kinds.FieldTypes())},
		{"editions", enum("account", "properties", "edition", "enum"), sorted(kinds.Editions())},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("the schema's %s are %v; the language has %v", c.what, c.got, c.want)
		}
	}
	for _, k := range append(append([]string(nil), elementKinds...), assetKinds...) {
		if _, ok := defs["settings."+k]; !ok {
			t.Errorf("the schema has no settings.%s", k)
		}
	}

	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if op, ok := t["op"].(string); ok {
				seen["op "+op] = true
			}
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	for _, p := range workspaces(t) {
		for _, a := range p.Assets {
			seen["asset "+a.Kind] = true
		}
		for _, c := range p.Campaigns {
			seen["reentry "+c.Reentry.Mode] = true
			for _, el := range c.Elements {
				seen["element "+el.Kind] = true
				var ev plan.Event
				if el.Settings.Decode("on", &ev) == nil && ev.Kind != "" {
					seen["event "+ev.Kind] = true
				}
				var tm plan.Timer
				for _, key := range []string{"timer", "at"} {
					if el.Settings.Has(key) && el.Settings.Decode(key, &tm) == nil {
						seen["zone "+tm.TimeZone.Mode] = true
					}
				}
			}
		}
		for _, r := range p.Rules {
			seen["event "+r.When.Kind] = true
		}
		for _, s := range p.Sequences {
			seen["sequence "+s.Kind] = true
		}
		walk(instance(t, p))
	}
	var want []string
	for _, k := range elementKinds {
		want = append(want, "element "+k)
	}
	for _, k := range assetKinds {
		want = append(want, "asset "+k)
	}
	for _, k := range eventKinds {
		want = append(want, "event "+k)
	}
	for _, op := range ops {
		want = append(want, "op "+op)
	}
	want = append(want, "reentry once", "reentry always", "reentry interval", "zone account", "zone contact", "zone fixed", "sequence step", "sequence date")
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no tested plan has %s: add it to everyKind so the schema is checked on it", w)
		}
	}
}

// TestSchemaIsStrict changes a valid plan in one place at a time; each
// change must fail validation at that place.
func TestSchemaIsStrict(t *testing.T) {
	planSchema, fileSchema := schemas(t)
	p := compileFS(t, overlay(t, ""))
	valid := instance(t, p)
	if err := planSchema.Validate(valid); err != nil {
		t.Fatalf("the base plan does not validate: %v", err)
	}
	element := func(doc any, name string) map[string]any {
		for _, c := range doc.(map[string]any)["campaigns"].([]any) {
			for _, el := range c.(map[string]any)["elements"].([]any) {
				if m := el.(map[string]any); m["name"] == name {
					return m
				}
			}
		}
		t.Fatalf("the base plan has no element %q", name)
		return nil
	}
	timer := func(doc any) map[string]any {
		return element(doc, "one_day")["settings"].(map[string]any)["timer"].(map[string]any)
	}
	for _, c := range []struct {
		name   string
		change func(doc map[string]any)
		at     string // where the validator must complain (a JSON pointer prefix)
	}{
		{"unknown top-level key", func(doc map[string]any) { doc["extra"] = true }, ""},
		{"missing top-level key", func(doc map[string]any) { delete(doc, "moved") }, ""},
		{"another format version", func(doc map[string]any) { doc["format_version"] = "2" }, "/format_version"},
		{"hash without its algorithm", func(doc map[string]any) { doc["hash"] = strings.TrimPrefix(doc["hash"].(string), "sha256:") }, "/hash"},
		{"element ID with a dot", func(doc map[string]any) { element(doc, "welcome")["id"] = "onboarding.welcome" }, "/campaigns/0/elements"},
		{"element ID without its campaign", func(doc map[string]any) { element(doc, "welcome")["id"] = "welcome" }, "/campaigns/0/elements"},
		{"unknown element kind", func(doc map[string]any) { element(doc, "welcome")["kind"] = "send_fax" }, "/campaigns/0/elements"},
		{"unknown element key", func(doc map[string]any) { element(doc, "welcome")["color"] = "red" }, "/campaigns/0/elements"},
		{"unknown setting", func(doc map[string]any) { element(doc, "welcome")["settings"].(map[string]any)["cc"] = "x" }, "/campaigns/0/elements"},
		{"missing required setting", func(doc map[string]any) { delete(element(doc, "welcome")["settings"].(map[string]any), "email") }, "/campaigns/0/elements"},
		{"duration as a string", func(doc map[string]any) { timer(doc)["for"] = "1d" }, "/campaigns/0/elements"},
		{"duration in hours", func(doc map[string]any) { timer(doc)["for"] = map[string]any{"days": 0, "hours": 24} }, "/campaigns/0/elements"},
		{"duration without minutes", func(doc map[string]any) { timer(doc)["for"] = map[string]any{"days": 1} }, "/campaigns/0/elements"},
		{"duration of mixed signs", func(doc map[string]any) { timer(doc)["for"] = map[string]any{"days": 1, "minutes": -30} }, "/campaigns/0/elements"},
		{"fractional duration", func(doc map[string]any) { timer(doc)["for"] = map[string]any{"days": 1.5, "minutes": 0} }, "/campaigns/0/elements"},
		{"time of day without its leading zero", func(doc map[string]any) { timer(doc)["at"] = "9:00" }, "/campaigns/0/elements"},
		{"time of day past midnight", func(doc map[string]any) { timer(doc)["at"] = "24:00" }, "/campaigns/0/elements"},
		{"time of day with seconds", func(doc map[string]any) { timer(doc)["at"] = "09:00:00" }, "/campaigns/0/elements"},
		{"unknown zone mode", func(doc map[string]any) { timer(doc)["time_zone"].(map[string]any)["mode"] = "local" }, "/campaigns/0/elements"},
		{"timer without a zone", func(doc map[string]any) { delete(timer(doc), "time_zone") }, "/campaigns/0/elements"},
		{"timer with for and until", func(doc map[string]any) {
			timer(doc)["until"] = map[string]any{"date": "2027-01-01", "time": "10:00"}
		}, "/campaigns/0/elements"},
		{"weekday in full", func(doc map[string]any) { timer(doc)["on_days"] = []any{"monday"} }, "/campaigns/0/elements"},
		{"decision with within and a deadline", func(doc map[string]any) {
			element(doc, "upgrade")["settings"].(map[string]any)["deadline"] = map[string]any{
				"until": map[string]any{"date": "2027-01-01", "time": "10:00"}, "time_zone": map[string]any{"mode": "account", "name": "UTC"}}
		}, "/campaigns/0/elements"},
		{"decision without a deadline", func(doc map[string]any) { delete(element(doc, "upgrade")["settings"].(map[string]any), "within") }, "/campaigns/0/elements"},
		{"bad account time", func(doc map[string]any) { doc["account"].(map[string]any)["default_send_time"] = "10am" }, "/account/default_send_time"},
		{"unknown expression op", func(doc map[string]any) {
			element(doc, "bought")["settings"].(map[string]any)["if"].(map[string]any)["root"].(map[string]any)["op"] = "eval"
		}, "/campaigns/0/elements"},
		{"expression without its text", func(doc map[string]any) {
			delete(element(doc, "bought")["settings"].(map[string]any)["if"].(map[string]any), "text")
		}, "/campaigns/0/elements"},
		{"edge label", func(doc map[string]any) {
			element(doc, "welcome")["edges"].([]any)[0].(map[string]any)["label"] = "then"
		}, "/campaigns/0/elements"},
		{"source line 0", func(doc map[string]any) { element(doc, "welcome")["source"].(map[string]any)["line"] = 0 }, "/campaigns/0/elements"},
		{"unknown reentry mode", func(doc map[string]any) {
			doc["campaigns"].([]any)[0].(map[string]any)["reentry"] = map[string]any{"mode": "twice"}
		}, "/campaigns/0/reentry"},
		{"bad moved address", func(doc map[string]any) {
			doc["moved"] = []any{map[string]any{"from": "onboarding/one_day", "to": "campaign.onboarding.wait.two_days"}}
		}, "/moved/0/from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := clone(t, valid).(map[string]any)
			c.change(doc)
			err := planSchema.Validate(doc)
			if err == nil {
				t.Fatalf("the schema accepts a plan with %s", c.name)
			}
			var ve *jsonschema.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("not a validation error: %v", err)
			}
			if !complainsAt(ve, c.at) {
				t.Errorf("the schema refuses it, but not at %q:\n%v", c.at, err)
			}
		})
	}

	t.Run("plan file", func(t *testing.T) {
		good := instance(t, &plan.File{FormatVersion: plan.FormatVersion, ToolVersion: "dev", Against: plan.Against{Hash: p.Hash, Source: "old.json"}, Plan: p})
		if err := fileSchema.Validate(good); err != nil {
			t.Fatalf("a plan file does not validate: %v", err)
		}
		for name, change := range map[string]func(doc map[string]any){
			"unknown key":       func(doc map[string]any) { doc["approved"] = true },
			"bad against hash":  func(doc map[string]any) { doc["against"].(map[string]any)["hash"] = "abc" },
			"no tool version":   func(doc map[string]any) { delete(doc, "tool_version") },
			"a bad plan inside": func(doc map[string]any) { doc["plan"].(map[string]any)["extra"] = 1 },
		} {
			doc := clone(t, good).(map[string]any)
			change(doc)
			if fileSchema.Validate(doc) == nil {
				t.Errorf("the plan file schema accepts a file with %s", name)
			}
		}
	})
}

// complainsAt reports whether a leaf error of the validation is at or
// below the JSON pointer at.
func complainsAt(e *jsonschema.ValidationError, at string) bool {
	if len(e.Causes) == 0 {
		loc := ""
		for _, p := range e.InstanceLocation {
			loc += "/" + p
		}
		return strings.HasPrefix(loc, at)
	}
	for _, c := range e.Causes {
		if complainsAt(c, at) {
			return true
		}
	}
	return false
}

func clone(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// everyKind is a workspace with every asset, element, action and event
// kind and every form of timer, schedule, zone and expression, so that the
// schema is tested on each.
var everyKind = fstest.MapFS{
	"assets.journey.hcl": {Data: []byte(`account {
  time_zone         = "Europe/Berlin"
  default_send_time = "9:30"
  senders           = ["Team <Team@Example.com>"]
  sms_numbers       = ["+15550100"]
  edition           = "enterprise"
  postal_address    = [field.first_name, field.country]
}

field "birthday" {
  type = date
}
field "plan" {
  type    = string
  default = "free"
}
field "score" {
  type    = number
  default = 1.5
}
field "vip" {
  type      = bool
  read_only = true
  default   = false
}
field "seen_at" {
  type = datetime
}
field "since" {
  type    = date
  default = "2026-01-01"
}
field "interests" {
  type    = list(string)
  default = ["gardening"]
}

tag "lead" {}
tag "customer" {}
form "signup" {}
user "sam" {
  name  = "Sam Reyes"
  email = "sam@example.com"
  phone = "+15550111"
}
user "alice" {
  email = "alice@example.com"
}
email "welcome" {
  subject   = "Welcome, ${contact.first_name}"
  from      = "team@example.com"
  from_name = "${coalesce(owner.name, "The team")} at Example"
  reply_to  = "team@example.com"
  body     = "Hi ${upper(contact.first_name)} ${contact.points > 10 ? "pro" : "new"} ${contact.interests[0]} ${-contact.points}"
  kind     = "transactional"
}
sms "nudge" {
  body = "Hey ${contact.first_name}"
}
task "call" {
  subject  = "Call ${contact.first_name}"
  body     = "About the trial"
  assignee = user.sam
  due_in   = "1d12h"
}
postcard "thanks" {
  front = "Thanks!"
  back  = "Dear ${contact.first_name}"
}
fulfillment_list "kits" {
  fields     = [field.first_name, field.last_name]
  deliver_to = "ops@example.com"
  batch {
    min_size = 10
    max_age  = "1w"
  }
}
fulfillment_list "badges" {
  fields     = [field.first_name]
  deliver_to = user.sam
}
webhook "crm" {
  url     = "https://crm.example.com/hook"
  method  = "PUT"
  headers = { "X-A" = "b" }
  body    = "{\"email\": \"${contact.email}\"}"
}
product "pro" {
  price     = 49.5
  recurring = true
}
lead_router "sales" {
  users    = [user.sam, user.alice]
  strategy = "weighted"
  weights  = [70, 30]
}
`)},
	"sequences.journey.hcl": {Data: []byte(`sequence "nurture" {
  unsubscribe_after_last_step = true
  step "one" {
    schedule {
      days_after = 1
      at         = "7:05"
      on_days    = ["fri", "mon"]
      time_zone  = "America/Chicago"
    }
    email = email.welcome
  }
  step "two" {
    schedule {
      days_after = 2
      delay      = "90m"
    }
    sms = sms.nudge
  }
  step "three" {
    task                = task.call
    wait_for_completion = true
  }
  step "four" {
    draft = true
    schedule {
      days_after = 1
    }
    postcard = postcard.thanks
  }
  step "five" {
    schedule {
      days_after = 1
    }
    fulfillment = fulfillment_list.kits
  }
  step "six" {
    schedule {
      days_after = 1
    }
    rule {
      if = (contact.points + 1 - 2 * 3 / 4 % 5 == 1 || contact.points != 2) && contact.points < 3 || contact.points <= 4 || contact.points > 5 || contact.points >= 6 || contact.plan != "pro"
      then {
        adjust_points {
          points = -3
        }
        change_tags {
          add = [tag.lead]
        }
      }
    }
  }
  step "seven" {
    split {
      path {
        weight = 50
        email  = email.welcome
      }
      path {
        weight = 30.5
        sms    = sms.nudge
      }
      path {
        weight   = 19.5
        postcard = postcard.thanks
      }
    }
  }
}

sequence "dates" {
  kind = "date"
  step "xmas" {
    schedule {
      date = "2026-12-24"
    }
    email = email.welcome
  }
  step "newyear" {
    schedule {
      date = "2026-12-31T23:30:00"
    }
    email = email.welcome
  }
  step "bday" {
    schedule {
      on_field  = field.birthday
      offset    = "-1d"
      annual    = true
      time_zone = "contact"
    }
    email = email.welcome
  }
}

rule "on_date" {
  when = date_reached(field.birthday, "-2d", true)
  then {
    change_tags {
      set = [tag.lead]
    }
  }
}
segment "trialling" {
  where = contact.plan == "trial" && !has_purchased(product.pro) && !in_segment(segment.hand_picked)
}
segment "hand_picked" {}
rule "on_segment_entered" {
  when = segment_entered(segment.trialling)
  then {
    modify_segments {
      add    = [segment.hand_picked]
      remove = [segment.hand_picked]
    }
  }
}
rule "on_segment_left" {
  when = segment_left(segment.hand_picked)
  if   = in_segment(segment.trialling)
  then {
    apply_note {
      text = "left"
    }
  }
}
rule "on_api" {
  when = api("thing.done")
  if   = contains(["a", "b"], contact.plan)
  then {
    change_stage {
      stage = "customer"
    }
  }
}
rule "on_created" {
  when = contact_created()
  then {
    do_not_contact {
      channel = "sms"
    }
  }
}
rule "on_field" {
  when = field_changed(field.plan)
  then {
    add_to_sequence {
      sequence = sequence.dates
    }
  }
}
rule "on_reply" {
  when = sms_replied(sms.nudge)
  then {
    adjust_points {
      points = 1
    }
  }
}
rule "on_task" {
  when = task_completed(task.call)
  then {
    adjust_points {
      points = 2
    }
  }
}
rule "on_untag" {
  when = tag_removed(tag.customer)
  then {
    adjust_points {
      points = 3
    }
  }
}
rule "on_click" {
  when = link_clicked(email.welcome)
  then {
    adjust_points {
      points = 4
    }
  }
}
`)},
	"main.journey.hcl": {Data: []byte(`campaign "main" {
  reentry = "always"

  trigger "t" {
    on    = form_submitted(form.signup)
    where = contact.points > 0
    next  = send_email.welcome
  }
  goal "g" {
    on   = product_purchased(product.pro)
    next = end.done
  }
  send_email "welcome" {
    email = email.welcome
    next  = wait.pause1
  }
  wait "pause1" {
    for  = "1h"
    next = send_email.copy
  }
  send_email "copy" {
    email = email.welcome
    to    = user.sam
    next  = send_sms.nudge
  }
  send_sms "nudge" {
    sms  = sms.nudge
    next = wait.pause2
  }
  wait "pause2" {
    for  = "1h"
    next = send_postcard.card
  }
  send_postcard "card" {
    postcard = postcard.thanks
    next     = notify_email.ops
  }
  notify_email "ops" {
    to      = "ops@example.com"
    subject = "New: ${contact.email}"
    body    = "x"
    next    = notify_email.sam_email
  }
  notify_email "sam_email" {
    to    = user.sam
    email = email.welcome
    next  = notify_sms.sam
  }
  notify_sms "sam" {
    to   = "+15550199"
    body = "New lead"
    next = notify_sms.owner
  }
  notify_sms "owner" {
    to   = owner
    body = "Yours: ${contact.first_name}"
    next = assign_task.call
  }
  assign_task "call" {
    task                = task.call
    assignee            = user.alice
    due_in              = "2h"
    wait_for_completion = true
    next                = change_tags.tags
  }
  change_tags "tags" {
    add    = [tag.lead]
    remove = [tag.customer]
    next   = update_contact.set
  }
  update_contact "set" {
    set = {
      plan  = "pro"
      score = contact.points * 2
    }
    only_if_blank = true
    next          = update_contact.dates
  }
  update_contact "dates" {
    set = {
      birthday = date_add(today(), "14d")
      seen_at  = date_add(contact.seen_at, "-1d2h")
    }
    time_zone = "contact"
    next      = adjust_points.p
  }
  adjust_points "p" {
    points = 5
    next   = change_stage.st
  }
  change_stage "st" {
    stage = "lead"
    next  = assign_owner.o
  }
  assign_owner "o" {
    user = user.sam
    next = assign_owner.o2
  }
  assign_owner "o2" {
    lead_router = lead_router.sales
    next        = add_to_campaign.other
  }
  add_to_campaign "other" {
    campaign = campaign.other
    next     = pause_campaign.pc
  }
  pause_campaign "pc" {
    campaign = campaign.other
    next     = unpause_campaign.uc
  }
  unpause_campaign "uc" {
    campaign = campaign.other
    next     = remove_from_campaign.rm
  }
  remove_from_campaign "rm" {
    campaign = campaign.other
    next     = add_to_sequence.seq
  }
  add_to_sequence "seq" {
    sequence = sequence.nurture
    next     = pause_sequence.ps
  }
  pause_sequence "ps" {
    sequence = sequence.nurture
    next     = unpause_sequence.us
  }
  unpause_sequence "us" {
    sequence = sequence.nurture
    next     = remove_from_sequence.rs
  }
  remove_from_sequence "rs" {
    sequence = sequence.nurture
    next     = send_to_fulfillment.sf
  }
  send_to_fulfillment "sf" {
    list = fulfillment_list.kits
    next = remove_from_fulfillment.rf
  }
  remove_from_fulfillment "rf" {
    list = fulfillment_list.kits
    next = add_purchase.ap
  }
  add_purchase "ap" {
    product = product.pro
    next    = cancel_open_orders.co
  }
  cancel_open_orders "co" {
    product = product.pro
    next    = recharge_transactions.rt
  }
  recharge_transactions "rt" {
    next = add_to_lead_router.lr
  }
  add_to_lead_router "lr" {
    lead_router = lead_router.sales
    next        = membership_access.ma
  }
  membership_access "ma" {
    site   = "academy"
    status = "suspended"
    next   = custom_audience.ca
  }
  custom_audience "ca" {
    audience = "trial"
    op       = "remove"
    next     = webhook.declared
  }
  webhook "declared" {
    webhook = webhook.crm
    next    = webhook.inline
  }
  webhook "inline" {
    url     = "https://example.com/x"
    method  = "PATCH"
    headers = { "A" = "1" }
    body    = "${contact.email}"
    next    = apply_note.n
  }
  apply_note "n" {
    text = "hello ${contact.first_name}"
    next = create_appointment.demo
  }
  create_appointment "demo" {
    title = "Demo"
    at {
      for     = "2d"
      at      = "14:00"
      on_days = weekdays
    }
    next = create_opportunity.deal
  }
  create_opportunity "deal" {
    stage = "qualified"
    owner = lead_router.sales
    next  = do_not_contact.dnc
  }
  do_not_contact "dnc" {
    channel = "email"
    op      = "remove"
    next    = modify_segments.pick
  }
  modify_segments "pick" {
    add  = [segment.hand_picked]
    next = wait.w1
  }
  wait "w1" {
    for       = "1d10h"
    between   = ["9:00", "17:00"]
    on_days   = weekends
    time_zone = "Asia/Tokyo"
    next      = decision.d
  }
  decision "d" {
    on     = email_opened(email.welcome)
    within = "36h"
    yes    = condition.c
    no     = fork.f
  }
  condition "c" {
    if   = has_tag(tag.lead)
    then = split.ab
    else = wait.w2
  }
  wait "w2" {
    until = "2027-01-15"
    next  = decision.by_date
  }
  decision "by_date" {
    on    = tag_added(tag.lead)
    until = "2027-02-01"
    at    = "18:00"
    yes   = decision.by_field
    no    = end.done
  }
  decision "by_field" {
    on          = tag_added(tag.lead)
    until_field = field.seen_at
    offset      = "-1d"
    time_zone   = "contact"
    yes         = end.done
    no          = end.done
  }
  fork "f" {
    paths = [wait.w3, wait.w4]
  }
  wait "w3" {
    until = "2027-01-16T08:15:00"
    next  = end.done
  }
  wait "w4" {
    until_field = field.seen_at
    annual      = true
    time_zone   = "contact"
    next        = delete_contact.erase
  }
  split "ab" {
    path {
      weight = 30
      next   = end.done
    }
    path {
      weight = 70
      next   = end.alt
    }
  }
  delete_contact "erase" {}
  end "done" {
    exit = true
  }
  end "alt" {
    draft = true
  }
}

campaign "other" {
  reentry = "2w"
  trigger "added" {
    on   = added_to_campaign()
    next = end.e
  }
  trigger "birthday" {
    on   = date_reached(field.birthday)
    next = end.e
  }
  trigger "lead" {
    on   = tag_added(tag.lead)
    next = end.e
  }
  end "e" {}
}

campaign "once" {
  trigger "t" {
    on   = contact_created()
    next = end.e
  }
  end "e" {}
}

event "booked" {
  property "id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
  property "day" {
    type = date
  }
}

campaign "appointments" {
  reentry = "always"
  trigger "booked" {
    on    = api("booked")
    key   = event.id
    where = event.starts_at != ""
    next  = wait.day_before
  }
  goal "moved" {
    on   = api("booked")
    key  = event.id
    next = wait.day_before
  }
  wait "day_before" {
    until_event = event.starts_at
    offset      = "-1d"
    at          = "08:00"
    next        = decision.confirmed
  }
  decision "confirmed" {
    on          = api("booked")
    key         = event.id
    until_event = event.day
    yes         = apply_note.note
    no          = apply_note.note
  }
  apply_note "note" {
    text = "Appointment ${event.id} at ${event.starts_at}"
  }
}

campaign "pricing" {
  trigger "visited" {
    on    = page_visited("https://example.com/pricing*")
    where = length(event.url) > 0
    next  = end.e
  }
  end "e" {}
}

moved {
  from = campaign.other.end.old
  to   = campaign.other.end.e
}
`)},
}
