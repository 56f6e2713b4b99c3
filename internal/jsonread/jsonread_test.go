package jsonread_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/jsonread"
)

type plan struct {
	FormatVersion string `json:"format_version"`
	Campaigns     []struct {
		Name  string `json:"name"`
		Steps int    `json:"steps"`
	} `json:"campaigns"`
}

const wantPlan = "a plan is a JSON object with format_version and campaigns"

func TestDecodeSaysWhatIsWrongAndWhere(t *testing.T) {
	for _, c := range []struct {
		name, data string
		want       string
	}{
		{"an array for the plan", "[1, 2]", "1:1: " + wantPlan + "; this file holds an array"},
		{"a string for the plan, after blank lines", "\n\n  \"plan\"", "3:3: " + wantPlan + "; this file holds a string"},
		{"a number for a string", "{\n  \"format_version\": 1\n}", "2:21: format_version must be a string, not a number"},
		{"a string for a whole number", `{"campaigns": [{"name": "a", "steps": "two"}]}`, `1:39: campaigns.steps must be a whole number, not a string`},
		{"a string with quotes for a whole number", `{"campaigns": [{"steps": "say \"two\""}]}`, `1:26: campaigns.steps must be a whole number, not a string`},
		{"a fraction for a whole number", `{"campaigns": [{"steps": 1.5}]}`, `1:26: campaigns.steps must be a whole number, not the number 1.5`},
		{"an object for a list", `{"campaigns": {"name": "a"}}`, `1:15: campaigns must be a list [...], not an object`},
		{"an unknown key", "{\n  \"colour\": \"blue\"\n}", `2:3: unknown field "colour"`},
		{"an unknown key, twice", `{"campaigns": [{"colour": 1}, {"colour": 2}]}`, `unknown field "colour"`},
		{"not JSON", "deployed on Tuesday", "1:1: not JSON (invalid character 'd' looking for beginning of value): " + wantPlan},
		{"a syntax error inside", "{\"format_version\": \"1\",\n  }", "2:3: not valid JSON: invalid character '}' looking for beginning of object key string"},
		{"cut short", `{"format_version": "1",`, "1:24: the JSON ends before its last value is closed (a missing } or ]?)"},
		{"empty", "  \n", "the file is empty: " + wantPlan},
		{"two values", "{}\n{}", "2:1: more JSON after the end of the first value: a file holds one value"},
	} {
		var p plan
		err := jsonread.Decode([]byte(c.data), &p, jsonread.Options{Want: wantPlan, Strict: true})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", c.name, err, c.want)
		}
	}
}

func TestDecodeReadsGoodJSON(t *testing.T) {
	var p plan
	if err := jsonread.Decode([]byte(`{"format_version": "1", "campaigns": [{"name": "a", "steps": 2}]}`+"\n"), &p, jsonread.Options{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if p.FormatVersion != "1" || len(p.Campaigns) != 1 || p.Campaigns[0].Steps != 2 {
		t.Errorf("read %+v", p)
	}
}

func TestWithFile(t *testing.T) {
	var p plan
	err := jsonread.WithFile("deployed.json", jsonread.Decode([]byte("[]"), &p, jsonread.Options{Want: wantPlan}))
	if want := "deployed.json:1:1: " + wantPlan + "; this file holds an array"; err.Error() != want {
		t.Errorf("%v, want %s", err, want)
	}
	if err := jsonread.WithFile("deployed.json", errors.New("hash mismatch")); err.Error() != "deployed.json: hash mismatch" {
		t.Errorf("%v", err)
	}
}

func TestDecodeWordsARequestBody(t *testing.T) {
	const want = "an event is a JSON object"
	for _, c := range []struct{ data, want string }{
		{"", "the request body is empty: " + want},
		{"[1]", "1:1: " + want + "; the request body holds an array"},
		{"{}\n{}", "2:1: more JSON after the end of the first value: a request body holds one value"},
		{`{"colour": 1}`, `1:2: unknown field "colour"`},
	} {
		var v struct{}
		err := jsonread.Decode([]byte(c.data), &v, jsonread.Options{Want: want, Strict: true, RequestBody: true})
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v\nwant %s", c.data, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "file") {
			t.Errorf("%q: %v: a request body is no file", c.data, err)
		}
	}
}
