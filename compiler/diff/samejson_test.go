package diff

import "testing"

func TestSameJSON(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{`{"a":1,"b":[1,2]}`, "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}", true},
		{`{"a":"x y"}`, `{"a": "x y"}`, true},
		{`{"a":"x y"}`, `{"a":"xy"}`, false},
		{`{"a":"say \"hi\" "}`, `{ "a" : "say \"hi\" " }`, true},
		{`{"a":"say \"hi\" "}`, `{"a":"say \"hi\""}`, false},
		{`{"a":"back\\"}`, `{"a": "back\\"}`, true},
		{`{"a":1}`, `{"a":10}`, false},
		{`{"a":1}`, `{"a":1} `, true},
		{`[1]`, `[1,2]`, false},
	} {
		if got := sameJSON([]byte(c.a), []byte(c.b)); got != c.same {
			t.Errorf("sameJSON(%s, %s) = %v", c.a, c.b, got)
		}
	}
}
