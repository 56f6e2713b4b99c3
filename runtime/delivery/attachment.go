package delivery

import (
	"encoding/json"
	"fmt"
	"mime"
	"strings"
	"unicode"

	mail "github.com/wneessen/go-mail"
)

// Attachment is a file an email carries, as a payload lists it under
// "attachments": [{"filename": "welcome_kits-3.csv", "content_type":
// "text/csv; charset=utf-8", "content": "..."}]. The content is text
// (UTF-8), which is what journey attaches (fulfillment CSVs); it is sent
// base64-encoded, so that its line breaks arrive as they were written.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Content     string `json:"content"`
}

// attachments reads a payload's "attachments". The payload comes from the
// engine (Go values) or from the outbox's JSON column (decoded into any),
// so it goes through JSON once to be read the same either way.
func attachments(payload map[string]any) ([]Attachment, error) {
	raw, given := payload["attachments"]
	if !given || raw == nil {
		return nil, nil
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("its attachments cannot be read: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var list []Attachment
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf(`its attachments must be a list of {"filename", "content_type", "content"}: %v`, err)
	}
	for i, a := range list {
		if err := a.check(); err != nil {
			return nil, fmt.Errorf("attachment %d: %v", i+1, err)
		}
	}
	return list, nil
}

// check refuses what would make a broken or misleading MIME part: a name
// that is a path or carries a line break, a content type that is not one.
func (a Attachment) check() error {
	switch {
	case a.Filename == "":
		return fmt.Errorf("it has no filename")
	case strings.ContainsAny(a.Filename, `/\`) || strings.ContainsFunc(a.Filename, unicode.IsControl):
		return fmt.Errorf("its filename %q must be a plain file name, without a path or control characters", a.Filename)
	}
	if a.ContentType != "" {
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
			return fmt.Errorf("%s: its content_type %q is not a media type such as text/csv: %v", a.Filename, a.ContentType, err)
		}
	}
	return nil
}

// attach adds the attachments to the email.
func attach(msg *mail.Msg, list []Attachment) error {
	for _, a := range list {
		contentType := a.ContentType
		if contentType == "" {
			contentType = string(mail.TypeAppOctetStream)
		}
		err := msg.AttachReader(a.Filename, strings.NewReader(a.Content),
			mail.WithFileContentType(mail.ContentType(contentType)), mail.WithFileEncoding(mail.EncodingB64))
		if err != nil {
			return fmt.Errorf("attaching %s: %v", a.Filename, err)
		}
	}
	return nil
}
