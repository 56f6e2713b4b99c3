package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// The typed contract between the compiler and the runtime: a plan carries
// each block's settings as JSON by name (Settings), and the runtime reads
// them into the struct of the block's kind (settings_gen.go, generated
// from the kinds table), strictly, once, when it links the plan.

// KindSettings are the typed settings of one kind: one of the structs of
// settings_gen.go.
type KindSettings interface {
	// SettingsKind is the kind the settings are of.
	SettingsKind() string
	settings() []setting
}

// SendsMessage is implemented by the settings of each action that names
// a message asset it sends (settings_gen.go): SentMessage says which, by
// its channel and name.
type SendsMessage interface {
	KindSettings
	SentMessage() (channel, name string)
}

// setting is one key of a kind's settings and the field it is read into.
type setting struct {
	name string
	into any
}

// SettingError is a setting that a block holds wrongly.
type SettingError struct {
	Setting string // the key
	Msg     string // what is wrong, naming the key
}

func (e *SettingError) Error() string { return e.Msg }

// DecodeSettings reads raw into s strictly: a setting the kind does not
// have, a value of the wrong JSON type (a duration written "2d"), a key
// that a value's type does not have, null, and an event's argument its
// kind does not take are errors. It reports every wrong setting, in key
// order, each a *SettingError (errors.Join). A setting left out keeps its
// zero value: the kind's executor says what it cannot do without.
func DecodeSettings(raw Settings, s KindSettings) error {
	fields := s.settings()
	var errs []error
	for _, key := range sortedKeys(raw) {
		into := fieldOf(fields, key)
		if into == nil {
			errs = append(errs, &SettingError{Setting: key, Msg: unknownSetting(key, s.SettingsKind(), fields)})
			continue
		}
		if err := decodeStrict(key, raw[key], into); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// DecodeArgs reads the event's arguments strictly: only its kind's, each
// of its type (errors as DecodeSettings's).
func (e *Event) DecodeArgs() (EventArgs, error) {
	var args EventArgs
	kind, ok := LookupEvent(e.Kind)
	if !ok {
		return args, fmt.Errorf("no event kind %q in this journey", e.Kind)
	}
	params := kind.ParamNames()
	var fields []setting
	for _, f := range args.settings() {
		for _, p := range params {
			if f.name == p {
				fields = append(fields, f)
			}
		}
	}
	var errs []error
	for _, key := range sortedKeys(e.Args) {
		into := fieldOf(fields, key)
		if into == nil {
			errs = append(errs, &SettingError{Setting: key, Msg: unknownArg(key, e.Kind, params)})
			continue
		}
		if err := decodeStrict(key, e.Args[key], into); err != nil {
			errs = append(errs, err)
		}
	}
	return args, errors.Join(errs...)
}

func fieldOf(fields []setting, key string) any {
	for _, f := range fields {
		if f.name == key {
			return f.into
		}
	}
	return nil
}

func sortedKeys(s Settings) []string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func unknownSetting(key, kind string, fields []setting) string {
	if len(fields) == 0 {
		return fmt.Sprintf("%s is not a setting of %s, which has none", key, kind)
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return fmt.Sprintf("%s is not a setting of %s (its settings are %s)", key, kind, strings.Join(names, ", "))
}

func unknownArg(key, kind string, params []string) string {
	if len(params) == 0 {
		return fmt.Sprintf("%s is not an argument of the event %s, which takes none", key, kind)
	}
	return fmt.Sprintf("%s is not an argument of the event %s (its arguments are %s)", key, kind, strings.Join(params, ", "))
}

// decodeStrict reads one setting's JSON into a field: no null, no key the
// field's type lacks, and an event's arguments by its kind.
func decodeStrict(key string, raw json.RawMessage, into any) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return &SettingError{Setting: key, Msg: fmt.Sprintf("%s is null: leave it out, or give %s", key, inWords(reflect.TypeOf(into).Elem()))}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return &SettingError{Setting: key, Msg: explain(key, reflect.TypeOf(into).Elem(), err)}
	}
	var ev *Event
	switch v := into.(type) {
	case *Event:
		ev = v
	case **Event:
		ev = *v
	}
	if ev == nil {
		return nil
	}
	_, err := ev.DecodeArgs()
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range joined.Unwrap() {
			errs = append(errs, &SettingError{Setting: key, Msg: key + ": " + e.Error()})
		}
		return errors.Join(errs...)
	}
	if err != nil {
		return &SettingError{Setting: key, Msg: key + ": " + err.Error()}
	}
	return nil
}

// explain says in words what encoding/json found wrong with a setting.
func explain(key string, t reflect.Type, err error) string {
	var typ *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		where := key
		if typ.Field != "" {
			where += "." + typ.Field
		}
		return fmt.Sprintf("%s must be %s, not %s", where, inWords(typ.Type), valueWords(typ.Value))
	case errors.As(err, &syntax):
		return fmt.Sprintf("%s is not JSON: %v", key, syntax)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return fmt.Sprintf("%s has a key %s, which %s does not have", key, name, inWords(t))
	}
	return fmt.Sprintf("%s: %s", key, msg)
}

// typeWords name the plan's own types by their JSON.
var typeWords = map[reflect.Type]string{
	reflect.TypeFor[Duration]():   `a duration {"days": N, "minutes": N}`,
	reflect.TypeFor[Expression](): `an expression {"text": ..., "root": ...}`,
	reflect.TypeFor[Node]():       `an expression node {"op": ...}`,
	reflect.TypeFor[Recipient]():  `a recipient {"user": NAME}, {"address": ...} or {"owner": true}`,
	reflect.TypeFor[Timer]():      `a timer {"time_zone": ..., "for": ..., ...}`,
	reflect.TypeFor[Event]():      `an event {"kind": ..., "args": {...}}`,
	reflect.TypeFor[FieldSet]():   `an assignment {"field": NAME, "value": EXPRESSION}`,
	reflect.TypeFor[Zone]():       `a zone {"mode": ..., "name": ...}`,
	reflect.TypeFor[Window]():     `a window {"open": "HH:MM", "close": "HH:MM"}`,
	reflect.TypeFor[DateTime]():   `a date and time {"date": ..., "time": ...}`,
	reflect.TypeFor[FieldDate]():  `a field's date {"field": NAME, "offset": ..., "annual": ...}`,
}

// inWords names a Go type as the JSON it reads.
func inWords(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if w, ok := typeWords[t]; ok {
		return w
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.String:
			return "a list of strings"
		case reflect.Float64:
			return "a list of numbers"
		}
		return "a list [...]"
	case reflect.Map:
		return "an object of strings"
	}
	return "an object {...}"
}

// valueWords names what encoding/json found: "a string", "the number 5".
func valueWords(value string) string {
	kind, rest, _ := strings.Cut(value, " ")
	switch kind {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "string":
		return "a string"
	case "number":
		if rest != "" {
			return "the number " + rest
		}
		return "a number"
	case "bool":
		return "true or false"
	}
	return value
}

// addAsset decodes an asset's settings into its kind's struct and indexes
// it by name, also when some settings are wrong: the error names them, and
// the elements that use the asset find it rather than add errors of their
// own.
func addAsset[S any, P interface {
	*S
	KindSettings
}](index *map[string]P, a *Asset) error {
	s := P(new(S))
	err := DecodeSettings(a.Settings, s)
	if *index == nil {
		*index = map[string]P{}
	}
	(*index)[a.Name] = s
	return err
}
