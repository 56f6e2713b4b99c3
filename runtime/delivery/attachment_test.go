package delivery_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

// fulfillmentCSV has what RFC 4180 quotes (commas, quotes, line breaks)
// and text beyond ASCII: it must arrive byte for byte.
const fulfillmentCSV = "contact_id,first_name,address\r\n" +
	"1,Ada,\"12 Rue de l'Été, Apt \"\"B\"\"\r\nParis\"\r\n" +
	"2,Zoë 👋,\"Østergade 3\"\r\n"

// fulfillmentMessage is a batch's email as the outbox gives it back: its
// payload decoded from JSON, the attachments a []any of objects.
func fulfillmentMessage(t *testing.T, attachments string) *delivery.Message {
	t.Helper()
	var payload map[string]any
	raw := `{"to": "sam@fulfil.example", "from": "journey@acme.example", "subject": "welcome_kits: batch 3 (2 rows)",
		"body": "The batch is attached.", "attachments": ` + attachments + `}`
	if err := json.Unmarshal([]byte(raw), &payload); err != nil {
		t.Fatal(err)
	}
	return &delivery.Message{ID: 9, Kind: "fulfillment_email", Key: "fulfillment/welcome_kits/3", Attempt: 1, Payload: payload}
}

func TestSMTPSendsAnAttachmentByteForByte(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	router, err := delivery.NewRouter(delivery.Config{SMTP: ptr(sinkSMTPConfig(sink, delivery.TLSNone))})
	if err != nil {
		t.Fatal(err)
	}
	content, _ := json.Marshal(fulfillmentCSV)
	m := fulfillmentMessage(t, `[{"filename": "welcome_kits-3.csv", "content_type": "text/csv; charset=utf-8", "content": `+string(content)+`}]`)

	wantStatus(t, send(t, router, m), delivery.Sent)

	got := onlyMail(t, sink)
	if !strings.HasPrefix(got.Header.Get("Content-Type"), "multipart/mixed") {
		t.Errorf("Content-Type %q, want multipart/mixed", got.Header.Get("Content-Type"))
	}
	if strings.TrimSpace(got.Text) != "The batch is attached." {
		t.Errorf("the body is %q: the attachment must not run into it", got.Text)
	}
	if len(got.Attachments) != 1 {
		t.Fatalf("%d attachments arrived, want 1", len(got.Attachments))
	}
	a := got.Attachments[0]
	if a.Filename != "welcome_kits-3.csv" || a.ContentType != "text/csv" {
		t.Errorf("attachment %q of type %q, want welcome_kits-3.csv of type text/csv", a.Filename, a.ContentType)
	}
	if string(a.Data) != fulfillmentCSV {
		t.Errorf("the attachment arrived as\n%q\nwant\n%q", a.Data, fulfillmentCSV)
	}
}

func TestSMTPAttachmentsFromTheEngineAsGoValues(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	m := emailMessage("k-go-attachments")
	m.Payload["attachments"] = []delivery.Attachment{
		{Filename: "a.csv", ContentType: "text/csv", Content: "x,y\r\n"},
		{Filename: "notes.txt", Content: "no content type"},
	}

	wantStatus(t, send(t, newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone)), m), delivery.Sent)

	got := onlyMail(t, sink)
	if len(got.Attachments) != 2 || string(got.Attachments[0].Data) != "x,y\r\n" ||
		got.Attachments[1].Filename != "notes.txt" || got.Attachments[1].ContentType != "application/octet-stream" {
		t.Errorf("attachments %+v; want a.csv, then notes.txt as application/octet-stream", got.Attachments)
	}
	if !strings.Contains(got.Text, "thanks for joining") {
		t.Errorf("text %q", got.Text)
	}
}

func TestSMTPRefusesAnAttachmentItCannotSendFaithfully(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	for _, c := range []struct{ name, attachments, says string }{
		{"not a list", `{"filename": "a.csv"}`, "must be a list"},
		{"no filename", `[{"content": "x"}]`, "attachment 1: it has no filename"},
		{"a path", `[{"filename": "../../etc/passwd", "content": "x"}]`, "plain file name"},
		{"a line break", `[{"filename": "a.csv\r\nBcc: victim@example.org", "content": "x"}]`, "plain file name"},
		{"a bad content type", `[{"filename": "a.csv", "content_type": "text/", "content": "x"}]`, "not a media type"},
		{"an unknown key", `[{"filename": "a.csv", "content": "x", "encoding": "gzip"}]`, `unknown field "encoding"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantStatus(t, send(t, s, fulfillmentMessage(t, c.attachments)), delivery.Failed, c.says)
		})
	}
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("%d messages went out", n)
	}
}

func ptr[T any](v T) *T { return &v }
