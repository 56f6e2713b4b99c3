package delivery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

// testSecret is long enough for Validate.
const testSecret = "0123456789abcdef0123456789abcdef"

// hangLimit fails a test whose send does not return: far longer than any
// attempt here takes, so it never decides a passing test.
const hangLimit = 30 * time.Second

func startSMTPSink(t *testing.T, options sinks.SMTPOptions) *sinks.SMTPSink {
	t.Helper()
	sink, err := sinks.StartSMTP(options)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sink.Close(); err != nil {
			t.Errorf("closing the SMTP sink: %v", err)
		}
	})
	return sink
}

// sinkSMTPConfig points at a sink, trusting its certificate.
func sinkSMTPConfig(sink *sinks.SMTPSink, mode delivery.TLSMode) delivery.SMTPConfig {
	return delivery.SMTPConfig{Host: sink.Host(), Port: sink.Port(), TLS: mode, RootCAs: sink.CertPool(), HELO: "journey.test"}
}

// send sends m and fails the test if Send does not return.
func send(t *testing.T, s delivery.Sender, m *delivery.Message) delivery.Outcome {
	t.Helper()
	return sendCtx(t, context.Background(), s, m)
}

func sendCtx(t *testing.T, ctx context.Context, s delivery.Sender, m *delivery.Message) delivery.Outcome {
	t.Helper()
	done := make(chan delivery.Outcome, 1)
	go func() { done <- s.Send(ctx, m) }()
	select {
	case out := <-done:
		return out
	case <-time.After(hangLimit):
		t.Fatalf("Send did not return within %s", hangLimit)
	}
	return delivery.Outcome{}
}

func wantStatus(t *testing.T, out delivery.Outcome, want delivery.Status, errHas ...string) {
	t.Helper()
	if out.Status != want {
		t.Fatalf("status %s, want %s (err: %v)", out.Status, want, out.Err)
	}
	if want == delivery.Sent && out.Err != nil {
		t.Errorf("sent, with an error: %v", out.Err)
	}
	if want != delivery.Sent && out.Err == nil {
		t.Errorf("status %s without an error saying why", out.Status)
	}
	for _, s := range errHas {
		if out.Err == nil || !strings.Contains(out.Err.Error(), s) {
			t.Errorf("error %v, want it to say %q", out.Err, s)
		}
	}
}

func emailMessage(key string) *delivery.Message {
	return &delivery.Message{ID: 7, Kind: "email", Key: key, Marketing: true, Attempt: 1, Payload: map[string]any{
		"to": "ada@example.org", "from": "Acme News <news@acme.example>", "reply_to": "help@acme.example",
		"subject": "Welcome, Ada", "body": "Hello Ada,\nthanks for joining.\n",
	}}
}
