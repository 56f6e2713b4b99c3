package delivery_test

import (
	"encoding/json"
	"testing"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

func newAdapter(t *testing.T, channel, url string) *delivery.AdapterSender {
	t.Helper()
	s, err := delivery.NewAdapterSender(channel, delivery.AdapterConfig{URL: url, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAdapterPostsKindKeyAndPayloadSigned(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	sink.Respond(sinks.Response{Status: 200, Body: `{"message_id":"SM123"}`})
	m := &delivery.Message{ID: 5, Kind: "notify_sms", Key: "7/alert/abc/1/5", Attempt: 1,
		Payload: map[string]any{"to": "+15550100", "about": int64(7), "body": "New lead: Ada"}}

	out := send(t, newAdapter(t, "sms", sink.URL()+"/sms"), m)

	wantStatus(t, out, delivery.Sent)
	if out.MessageID != "SM123" {
		t.Errorf("MessageID %q, want the adapter's message_id", out.MessageID)
	}
	got := onlyRequest(t, sink)
	if got.SignatureErr != nil || got.Method != "POST" || got.Path != "/sms" || got.Header.Get("Idempotency-Key") != m.Key {
		t.Errorf("%s %s, key %q, signature %v", got.Method, got.Path, got.Header.Get("Idempotency-Key"), got.SignatureErr)
	}
	if got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", got.Header.Get("Content-Type"))
	}
	var body struct {
		Kind           string         `json:"kind"`
		IdempotencyKey string         `json:"idempotency_key"`
		Payload        map[string]any `json:"payload"`
	}
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatalf("body %q: %v", got.Body, err)
	}
	if body.Kind != "notify_sms" || body.IdempotencyKey != m.Key || body.Payload["to"] != "+15550100" || body.Payload["about"] != float64(7) {
		t.Errorf("body %s", got.Body)
	}
}

func TestAdapterAnswersAreClassifiedLikeWebhooks(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	s := newAdapter(t, "postcard", sink.URL())
	m := &delivery.Message{ID: 1, Kind: "postcard", Key: "k-card", Payload: map[string]any{"contact": 1, "front": "Hi"}}
	for status, want := range map[int]delivery.Status{503: delivery.Retry, 429: delivery.Retry, 422: delivery.Failed, 201: delivery.Sent} {
		sink.Respond(sinks.Response{Status: status, Body: "not json"})
		out := send(t, s, m)
		if out.Status != want {
			t.Errorf("%d: %s, want %s (%v)", status, out.Status, want, out.Err)
		}
		if out.MessageID != "" {
			t.Errorf("%d: MessageID %q from an answer that has none", status, out.MessageID)
		}
	}
}

func TestAdapterRefusesAKindOfAnotherChannel(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	m := &delivery.Message{ID: 1, Kind: "postcard", Key: "k", Payload: map[string]any{}}

	wantStatus(t, send(t, newAdapter(t, "sms", sink.URL()), m), delivery.Failed, "does not go to this adapter")
	if n := len(sink.Requests()); n != 0 {
		t.Errorf("%d calls went out", n)
	}
}
