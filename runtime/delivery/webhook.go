package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// WebhookSender calls the webhooks of the plan. It is safe for concurrent use.
type WebhookSender struct {
	caller *caller
}

// NewWebhookSender checks the configuration and returns its sender.
func NewWebhookSender(config WebhookConfig) (*WebhookSender, error) {
	if err := config.Validate(); err != nil {
		return nil, err
	}
	return &WebhookSender{caller: newCaller(config.Secret, config.Timeout)}, nil
}

// Send calls the webhook the payload describes: url, method (POST when
// empty), headers and body. GET and HEAD calls carry no body.
func (s *WebhookSender) Send(ctx context.Context, m *Message) Outcome {
	if err := checkMessage(m); err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	method := strings.ToUpper(text(m.Payload, "method"))
	if method == "" {
		method = http.MethodPost
	}
	header, err := webhookHeaders(m.Payload["headers"])
	if err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("webhook: %w", err)}
	}
	var body []byte
	if method != http.MethodGet && method != http.MethodHead {
		body = []byte(text(m.Payload, "body"))
		if header.Get("Content-Type") == "" {
			header.Set("Content-Type", contentType(body))
		}
	}
	return s.caller.do(ctx, call{what: "webhook", method: method, url: text(m.Payload, "url"),
		header: header, body: body, key: m.Key, attempt: m.Attempt})
}

// webhookHeaders reads the payload's headers: a map of names to text, as
// the engine writes it or as it comes back from the outbox's JSON.
func webhookHeaders(v any) (http.Header, error) {
	header := http.Header{}
	set := func(name, value string) error {
		if !httpguts.ValidHeaderFieldName(name) {
			return fmt.Errorf("header name %q is not valid in HTTP: use letters, digits and -", name)
		}
		if !httpguts.ValidHeaderFieldValue(value) {
			return fmt.Errorf("header %s: its value holds a line break or control character, which HTTP cannot carry", name)
		}
		header.Set(name, value)
		return nil
	}
	switch headers := v.(type) {
	case nil:
	case map[string]string:
		for _, name := range sortedKeys(headers) {
			if err := set(name, headers[name]); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for _, name := range sortedKeys(headers) {
			if err := set(name, text(headers, name)); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("headers are a %T, not a map of names to values", v)
	}
	return header, nil
}

// contentType is the type of a body the plan gave none for: JSON when it
// parses as JSON (the contact sent when a webhook has no body), text
// otherwise.
func contentType(body []byte) string {
	if json.Valid(body) && len(strings.TrimSpace(string(body))) > 0 {
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}
