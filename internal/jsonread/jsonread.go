// Package jsonread reads the JSON files journey is handed (plans, plan
// files, contacts, events) and says what is wrong with one in plain words
// at a line and column, instead of encoding/json's Go type dumps
// ("cannot unmarshal array into Go value of type plan.Plan").
package jsonread

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Options say how to read a file.
type Options struct {
	// Want is what the file must hold, in words, for the messages about
	// the file as a whole: "a contact file is a JSON object of fields".
	Want string
	// Strict refuses keys that v has no field for.
	Strict bool
	// UseNumber reads numbers into an any as json.Number.
	UseNumber bool
	// RequestBody words the messages about the value as a whole for an
	// HTTP request's body ("the request body is empty") rather than a
	// file's: an API client sent no file.
	RequestBody bool
}

// wording names what is read in the messages about it as a whole.
type wording struct{ the, this, one string }

func (o Options) wording() wording {
	if o.RequestBody {
		return wording{the: "the request body", this: "the request body", one: "a request body"}
	}
	return wording{the: "the file", this: "this file", one: "a file"}
}

// Error is a problem at a place in the file (Line 0: no one place).
type Error struct {
	File         string // "" until WithFile names it
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0 && e.File == "":
		return e.Msg
	case e.Line == 0:
		return e.File + ": " + e.Msg
	case e.File == "":
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// WithFile puts the file's name in front of an error: FILE:LINE:COL for an
// Error, "FILE: " before anything else.
func WithFile(file string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		named := *e
		named.File = file
		return &named
	}
	return fmt.Errorf("%s: %w", file, err)
}

// Decode reads the one JSON value of data into v.
func Decode(data []byte, v any, opts Options) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if opts.Strict {
		dec.DisallowUnknownFields()
	}
	if opts.UseNumber {
		dec.UseNumber()
	}
	if err := dec.Decode(v); err != nil {
		return explain(data, err, opts.Want, opts.wording())
	}
	// A second value after the first would be dropped without a word.
	end := int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		at := len(data) - len(rest)
		return errorAt(data, at, "more JSON after the end of the first value: "+opts.wording().one+" holds one value")
	}
	return nil
}

// explain turns an encoding/json error into an Error.
func explain(data []byte, err error, want string, words wording) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	first := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	switch {
	case errors.Is(err, io.EOF):
		return &Error{Msg: words.the + " is empty: " + want}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorAt(data, len(data), "the JSON ends before its last value is closed (a missing } or ]?)")
	case errors.As(err, &syntax):
		at := max(0, int(syntax.Offset)-1)
		if at == first {
			return errorAt(data, at, fmt.Sprintf("not JSON (%s): %s", syntax.Error(), want))
		}
		return errorAt(data, at, "not valid JSON: "+syntax.Error())
	case errors.As(err, &typ):
		at := valueStart(data, int(typ.Offset), typ.Value)
		found := kindOfValue(typ.Value)
		if at == first {
			return errorAt(data, at, fmt.Sprintf("%s; %s holds %s", want, words.this, found))
		}
		if typ.Field == "" {
			return errorAt(data, at, fmt.Sprintf("%s was expected here, not %s", inWords(typ.Type), found))
		}
		return errorAt(data, at, fmt.Sprintf("%s must be %s, not %s", typ.Field, inWords(typ.Type), found))
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		if key, err := strconv.Unquote(name); err == nil {
			if at, ok := onlyKey(data, key); ok {
				return errorAt(data, at, msg)
			}
		}
	}
	return &Error{Msg: msg}
}

func errorAt(data []byte, offset int, msg string) *Error {
	line := 1 + bytes.Count(data[:offset], []byte{'\n'})
	lineStart := bytes.LastIndexByte(data[:offset], '\n') + 1
	return &Error{Line: line, Column: 1 + utf8.RuneCount(data[lineStart:offset]), Msg: msg}
}

// valueStart finds where the value that encoding/json stopped after (at
// offset) starts: an object or array just before offset, a scalar ending
// there.
func valueStart(data []byte, offset int, value string) int {
	offset = min(offset, len(data))
	switch {
	case value == "object" || value == "array":
		return max(0, offset-1)
	case value == "string":
		// Back to the opening quote: one with an even run of backslashes
		// before it.
		for i := offset - 2; i >= 0; i-- {
			if data[i] != '"' {
				continue
			}
			slashes := 0
			for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
				slashes++
			}
			if slashes%2 == 0 {
				return i
			}
		}
		return 0
	}
	i := offset
	for i > 0 && strings.IndexByte("0123456789+-.eEtruefalsn", data[i-1]) >= 0 {
		i--
	}
	return i
}

// onlyKey is the place of "key": when it is a key exactly once in data.
func onlyKey(data []byte, key string) (int, bool) {
	quoted, _ := json.Marshal(key)
	at, n := -1, 0
	for i := 0; ; {
		j := bytes.Index(data[i:], quoted)
		if j < 0 {
			break
		}
		i += j + len(quoted)
		if rest := bytes.TrimLeft(data[i:], " \t\r\n"); len(rest) > 0 && rest[0] == ':' {
			at, n = i-len(quoted), n+1
		}
	}
	return at, n == 1
}

// kindOfValue names what encoding/json found: "array", "number 1.5"...
func kindOfValue(value string) string {
	kind, _, _ := strings.Cut(value, " ")
	switch kind {
	case "array":
		return "an array"
	case "object":
		return "an object"
	case "string":
		return "a string"
	case "number":
		if _, n, ok := strings.Cut(value, " "); ok {
			return "the number " + n
		}
		return "a number"
	case "bool":
		return "true or false"
	}
	return value
}

// inWords names a Go type as the JSON it reads.
func inWords(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[json.Number]() {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	case reflect.Map, reflect.Struct:
		return "an object {...}"
	}
	return "another kind of value"
}
