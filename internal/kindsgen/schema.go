package kindsgen

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/journeyhq/journey/lang/kinds"
)

// planSchemaTemplate is the plan's JSON Schema without what the table
// gives: {"$gen": "NAME"} stands for a generated value, and a key
// "$gen NAME" for generated members of its object.
//
//go:embed plan.schema.tmpl.json
var planSchemaTemplate []byte

// PlanSchema is docs/plan.schema.json.
func PlanSchema() ([]byte, error) {
	tmpl, err := readOrdered(planSchemaTemplate)
	if err != nil {
		return nil, fmt.Errorf("plan.schema.tmpl.json: %w", err)
	}
	gen, err := schemaParts()
	if err != nil {
		return nil, err
	}
	filled, err := fill(tmpl, gen)
	if err != nil {
		return nil, fmt.Errorf("plan.schema.tmpl.json: %w", err)
	}
	return writeJSON(filled)
}

// fill replaces the template's placeholders with generated parts, and
// fails on a placeholder with no part or a part with no placeholder.
func fill(tmpl any, parts map[string]any) (any, error) {
	used := map[string]bool{}
	var walk func(v any) (any, error)
	walk = func(v any) (any, error) {
		switch t := v.(type) {
		case object:
			if len(t) == 1 && t[0].key == "$gen" {
				name, _ := t[0].value.(string)
				part, ok := parts[name]
				if !ok {
					return nil, fmt.Errorf("no generated part %q", name)
				}
				used[name] = true
				return part, nil
			}
			out := object{}
			for _, m := range t {
				if name, ok := strings.CutPrefix(m.key, "$gen "); ok {
					members, ok := parts[name].(object)
					if !ok {
						return nil, fmt.Errorf("no generated members %q", name)
					}
					used[name] = true
					out = append(out, members...)
					continue
				}
				v, err := walk(m.value)
				if err != nil {
					return nil, err
				}
				out = append(out, member{m.key, v})
			}
			return out, nil
		case []any:
			out := make([]any, len(t))
			for i, item := range t {
				v, err := walk(item)
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return out, nil
		}
		return v, nil
	}
	out, err := walk(tmpl)
	if err != nil {
		return nil, err
	}
	for name := range parts {
		if !used[name] {
			return nil, fmt.Errorf("the generated part %q has no place: add {\"$gen\": %q}", name, name)
		}
	}
	return out, nil
}

// schemaParts are the parts of the schema the table gives.
func schemaParts() (map[string]any, error) {
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
	settings := object{}
	for _, k := range append(kinds.Assets(), kinds.Elements()...) {
		def, err := settingsSchema(capitalize(k.Doc), k.PlanSettings(), k.PlanGroups())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.Name, err)
		}
		settings = append(settings, member{"settings." + k.Name, def})
	}
	var assetSettings, actionSettings, elementRules []any
	for _, k := range kinds.Assets() {
		assetSettings = append(assetSettings, settingsRef(k.Name))
	}
	for _, k := range kinds.Elements() {
		if k.Class == kinds.Action {
			actionSettings = append(actionSettings, settingsRef(k.Name))
		} else {
			elementRules = append(elementRules, settingsRef(k.Name))
		}
	}
	elementRules = append(elementRules, obj("$ref", "#/$defs/actionSettings"))
	edgeRules, err := edgeRules()
	if err != nil {
		return nil, err
	}
	elementRules = append(elementRules, edgeRules...)
	eventArgs, err := eventArgRules()
	if err != nil {
		return nil, err
	}
	parts := map[string]any{
		"elementKinds":   strs(elementKinds),
		"actionKinds":    strs(actionKinds),
		"assetKinds":     strs(assetKinds),
		"eventKinds":     strs(eventKinds),
		"eventArgs":      eventArgs,
		"editions":       strs(kinds.Editions()),
		"fieldTypes":     strs(kinds.FieldTypes()),
		"settings":       settings,
		"assetSettings":  assetSettings,
		"actionSettings": actionSettings,
		"elementRules":   elementRules,
	}
	steps, err := stepActionParts()
	if err != nil {
		return nil, err
	}
	for name, part := range steps {
		parts[name] = part
	}
	return parts, nil
}

// settingsRef says that a block of the kind has the kind's settings.
func settingsRef(kind string) object {
	return obj(
		"if", obj("properties", obj("kind", obj("const", kind))),
		"then", obj("properties", obj("settings", obj("$ref", "#/$defs/settings."+kind))),
	)
}

