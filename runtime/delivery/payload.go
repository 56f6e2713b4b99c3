package delivery

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// text is a payload value as text. Payloads come from the engine (Go
// values) or from the outbox's JSON column (float64, json.Number...), so
// anything that is not a string is written as JSON.
func text(payload map[string]any, key string) string {
	switch v := payload[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case fmt.Stringer:
		return v.String()
	default:
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(data)
	}
}

// checkMessage refuses what no channel can send. The key must be there:
// it is what makes a retry recognisable as the same message.
func checkMessage(m *Message) error {
	switch {
	case m == nil:
		return errors.New("no message to send")
	case m.Key == "":
		return fmt.Errorf("%s delivery %d has no idempotency key: the engine sets one on every delivery; "+
			"a delivery written by hand needs one too", m.Kind, m.ID)
	case strings.ContainsFunc(m.Key, unicode.IsControl):
		return fmt.Errorf("%s delivery %d: its idempotency key %q holds a control character, which no header can carry",
			m.Kind, m.ID, m.Key)
	}
	return nil
}

// oneLine puts a header's text on one line: a template that renders a
// line break into a subject must not start a header of its own.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}
