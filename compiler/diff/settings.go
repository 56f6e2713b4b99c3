package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/journeyhq/journey/compiler/plan"
)

// toSettings turns any plan value into settings by its JSON fields.
func toSettings(v any) plan.Settings {
	raw, _ := json.Marshal(v)
	s := plan.Settings{}
	_ = json.Unmarshal(raw, &s)
	return s
}

// flat is a block's settings flattened to what a reviewer compares:
// timers and field assignments opened up, every value rendered.
type flat map[string]flatValue

type flatValue struct {
	text string
	// raw is a plain value, rendered into text only when it is shown:
	// most parts of a changed timer are the same on both sides.
	raw json.RawMessage
	// template is the raw text of an expression, for a line diff.
	template string
	isExpr   bool
	// meaning is an expression's tree: two spellings of one expression
	// (after journey fmt) are the same setting.
	meaning string
}

// sameJSON reports whether two JSON texts are the same but for the white
// space between tokens: a plan read from a file is indented, a compiled
// one is not. Both were decoded, so both are valid JSON.
func sameJSON(a, b json.RawMessage) bool {
	i, j, inString := 0, 0, false
	for {
		if !inString {
			for i < len(a) && isJSONSpace(a[i]) {
				i++
			}
			for j < len(b) && isJSONSpace(b[j]) {
				j++
			}
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		switch {
		case a[i] == '"':
			inString = !inString
		case a[i] == '\\' && inString: // the escaped byte cannot end the string
			i, j = i+1, j+1
			if i == len(a) || j == len(b) || a[i] != b[j] {
				return false
			}
		}
		i, j = i+1, j+1
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func flattenInto(out flat, key string, raw json.RawMessage) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		switch {
		case isTimer(key, obj):
			for k, v := range obj {
				if k == "until_field" && flattenFieldDate(out, v) || k == "until_event" && flattenEventDate(out, v) {
					continue
				}
				flattenInto(out, k, v)
			}
			return
		case key == "schedule" || key == "batch":
			for k, v := range obj {
				flattenInto(out, key+"."+k, v)
			}
			return
		}
	}
	if key == "set" {
		var sets []plan.FieldSet
		if json.Unmarshal(raw, &sets) == nil {
			for _, fs := range sets {
				out["set."+fs.Field] = flatValue{text: quote(fs.Value.Text), template: fs.Value.Text, isExpr: true, meaning: treeOf(fs.Value)}
			}
			return
		}
	}
	var expr plan.Expression
	if hasKeys(obj, "text", "root") && json.Unmarshal(raw, &expr) == nil {
		out[key] = flatValue{text: quote(expr.Text), template: expr.Text, isExpr: true, meaning: treeOf(expr)}
		return
	}
	out[key] = flatValue{raw: raw}
}

// flattenFieldDate opens a timer's until_field into the attributes it
// was written with (until_field, offset, annual, at), so that a changed
// offset reads as one, not as two objects. Its at is the timer's own, or
// the default send time the timer's date takes.
func flattenFieldDate(out flat, raw json.RawMessage) bool {
	var fd plan.FieldDate
	if json.Unmarshal(raw, &fd) != nil {
		return false
	}
	out["until_field"] = flatValue{text: "field." + fd.Field}
	out["offset"] = flatValue{text: quote(fd.Offset.String())}
	out["annual"] = flatValue{text: fmt.Sprint(fd.Annual)}
	if fd.At != "" {
		out["at"] = flatValue{text: quote(fd.At)}
	}
	return true
}

// flattenEventDate opens a timer's until_event as flattenFieldDate opens
// until_field: until_event, offset and at, as written.
func flattenEventDate(out flat, raw json.RawMessage) bool {
	var ed plan.EventDate
	if json.Unmarshal(raw, &ed) != nil {
		return false
	}
	out["until_event"] = flatValue{text: "event." + ed.Property}
	out["offset"] = flatValue{text: quote(ed.Offset.String())}
	if ed.At != "" {
		out["at"] = flatValue{text: quote(ed.At)}
	}
	return true
}

// shown is the value as the plan output shows it.
func (v flatValue) shown() string {
	if v.raw != nil {
		return Render(v.raw)
	}
	return v.text
}

// same reports whether two values read the same: equal JSON, equal text,
// or one expression's tree.
func (v flatValue) same(other flatValue) bool {
	switch {
	case v.raw != nil && other.raw != nil && sameJSON(v.raw, other.raw):
		return true
	case v.isExpr && other.isExpr && v.meaning == other.meaning:
		return true
	}
	return v.shown() == other.shown()
}

func isTimer(key string, obj map[string]json.RawMessage) bool {
	_, zone := obj["time_zone"]
	return (key == "timer" || key == "at" || key == "deadline") && zone
}

func hasKeys(obj map[string]json.RawMessage, keys ...string) bool {
	if len(obj) != len(keys) {
		return false
	}
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			return false
		}
	}
	return true
}

