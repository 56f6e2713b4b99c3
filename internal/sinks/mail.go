package sinks

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Mail is a message the SMTP sink received in full.
type Mail struct {
	// The envelope.
	From string
	To   []string
	// Data is the message as it came, headers and body.
	Data   []byte
	Header mail.Header
	// Read from the headers, decoded. FromName is the From header's
	// display name ("Dana at Tallybook"), "" when it has none.
	FromName       string
	Subject        string
	MessageID      string
	IdempotencyKey string
	// The text and HTML parts, decoded (HTML is "" for a text email).
	Text string
	HTML string
	// Attachments are the parts with Content-Disposition: attachment,
	// decoded, in the order they came; they are in neither Text nor HTML.
	Attachments []Attachment
	// User is the name the client authenticated as; TLS says whether the
	// session was encrypted.
	User string
	TLS  bool
	// Reply is what the sink answered after the data: 250, the code of a
	// Fault, or 0 when it cut the connection instead (the client cannot
	// know the message arrived).
	Reply      int
	ReceivedAt time.Time
}

// parseMail reads what the sink shows of a message. A message it cannot
// parse is still recorded, with its Data.
func parseMail(data []byte) (Mail, error) {
	m := Mail{Data: data}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return m, err
	}
	m.Header = msg.Header
	var words mime.WordDecoder
	m.Subject, err = words.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		m.Subject = msg.Header.Get("Subject")
	}
	if from, err := msg.Header.AddressList("From"); err == nil && len(from) > 0 {
		m.FromName = from[0].Name
	}
	m.MessageID = msg.Header.Get("Message-ID")
	m.IdempotencyKey = msg.Header.Get("X-Journey-Idempotency-Key")
	err = m.readPart(textproto.MIMEHeader(msg.Header), msg.Body)
	return m, err
}

// Attachment is a file a mail carried.
type Attachment struct {
	Filename    string
	ContentType string // the media type, without its parameters
	Data        []byte
}

// readPart fills Text, HTML and Attachments from a part, descending into
// multiparts.
func (m *Mail) readPart(header textproto.MIMEHeader, body io.Reader) error {
	contentType, encoding := header.Get("Content-Type"), header.Get("Content-Transfer-Encoding")
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		parts := multipart.NewReader(body, params["boundary"])
		for {
			part, err := parts.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.readPart(part.Header, part); err != nil {
				return err
			}
		}
	}
	decoded, err := io.ReadAll(decode(encoding, body))
	if err != nil {
		return err
	}
	if disposition, dparams, err := mime.ParseMediaType(header.Get("Content-Disposition")); err == nil && disposition == "attachment" {
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		m.Attachments = append(m.Attachments, Attachment{Filename: name, ContentType: mediaType, Data: decoded})
		return nil
	}
	switch mediaType {
	case "text/plain":
		m.Text += string(decoded)
	case "text/html":
		m.HTML += string(decoded)
	}
	return nil
}

func decode(encoding string, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, body) // it skips line breaks
	}
	return body
}

// Format is a mail as the sink's foreground command prints it.
func (m Mail) Format() string {
	var b strings.Builder
	if m.FromName != "" {
		fmt.Fprintf(&b, "From:       %q <%s>\n", m.FromName, m.From)
	} else {
		fmt.Fprintf(&b, "From:       %s\n", m.From)
	}
	fmt.Fprintf(&b, "To:         %s\n", strings.Join(m.To, ", "))
	fmt.Fprintf(&b, "Subject:    %s\n", m.Subject)
	fmt.Fprintf(&b, "Message-ID: %s\n", m.MessageID)
	if m.IdempotencyKey != "" {
		fmt.Fprintf(&b, "Key:        %s\n", m.IdempotencyKey)
	}
	if m.Reply != 250 {
		fmt.Fprintf(&b, "Reply:      %s\n", replyWord(m.Reply))
	}
	for _, a := range m.Attachments {
		fmt.Fprintf(&b, "Attached:   %s (%s, %d bytes)\n", a.Filename, a.ContentType, len(a.Data))
	}
	body := m.Text
	if body == "" {
		body = m.HTML
	}
	// CRLF is SMTP's line end, not the terminal's.
	body = strings.ReplaceAll(body, "\r\n", "\n")
	b.WriteString("\n" + strings.TrimRight(body, "\r\n") + "\n")
	return b.String()
}

func replyWord(code int) string {
	if code == 0 {
		return "none: the sink cut the connection"
	}
	return fmt.Sprint(code)
}
