package kindsgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// A JSON document whose objects keep their keys in the order written, so
// that a generated schema reads like a hand-written one: description
// first, properties before required. Values are object, []any, string,
// json.Number, bool and nil.

type member struct {
	key   string
	value any
}

type object []member

// obj builds an object from key, value pairs.
func obj(kv ...any) object {
	o := make(object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, member{kv[i].(string), kv[i+1]})
	}
	return o
}

// readOrdered reads one JSON value, keeping the order of object keys.
func readOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more JSON after the first value")
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := object{}
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, member{key.(string), v})
			}
			_, err := dec.Token()
			return o, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	}
	return tok, nil
}

// lineWidth is how long a line may be before a value is written over
// several lines.
const lineWidth = 100

// writeJSON writes v indented by two spaces a level, each object or array
// on one line when it fits in lineWidth.
func writeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeIndented(&b, v, 0, 0); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// writeIndented writes v at nesting level, with used columns of the line
// taken already.
func writeIndented(b *bytes.Buffer, v any, level, used int) error {
	if s, ok := v.([]string); ok {
		v = strs(s)
	}
	flat, err := compact(v)
	if err != nil {
		return err
	}
	o, isObj := v.(object)
	list, isList := v.([]any)
	if (!isObj || len(o) == 0) && (!isList || len(list) == 0) || used+len(flat) <= lineWidth {
		b.WriteString(flat)
		return nil
	}
	inner := strings.Repeat("  ", level+1)
	if isList {
		b.WriteString("[\n")
		for i, item := range list {
			b.WriteString(inner)
			if err := writeIndented(b, item, level+1, len(inner)); err != nil {
				return err
			}
			if i < len(list)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", level) + "]")
		return nil
	}
	b.WriteString("{\n")
	for i, m := range o {
		key, err := scalar(m.key)
		if err != nil {
			return err
		}
		b.WriteString(inner + key + ": ")
		if err := writeIndented(b, m.value, level+1, len(inner)+len(key)+2); err != nil {
			return err
		}
		if i < len(o)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(strings.Repeat("  ", level) + "}")
	return nil
}

// compact is v on one line, with a space after each colon and comma.
func compact(v any) (string, error) {
	switch t := v.(type) {
	case object:
		parts := make([]string, len(t))
		for i, m := range t {
			key, err := scalar(m.key)
			if err != nil {
				return "", err
			}
			val, err := compact(m.value)
			if err != nil {
				return "", err
			}
			parts[i] = key + ": " + val
		}
		return "{" + strings.Join(parts, ", ") + "}", nil
	case []any:
		parts := make([]string, len(t))
		for i, item := range t {
			val, err := compact(item)
			if err != nil {
				return "", err
			}
			parts[i] = val
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	case []string:
		return compact(strs(t))
	}
	return scalar(v)
}

// scalar is a string, number, bool or null as JSON, with <, > and & as
// themselves (patterns hold them).
func scalar(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func strs(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