// Render shows one plan value as it would be written: "2d", [a, b], user.sam.
func Render(raw json.RawMessage) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		switch {
		case hasKeys(obj, "days", "minutes"):
			var d plan.Duration
			_ = json.Unmarshal(raw, &d)
			return quote(d.String())
		case hasKeys(obj, "mode", "name"):
			var z plan.Zone
			_ = json.Unmarshal(raw, &z)
			if z.Mode == "fixed" {
				return quote(z.Name)
			}
			return quote(z.Mode)
		case hasKeys(obj, "user"):
			return "user." + strings.Trim(string(obj["user"]), `"`)
		case hasKeys(obj, "address"):
			return string(obj["address"])
		case hasKeys(obj, "kind") || hasKeys(obj, "kind", "args"):
			var ev plan.Event
			if json.Unmarshal(raw, &ev) == nil {
				return ev.String()
			}
		case hasKeys(obj, "open", "close"):
			var w plan.Window
			_ = json.Unmarshal(raw, &w)
			return fmt.Sprintf("[%q, %q]", w.Open, w.Close)
		case hasKeys(obj, "date", "time"):
			var d plan.DateTime
			_ = json.Unmarshal(raw, &d)
			return quote(d.Date + "T" + d.Time)
		}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		items := make([]string, len(list))
		for i, it := range list {
			items[i] = Render(it)
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) == nil {
		return compact.String()
	}
	return string(raw)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// compareSettings lists the flattened settings that differ, by name.
func compareSettings(old, new plan.Settings) []Attr {
	// Most settings do not change: only those whose JSON differs are
	// opened up and compared as a reviewer would.
	o, n := flat{}, flat{}
	for key, raw := range old {
		if other, ok := new[key]; !ok || !sameJSON(raw, other) {
			flattenInto(o, key, raw)
		}
	}
	for key, raw := range new {
		if other, ok := old[key]; !ok || !sameJSON(raw, other) {
			flattenInto(n, key, raw)
		}
	}
	var out []Attr
	for _, key := range unionKeys(o, n) {
		ov, inOld := o[key]
		nv, inNew := n[key]
		if inOld && inNew && ov.same(nv) {
			continue
		}
		var a Attr
		a.Name = key
		if inOld {
			a.Before = ov.shown()
		}
		if inNew {
			a.After = nv.shown()
		}
		if inOld && inNew && ov.isExpr && nv.isExpr && (strings.Contains(ov.template+nv.template, "\n") || len(ov.template)+len(nv.template) > 120) {
			a.Before, a.After = "", ""
			a.Lines = LineDiff(ov.template, nv.template)
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// contextLines is how many unchanged lines a text diff keeps around a change.
const contextLines = 2

// LineDiff is a line-by-line diff of two texts (sergi/go-diff in line
// mode), with long unchanged stretches cut to a little context.
func LineDiff(old, new string) []Line {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var all []Line
	for _, d := range diffs {
		op := " "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		text := strings.TrimSuffix(d.Text, "\n")
		for _, l := range strings.Split(text, "\n") {
			all = append(all, Line{Op: op, Text: l})
		}
	}
	keep := make([]bool, len(all))
	for i, l := range all {
		if l.Op == " " {
			continue
		}
		for j := max(0, i-contextLines); j <= min(len(all)-1, i+contextLines); j++ {
			keep[j] = true
		}
	}
	var out []Line
	skipped := false
	for i, l := range all {
		if keep[i] {
			out = append(out, l)
			skipped = false
		} else if !skipped {
			out = append(out, Line{Op: " ", Text: "..."})
			skipped = true
		}
	}
	return out
}

// treeOf is an expression's tree as canonical JSON.
func treeOf(e plan.Expression) string {
	raw, _ := json.Marshal(e.Root)
	return string(raw)
}
