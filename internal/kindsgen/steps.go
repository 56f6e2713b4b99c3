package kindsgen

import (
	"fmt"
	"strings"

	"github.com/journeyhq/journey/lang/kinds"
)

// stepActionParts are the schema's parts about the actions a message step
// becomes (compiler/emit.go): their kinds, each one's settings (the
// message, and the defaults of the action's kind, as the compiler states
// them), the kinds a split step's paths may do, and the words of a step's
// actions.
func stepActionParts() (map[string]any, error) {
	var contents, actions, splits []string
	var rules []any
	for _, attr := range kinds.SplitMessages() {
		k, _ := kinds.StepAction(attr)
		splits = append(splits, k.Name)
	}
	for _, attr := range kinds.StepAttrs() {
		k, setting := kinds.StepAction(attr)
		contents, actions = append(contents, attr), append(actions, k.Name)
		props := obj(setting, obj("$ref", "#/$defs/name"))
		required := []string{setting}
		for i := range k.Attrs {
			a := &k.Attrs[i]
			if _, ok := a.PlanDefault(); !ok || a.DefaultWith != "" {
				continue
			}
			schema, err := attrSchema(a)
			if err != nil {
				return nil, fmt.Errorf("%s, setting %s: %w", k.Name, a.Name, err)
			}
			props = append(props, member{a.Name, schema})
			required = append(required, a.Name)
		}
		// An option the step sets beside its content is a setting too,
		// stated only when set if the kind has no default for it.
		for _, o := range k.Step.Options {
			a := k.Attr(o.Attr)
			if _, ok := a.PlanDefault(); ok && a.DefaultWith == "" {
				continue
			}
			schema, err := attrSchema(a)
			if err != nil {
				return nil, fmt.Errorf("%s, option %s: %w", k.Name, a.Name, err)
			}
			props = append(props, member{a.Name, schema})
		}
		rules = append(rules, obj(
			"if", obj("properties", obj("kind", obj("const", k.Name))),
			"then", obj("properties", obj("settings", obj("properties", props, "required", strs(required), "additionalProperties", false))),
		))
	}
	return map[string]any{
		"stepActionKinds":    strs(actions),
		"stepActionSettings": rules,
		"splitActionKinds":   strs(splits),
		"stepActionsDoc": fmt.Sprintf("What the step does: a message step (%s) becomes the one matching action (%s; see messageStepAction); a rule step's then actions in order; a split step's are empty (see split).",
			strings.Join(contents, ", "), strings.Join(actions, ", ")),
	}, nil
}
