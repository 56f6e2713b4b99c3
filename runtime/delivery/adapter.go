package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
)

// AdapterSender posts deliveries to a provider adapter: a small HTTP
// service, the user's own or a provider's, that turns them into texts,
// postcards, audience changes or membership grants. It is safe for
// concurrent use.
type AdapterSender struct {
	channel string
	url     string
	caller  *caller
}

// adapterCall is the body of every adapter call.
type adapterCall struct {
	Kind           string         `json:"kind"`
	IdempotencyKey string         `json:"idempotency_key"`
	Payload        map[string]any `json:"payload"`
}

// NewAdapterSender checks the configuration of the channel's adapter and
// returns its sender.
func NewAdapterSender(channel string, config AdapterConfig) (*AdapterSender, error) {
	if _, ok := adapterKinds[channel]; !ok {
		return nil, fmt.Errorf("adapters.%s: no such channel; the adapter channels are %v", channel, AdapterChannels())
	}
	if err := config.validate("adapters." + channel); err != nil {
		return nil, err
	}
	return &AdapterSender{channel: channel, url: config.URL, caller: newCaller(config.Secret, config.Timeout)}, nil
}

// Send posts {"kind", "idempotency_key", "payload"} as JSON. A 2xx answer
// that is a JSON object with a string "message_id" gives the Outcome its
// MessageID.
func (s *AdapterSender) Send(ctx context.Context, m *Message) Outcome {
	if err := checkMessage(m); err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	what := s.channel + " adapter"
	if !slices.Contains(adapterKinds[s.channel], m.Kind) {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: a %s delivery does not go to this adapter", what, m.Kind)}
	}
	payload := m.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	body, err := json.Marshal(adapterCall{Kind: m.Kind, IdempotencyKey: m.Key, Payload: payload})
	if err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: the %s delivery's payload is not JSON: %v", what, m.Kind, err)}
	}
	header := http.Header{"Content-Type": {"application/json"}}
	out := s.caller.do(ctx, call{what: what, method: http.MethodPost, url: s.url,
		header: header, body: body, key: m.Key, attempt: m.Attempt})
	if out.Status == Sent {
		var answer struct {
			MessageID string `json:"message_id"`
		}
		if json.Unmarshal([]byte(out.ResponseBody), &answer) == nil {
			out.MessageID = answer.MessageID
		}
	}
	return out
}