// settingsSchema is the schema of a settings object: each setting by its
// type, those always stated required, nothing else allowed, and the
// table's groups.
func settingsSchema(description string, settings []kinds.Setting, groups []kinds.Group) (object, error) {
	props := object{}
	var required []string
	var dependent object
	inPlan := map[string]bool{}
	for _, s := range settings {
		prop, err := settingSchema(s)
		if err != nil {
			return nil, fmt.Errorf("setting %s: %w", s.Name, err)
		}
		props = append(props, member{s.Name, prop})
		inPlan[s.Name] = true
		if s.Always {
			required = append(required, s.Name)
		}
		// A default stated only beside another setting comes and goes
		// with it (an inline webhook's method).
		if s.Attr != nil && s.Attr.DefaultWith != "" {
			if _, ok := s.Attr.PlanDefault(); ok {
				dependent = append(dependent, member{s.Attr.DefaultWith, []any{s.Name}}, member{s.Name, []any{s.Attr.DefaultWith}})
			}
		}
	}
	out := obj("description", sentence(description), "type", "object", "properties", props)
	if len(required) > 0 {
		out = append(out, member{"required", strs(required)})
	}
	out = append(out, member{"additionalProperties", false})
	if len(dependent) > 0 {
		out = append(out, member{"dependentRequired", dependent})
	}
	var constraints []object
	for _, g := range groups {
		for _, a := range g.Attrs {
			if !inPlan[a] {
				return nil, fmt.Errorf("the group %v names %s, which the plan does not hold", g.Attrs, a)
			}
		}
		constraints = append(constraints, groupSchema(g))
	}
	switch len(constraints) {
	case 0:
	case 1:
		out = append(out, constraints[0]...)
	default:
		all := make([]any, len(constraints))
		for i, c := range constraints {
			all[i] = c
		}
		out = append(out, member{"allOf", all})
	}
	return out, nil
}

func groupSchema(g kinds.Group) object {
	each := func(names []string) []any {
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = obj("required", strs([]string{n}))
		}
		return out
	}
	switch g.Rule {
	case kinds.AtLeastOne:
		return obj("anyOf", each(g.Attrs))
	case kinds.AtMostOne:
		var pairs []any
		for i := range g.Attrs {
			for j := i + 1; j < len(g.Attrs); j++ {
				pairs = append(pairs, obj("required", strs([]string{g.Attrs[i], g.Attrs[j]})))
			}
		}
		return obj("not", obj("anyOf", pairs))
	case kinds.Together:
		dep := object{}
		for _, a := range g.Attrs {
			var others []string
			for _, b := range g.Attrs {
				if b != a {
					others = append(others, b)
				}
			}
			dep = append(dep, member{a, strs(others)})
		}
		return obj("dependentRequired", dep)
	}
	return obj("oneOf", each(g.Attrs))
}

// settingSchema is one setting's schema, with its words from the table.
func settingSchema(s kinds.Setting) (object, error) {
	var schema object
	switch s.Shape {
	case kinds.FromTimer:
		schema = obj("$ref", "#/$defs/timer")
	case kinds.FromBlock:
		return settingsSchema(capitalize(s.Doc), s.Block.PlanSettings(), s.Block.Groups)
	default:
		var err error
		if schema, err = attrSchema(s.Attr); err != nil {
			return nil, err
		}
	}
	return append(obj("description", sentence(capitalize(s.Doc))), schema...), nil
}

// attrSchema is the JSON an attribute of the type becomes in the plan
// (compiler/emit_settings.go normalizes it).
func attrSchema(a *kinds.Attr) (object, error) {
	ref := func(def string) object { return obj("$ref", "#/$defs/"+def) }
	array := func(items object) object { return obj("type", "array", "items", items) }
	switch a.Type {
	case kinds.String, kinds.Email, kinds.DateTime, kinds.TimeZone:
		return obj("type", "string"), nil
	case kinds.URL, kinds.URLPattern:
		return obj("type", "string", "minLength", 1), nil
	case kinds.EventProperty:
		return ref("name"), nil
	case kinds.Template, kinds.Condition:
		return ref("expression"), nil
	case kinds.Number:
		return obj("type", "number"), nil
	case kinds.Bool:
		return obj("type", "boolean"), nil
	case kinds.Duration:
		return ref("duration"), nil
	case kinds.TimeOfDay:
		return ref("timeOfDay"), nil
	case kinds.Weekdays:
		return ref("weekdays"), nil
	case kinds.Date:
		return ref("date"), nil
	case kinds.Zone:
		return ref("ianaZone"), nil
	case kinds.Enum:
		return obj("type", "string", "enum", strs(a.Values)), nil
	case kinds.StringList, kinds.EmailList, kinds.Window:
		return array(obj("type", "string")), nil
	case kinds.NumberList:
		return array(obj("type", "number")), nil
	case kinds.StringMap:
		return obj("type", "object", "additionalProperties", obj("type", "string")), nil
	case kinds.Ref:
		if len(a.Targets) == 1 {
			return ref("name"), nil
		}
		// A user or a lead router may share a name: the plan says which.
		props := object{}
		for _, t := range a.Targets {
			props = append(props, member{t, ref("name")})
		}
		return obj("type", "object", "properties", props, "minProperties", 1, "maxProperties", 1, "additionalProperties", false), nil
	case kinds.RefList:
		return array(ref("name")), nil
	case kinds.RefOrString:
		return ref("recipient"), nil
	case kinds.Event:
		return ref("event"), nil
	case kinds.FieldValues:
		return array(ref("fieldSet")), nil
	case kinds.FieldType:
		return obj("type", "string", "enum", strs(kinds.FieldTypes())), nil
	}
	return nil, fmt.Errorf("the plan has no form for an attribute of type %d: say in internal/kindsgen how it is written", a.Type)
}

