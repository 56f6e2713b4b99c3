package delivery_test

import (
	"fmt"
	"testing"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

func TestSMTPSendsSeveralEmailsOverOneConnection(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))

	for i := range 5 {
		wantStatus(t, send(t, s, emailMessage(fmt.Sprintf("k-%d", i))), delivery.Sent)
	}

	if n := len(sink.Messages()); n != 5 {
		t.Fatalf("the sink has %d messages, want 5", n)
	}
	if n := sink.Connections(); n != 1 {
		t.Errorf("5 emails one after another took %d connections, want 1", n)
	}
}

func TestSMTPReusesAnAuthenticatedTLSConnection(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{STARTTLS: true, Username: "journey", Password: "s3cret-pass"})
	config := sinkSMTPConfig(sink, delivery.TLSStartTLS)
	config.Username, config.Password = "journey", "s3cret-pass"
	s := newSMTP(t, config)

	for i := range 3 {
		wantStatus(t, send(t, s, emailMessage(fmt.Sprintf("k-%d", i))), delivery.Sent)
	}

	for _, m := range sink.Messages() {
		if !m.TLS || m.User != "journey" {
			t.Errorf("a message came over TLS %v as user %q, want TLS as journey", m.TLS, m.User)
		}
	}
	if n := sink.Connections(); n != 1 {
		t.Errorf("3 emails took %d connections, want 1", n)
	}
}

// A server may drop a connection while it waits in the pool: the next email
// finds it at MAIL FROM, before anything of it was handed over, and goes
// over a new connection in the same attempt.
func TestSMTPConnectionDroppedWhileIdleIsReplacedAtOnce(t *testing.T) {
	for _, drop := range []sinks.Fault{
		{Stage: sinks.AtMail},
		{Stage: sinks.AtMail, Code: 421, Message: "idle too long, closing"},
	} {
		t.Run(fmt.Sprintf("reply %d", drop.Code), func(t *testing.T) {
			sink := startSMTPSink(t, sinks.SMTPOptions{})
			s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
			wantStatus(t, send(t, s, emailMessage("k-first")), delivery.Sent)
			sink.Fail(drop)
			m := emailMessage("k-second")
			m.Marketing = true

			out := send(t, s, m)

			wantStatus(t, out, delivery.Sent)
			if n := len(sink.Messages()); n != 2 {
				t.Errorf("the sink has %d messages, want 2", n)
			}
			if n := sink.Connections(); n != 2 {
				t.Errorf("%d connections, want 2: the dropped one and its replacement", n)
			}
		})
	}
}

// A connection that failed an email is not used again: the server's state
// after a refusal or a cut is not worth guessing.
func TestSMTPConnectionIsClosedAfterAFailedEmail(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	sink.Fail(sinks.Fault{Stage: sinks.AtRcpt, Code: 550, Message: "no such user"})

	wantStatus(t, send(t, s, emailMessage("k-refused")), delivery.Failed, "RCPT TO")
	wantStatus(t, send(t, s, emailMessage("k-next")), delivery.Sent)

	if n := sink.Connections(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

// A refusal at MAIL FROM on a reused connection is the server's answer
// about the email, not a dropped connection: it is not sent again at once.
func TestSMTPRefusalAtMailFromOnAReusedConnectionIsNotRepeated(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	wantStatus(t, send(t, s, emailMessage("k-first")), delivery.Sent)
	sink.Fail(sinks.Fault{Stage: sinks.AtMail, Code: 451, Message: "try later"})

	wantStatus(t, send(t, s, emailMessage("k-second")), delivery.Retry, "MAIL FROM")

	if n := sink.Connections(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}
