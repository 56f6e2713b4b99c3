package plan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Laid out without a depth limit, spread writes what json.Indent writes:
// the layout is MarshalIndent's, cut off below a depth.
func TestSpreadIsIndentCutOff(t *testing.T) {
	for _, doc := range []string{
		`{}`,
		`[]`,
		`{"a":[],"b":{},"c":[{}],"d":[[]]}`,
		`{"text":"a \"quoted\" {brace} [bracket], colon: and \\ back\\\\","n":-1.5e3,"t":true,"z":null}`,
		`[1,[2,[3,[4,[5,{"deep":{"er":["x"]}}]]]]]`,
		`{"unicode":"caf\u00e9 \u003cb\u003e","empty":""}`,
	} {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(doc), "", "  "); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if got := spread([]byte(doc), 100); string(got) != want.String() {
			t.Errorf("spread(%s):\n%s\nwant (json.Indent):\n%s", doc, got, want.String())
		}
	}
}

// Below the depth, a value stays compact on its member's line; the
// document still means the same.
func TestSpreadStopsAtTheDepth(t *testing.T) {
	doc := `{"campaigns":[{"name":"c","elements":[{"id":"c/a","settings":{"if":{"text":"x, y: [z]"}}},{"id":"c/b","edges":[]}]}],"moved":[]}`
	got := string(spread([]byte(doc), 4))
	want := `{
  "campaigns": [
    {
      "name": "c",
      "elements": [
        {"id":"c/a","settings":{"if":{"text":"x, y: [z]"}}},
        {"id":"c/b","edges":[]}
      ]
    }
  ],
  "moved": []
}`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(got)); err != nil {
		t.Fatal(err)
	}
	if compact.String() != doc {
		t.Errorf("the layout changed the document:\n%s\nwant\n%s", compact.String(), doc)
	}
}

// A plan on disk has one element per line, and so has a plan file: each
// such line is the element's whole JSON.
func TestEncodeOneElementPerLine(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion, Campaigns: []Campaign{{
		Name: "c",
		Elements: []Element{
			{ID: "c/a", Name: "a", Kind: "wait", Settings: Settings{"for": json.RawMessage(`{"days":1,"minutes":0}`)}, Edges: []Edge{{Label: "next", To: "b"}}},
			{ID: "c/b", Name: "b", Kind: "end", Settings: Settings{}, Edges: []Edge{}},
		},
	}}}
	planBytes, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	fileBytes, err := EncodeFile(&File{FormatVersion: FormatVersion, ToolVersion: "dev", Plan: p})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"plan": planBytes, "plan file": fileBytes} {
		elements := 0
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.Contains(line, `"id":"c/`) {
				continue
			}
			elements++
			var e Element
			if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimSpace(line), ",")), &e); err != nil {
				t.Errorf("%s: an element line is not the whole element: %v\n%s", name, err, line)
			}
		}
		if elements != 2 {
			t.Errorf("%s: %d lines hold an element, want 2:\n%s", name, elements, data)
		}
		if !bytes.HasSuffix(data, []byte("}\n")) {
			t.Errorf("%s does not end in a newline", name)
		}
	}
}