// edgeRules say which edges each element kind has, from the attributes and
// blocks the table lists as its edges. Kinds with the same edges share a
// rule, in table order.
func edgeRules() ([]any, error) {
	type rule struct {
		key   string
		kinds []string
		edges object
	}
	var rules []*rule
	for _, k := range kinds.Elements() {
		edges, err := edgeSchema(k)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.Name, err)
		}
		key, err := compact(edges)
		if err != nil {
			return nil, err
		}
		var r *rule
		for _, have := range rules {
			if have.key == key {
				r = have
			}
		}
		if r == nil {
			r = &rule{key: key, edges: edges}
			rules = append(rules, r)
		}
		r.kinds = append(r.kinds, k.Name)
	}
	out := make([]any, len(rules))
	for i, r := range rules {
		kind := obj("const", r.kinds[0])
		if len(r.kinds) > 1 {
			kind = obj("enum", strs(r.kinds))
		}
		out[i] = obj("if", obj("properties", obj("kind", kind)), "then", obj("properties", obj("edges", r.edges)))
	}
	return out, nil
}

// edgeSchema is the schema of a kind's edges: labelled with its Next
// attributes' names, or "path N" for a list of elements or a block of
// weighted paths; none for a terminal kind.
func edgeSchema(k *kinds.Kind) (object, error) {
	if k.Has(kinds.Terminal) || len(k.Edges) == 0 {
		return obj("items", obj(), "maxItems", 0), nil
	}
	var labels []string
	for _, name := range k.Edges {
		if a := k.Attr(name); a != nil {
			switch a.Type {
			case kinds.Next:
				labels = append(labels, name)
				continue
			case kinds.NextList:
				return obj("items", obj("properties", obj("label", obj("pattern", "^path ")), "not", obj("required", strs([]string{"weight"})))), nil
			}
		}
		if b := k.Block(name); b != nil && b.Plan == kinds.PlanEdges {
			weight := b.Attrs[0].Name
			for _, a := range b.Attrs {
				if a.Type == kinds.Number {
					weight = a.Name
				}
			}
			return obj("items", obj("properties", obj("label", obj("pattern", "^path ")), "required", strs([]string{weight}))), nil
		}
		return nil, fmt.Errorf("the edge %s is neither a next attribute, a list of elements nor a block of paths", name)
	}
	label := obj("const", labels[0])
	if len(labels) > 1 {
		label = obj("enum", strs(labels))
	}
	return obj(
		"items", obj("properties", obj("label", label), "not", obj("required", strs([]string{"weight"}))),
		"maxItems", len(labels),
	), nil
}

// eventArgRules say which arguments each event kind has: its parameters
// by name, the required ones required, no others; none at all for an
// event without parameters.
func eventArgRules() ([]any, error) {
	var out []any
	var bare []string
	bareAt := -1 // the events without parameters share one rule, where the first one is
	for _, e := range kinds.Events() {
		if len(e.Params) == 0 {
			if bareAt < 0 {
				bareAt = len(out)
			}
			bare = append(bare, e.Name)
			continue
		}
		props := object{}
		var required []string
		for i := range e.Params {
			p := &e.Params[i]
			var schema object
			switch p.Type {
			case kinds.String:
				schema = obj("type", "string", "minLength", 1)
			default:
				var err error
				if schema, err = attrSchema(p); err != nil {
					return nil, fmt.Errorf("event %s, parameter %s: %w", e.Name, p.Name, err)
				}
			}
			props = append(props, member{p.Name, schema})
			if p.Required {
				required = append(required, p.Name)
			}
		}
		args := obj("properties", props, "required", strs(required), "additionalProperties", false)
		out = append(out, obj(
			"if", obj("properties", obj("kind", obj("const", e.Name))),
			"then", obj("required", strs([]string{"args"}), "properties", obj("args", args)),
		))
	}
	if len(bare) > 0 {
		kind := obj("const", bare[0])
		if len(bare) > 1 {
			kind = obj("enum", strs(bare))
		}
		rule := obj("if", obj("properties", obj("kind", kind)), "then", obj("not", obj("required", strs([]string{"args"}))))
		out = append(out[:bareAt], append([]any{rule}, out[bareAt:]...)...)
	}
	return out, nil
}

// sentence ends a table's phrase with a full stop.
func sentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
