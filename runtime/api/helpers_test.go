package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseContactRef(t *testing.T) {
	for in, want := range map[string]ContactRef{
		"12":               {ID: 12},
		" ada@example.com": {Email: "ada@example.com"},
		"ext:crm-1042":     {ExternalID: "crm-1042"},
		"ext:1042":         {ExternalID: "1042"},
		"ext:a@b":          {ExternalID: "a@b"},
	} {
		if got, err := ParseContactRef(in); err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"":     "no contact given",
		"ada":  `"ada" is not a contact: name one by id (12), email (ada@example.com) or external id (ext:ada)`,
		"0":    "is not a contact",
		"ext:": "names no external id",
	} {
		if _, err := ParseContactRef(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v; want an error saying %q", in, err, msg)
		}
	}
}

func TestParseValueTakesJSONElseText(t *testing.T) {
	for in, want := range map[string]string{
		"42": "42", "pro": `"pro"`, `"42"`: `"42"`, "true": "true", "null": "null",
		`{"a": 1}`: `{"a":1}`, "1 2": `"1 2"`, "": `""`, "2026-06-10": `"2026-06-10"`,
	} {
		got, _ := json.Marshal(ParseValue(in))
		if string(got) != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	if _, err := ParseProperties([]string{"amount=29", "amount=30"}); err == nil {
		t.Error("a property given twice was taken")
	}
	if _, err := ParseProperties([]string{"amount"}); err == nil || !strings.Contains(err.Error(), "NAME=VALUE") {
		t.Errorf("a property without =: %v", err)
	}
}

func TestImportContentType(t *testing.T) {
	for _, c := range []struct{ name, format, want string }{
		{"contacts.csv", "", ContentTypeCSV},
		{"CONTACTS.CSV", "", ContentTypeCSV},
		{"contacts.ndjson", "", ContentTypeNDJSON},
		{"contacts.jsonl", "", ContentTypeNDJSON},
		{"contacts.txt", "csv", ContentTypeCSV},
		{"-", "ndjson", ContentTypeNDJSON},
	} {
		if got, err := ImportContentType(c.name, c.format); err != nil || got != c.want {
			t.Errorf("%s --format %q: %q, %v; want %s", c.name, c.format, got, err, c.want)
		}
	}
	for _, c := range []struct{ name, format, msg string }{
		{"-", "", "give --format csv or --format ndjson"},
		{"contacts.txt", "", `cannot tell the format from the extension ".txt"`},
		{"contacts.csv", "xlsx", `unknown format "xlsx"`},
	} {
		if _, err := ImportContentType(c.name, c.format); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s --format %q: %v; want %q", c.name, c.format, err, c.msg)
		}
	}
}

func TestReadEventLines(t *testing.T) {
	file := `{"contact": {"email": "a@example.com"}, "type": "tag_added", "tag": "attended", "idempotency_key": "k1"}

{"contact": {"id": 3}, "type": "api", "name": "renewed", "properties": {"amount": 29}}
{"contact": {"id": 3}, "type": 
["not an event"]
{"contact": {"id": 3}, "type": "tag_added", "tag": "vip", "idempotency_key": 7}
{"contact": {"id": 3}, "type": "field_changed", "field": "plan", "value": "pro"}`
	var got []EventLine
	if err := ReadEventLines(strings.NewReader(file), func(l EventLine) error { got = append(got, l); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("%d lines read, want 6 (the blank one skipped): %+v", len(got), got)
	}
	first := got[0]
	if first.Line != 1 || first.Err != nil || first.Key != "k1" || first.Event.Type != "tag_added" ||
		first.Event.Args["tag"] != "attended" || first.Event.Contact.Email != "a@example.com" || len(first.Event.Args) != 1 {
		t.Errorf("line 1: %+v; want the event with its key apart", first)
	}
	if got[1].Line != 3 || got[1].Err != nil || got[1].Event.Properties["amount"] != 29.0 {
		t.Errorf("line 3: %+v", got[1])
	}
	for i, want := range map[int]string{2: "column", 3: "a line is one event", 4: `"idempotency_key" must be a string`} {
		if got[i].Err == nil || !strings.Contains(got[i].Err.Error(), want) {
			t.Errorf("line %d: %v; want an error saying %q", got[i].Line, got[i].Err, want)
		}
	}
	if last := got[5]; last.Line != 7 || last.Err != nil || last.Event.Value != "pro" {
		t.Errorf("the last line, with no line end: %+v", last)
	}
}
