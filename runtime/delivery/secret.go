package delivery

import (
	"encoding/json"
	"log/slog"
)

// Secret is a password or signing key. Printed, logged or marshalled it
// shows only whether it is set, so that a configuration can be shown
// whole; Reveal gives the value to the code that uses it.
type Secret string

const redacted = "[redacted]"

// Reveal is the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String is "[redacted]", or "" for an unset secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// LogValue keeps log/slog from printing the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes "[redacted]" (or "" when unset): a configuration
// written out as JSON, for a status page or a log, holds no secret.
// Reading JSON into a Secret takes the value as it is.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }
