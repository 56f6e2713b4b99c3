package delivery_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

func newSMTP(t *testing.T, config delivery.SMTPConfig) *delivery.SMTPSender {
	t.Helper()
	s, err := delivery.NewSMTPSender(config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func onlyMail(t *testing.T, sink *sinks.SMTPSink) sinks.Mail {
	t.Helper()
	mails := sink.Messages()
	if len(mails) != 1 {
		t.Fatalf("the sink received %d messages, want 1", len(mails))
	}
	return mails[0]
}

func TestSMTPSendsATextEmailWithItsIdempotencyKey(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	m := emailMessage("42/welcome/abc/1/100")

	out := send(t, s, m)

	wantStatus(t, out, delivery.Sent)
	wantID := delivery.MessageID(m.Key, "acme.example")
	if out.MessageID != wantID || out.ResponseStatus != 250 {
		t.Errorf("outcome %+v, want Message-ID %s and reply 250", out, wantID)
	}
	got := onlyMail(t, sink)
	if got.From != "news@acme.example" || strings.Join(got.To, ",") != "ada@example.org" {
		t.Errorf("envelope from %q to %q", got.From, got.To)
	}
	for header, want := range map[string]string{
		"Message-ID": wantID, "X-Journey-Idempotency-Key": m.Key, "Subject": "Welcome, Ada",
		"From": `"Acme News" <news@acme.example>`, "To": "<ada@example.org>", "Reply-To": "<help@acme.example>",
	} {
		if v := got.Header.Get(header); v != want {
			t.Errorf("header %s: %q, want %q", header, v, want)
		}
	}
	if got.Text != "Hello Ada,\r\nthanks for joining.\r\n" && got.Text != "Hello Ada,\nthanks for joining.\n" {
		t.Errorf("text %q", got.Text)
	}
	if got.HTML != "" || strings.Contains(got.Header.Get("Content-Type"), "multipart") {
		t.Errorf("a text body was sent as %s with HTML %q", got.Header.Get("Content-Type"), got.HTML)
	}
}

func TestSMTPMessageIDIsTheKeysHashAtTheSendersDomain(t *testing.T) {
	// printf %s 42/welcome/abc/1/100 | sha256sum
	const key = "42/welcome/abc/1/100"
	if got := delivery.MessageID(key, "acme.example"); got != "<9ed2700495ea0d9cdc794de6f492eaab@acme.example>" {
		t.Errorf("MessageID = %s", got)
	}
	if got := delivery.MessageID(key, ""); !strings.HasSuffix(got, "@journey.invalid>") {
		t.Errorf("without a domain: %s, want @journey.invalid", got)
	}
	if delivery.MessageID(key, "a.example") == delivery.MessageID(key+"x", "a.example") {
		t.Error("two keys, one Message-ID")
	}
}

func TestSMTPSendsAnHTMLBodyWithATextAlternative(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	m := emailMessage("k-html")
	m.Payload["body"] = `<!doctype html><html><head><title>x</title><style>p{color:red}</style></head>
<body><h1>Welcome, Ada</h1><p>Your <a href="https://acme.example/start">first steps</a> are ready.</p>
<ul><li>one</li><li>two</li></ul></body></html>`

	wantStatus(t, send(t, s, m), delivery.Sent)

	got := onlyMail(t, sink)
	if !strings.HasPrefix(got.Header.Get("Content-Type"), "multipart/alternative") {
		t.Errorf("Content-Type %q, want multipart/alternative", got.Header.Get("Content-Type"))
	}
	if strings.ReplaceAll(got.HTML, "\r\n", "\n") != m.Payload["body"] {
		t.Errorf("HTML part %q", got.HTML)
	}
	text := strings.ReplaceAll(got.Text, "\r\n", "\n")
	want := "Welcome, Ada\n\nYour first steps (https://acme.example/start) are ready.\n\n- one\n- two\n"
	if text != want {
		t.Errorf("text alternative\n%q, want\n%q", text, want)
	}
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	for _, mechanism := range []string{"", "plain", "login"} {
		t.Run("auth="+mechanism, func(t *testing.T) {
			sink := startSMTPSink(t, sinks.SMTPOptions{STARTTLS: true, Username: "journey", Password: "s3cret-pass"})
			config := sinkSMTPConfig(sink, delivery.TLSStartTLS)
			config.Username, config.Password, config.Auth = "journey", "s3cret-pass", mechanism

			wantStatus(t, send(t, newSMTP(t, config), emailMessage("k-tls")), delivery.Sent)

			got := onlyMail(t, sink)
			if !got.TLS || got.User != "journey" {
				t.Errorf("TLS %v, user %q: want an encrypted, authenticated session", got.TLS, got.User)
			}
		})
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{ImplicitTLS: true, Username: "journey", Password: "s3cret-pass"})
	config := sinkSMTPConfig(sink, delivery.TLSImplicit)
	config.Username, config.Password = "journey", "s3cret-pass"

	wantStatus(t, send(t, newSMTP(t, config), emailMessage("k-implicit")), delivery.Sent)

	if got := onlyMail(t, sink); !got.TLS {
		t.Error("the session was not encrypted")
	}
}

func TestSMTPOpportunisticTLSUsesSTARTTLSWhenOffered(t *testing.T) {
	for _, offered := range []bool{true, false} {
		sink := startSMTPSink(t, sinks.SMTPOptions{STARTTLS: offered})
		wantStatus(t, send(t, newSMTP(t, sinkSMTPConfig(sink, delivery.TLSOpportunistic)), emailMessage("k-opp")), delivery.Sent)
		if got := onlyMail(t, sink); got.TLS != offered {
			t.Errorf("STARTTLS offered %v: session encrypted %v", offered, got.TLS)
		}
	}
}

func TestSMTPRequiredSTARTTLSMissingIsRetriedAndNothingLeaves(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})

	out := send(t, newSMTP(t, sinkSMTPConfig(sink, delivery.TLSStartTLS)), emailMessage("k-notls"))

	wantStatus(t, out, delivery.Retry, "STARTTLS", "did not leave", "smtp.tls")
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("the sink received %d messages over a connection that should not have been used", n)
	}
}

func TestSMTPServerCertificateIsVerified(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{STARTTLS: true})
	config := sinkSMTPConfig(sink, delivery.TLSStartTLS)
	config.RootCAs = nil // the system's roots do not know the sink's certificate

	wantStatus(t, send(t, newSMTP(t, config), emailMessage("k-cert")), delivery.Retry, "certificate")
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("%d messages went to a server whose certificate was not trusted", n)
	}
}

func TestSMTPWrongPasswordIsRetried(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{Username: "journey", Password: "right-password"})
	config := sinkSMTPConfig(sink, delivery.TLSNone)
	config.Username, config.Password = "journey", "wrong-password"

	out := send(t, newSMTP(t, config), emailMessage("k-auth"))

	wantStatus(t, out, delivery.Retry, "535")
	if out.ResponseStatus != 535 {
		t.Errorf("response status %d, want the server's 535", out.ResponseStatus)
	}
	if strings.Contains(out.Err.Error(), "wrong-password") {
		t.Errorf("the error shows the password: %v", out.Err)
	}
}

func TestSMTPRefusalsAndCuts(t *testing.T) {
	cases := []struct {
		name      string
		fault     sinks.Fault
		marketing bool
		want      delivery.Status
		code      int
		says      string
		received  int // messages the sink has in full
	}{
		{"5xx at RCPT TO fails", sinks.Fault{Stage: sinks.AtRcpt, Code: 550, Message: "no such user"}, true, delivery.Failed, 550, "RCPT TO", 0},
		{"4xx at MAIL FROM is retried", sinks.Fault{Stage: sinks.AtMail, Code: 451, Message: "try later"}, true, delivery.Retry, 451, "MAIL FROM", 0},
		{"4xx at EHLO is retried", sinks.Fault{Stage: sinks.AtHello, Code: 421, Message: "busy"}, true, delivery.Retry, 421, "did not leave", 0},
		{"a cut before MAIL FROM is retried", sinks.Fault{Stage: sinks.AtMail}, true, delivery.Retry, 0, "", 0},
		{"5xx after the data fails", sinks.Fault{Stage: sinks.AfterData, Code: 554, Message: "spam"}, true, delivery.Failed, 554, "end of the data", 1},
		{"4xx after the data is retried, even for marketing", sinks.Fault{Stage: sinks.AfterData, Code: 452, Message: "full"}, true, delivery.Retry, 452, "for now", 1},
		{"marketing cut during the data is unknown", sinks.Fault{Stage: sinks.DuringData}, true, delivery.Unknown, 0, "never sent twice", 0},
		{"transactional cut during the data is retried", sinks.Fault{Stage: sinks.DuringData}, false, delivery.Retry, 0, "same Message-ID", 0},
		{"marketing cut after the data is unknown", sinks.Fault{Stage: sinks.AfterData}, true, delivery.Unknown, 0, "may have been delivered", 1},
		{"transactional cut after the data is retried", sinks.Fault{Stage: sinks.AfterData}, false, delivery.Retry, 0, "same Message-ID", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sink := startSMTPSink(t, sinks.SMTPOptions{})
			sink.Fail(c.fault)
			m := emailMessage("k-" + c.name)
			m.Marketing = c.marketing

			out := send(t, newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone)), m)

			wantStatus(t, out, c.want, c.says)
			if out.ResponseStatus != c.code {
				t.Errorf("response status %d, want %d", out.ResponseStatus, c.code)
			}
			if c.code != 0 && !strings.Contains(out.ResponseBody, c.fault.Message) {
				t.Errorf("response body %q, want the server's reply %q", out.ResponseBody, c.fault.Message)
			}
			if n := len(sink.Messages()); n != c.received {
				t.Errorf("the sink has %d messages in full, want %d", n, c.received)
			}
		})
	}
}

func TestSMTPRetryAfterACutSendsTheSameMessageID(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	sink.Fail(sinks.Fault{Stage: sinks.AfterData})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	m := emailMessage("k-again")
	m.Marketing = false

	first := send(t, s, m)
	m.Attempt = 2
	second := send(t, s, m)

	wantStatus(t, first, delivery.Retry)
	wantStatus(t, second, delivery.Sent)
	mails := sink.Messages()
	if len(mails) != 2 || mails[0].Reply != 0 || mails[1].Reply != 250 {
		t.Fatalf("the sink has %d messages, want the cut one and the accepted one", len(mails))
	}
	if mails[0].MessageID != mails[1].MessageID || mails[0].IdempotencyKey != mails[1].IdempotencyKey {
		t.Errorf("the retry is not recognisable: Message-IDs %s and %s", mails[0].MessageID, mails[1].MessageID)
	}
	if first.MessageID != second.MessageID || second.MessageID != mails[1].MessageID {
		t.Errorf("outcomes name Message-IDs %s and %s", first.MessageID, second.MessageID)
	}
}

func TestSMTPNoServerIsRetried(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := listener.Addr().(*net.TCPAddr)
	listener.Close() // nobody listens there now

	out := send(t, newSMTP(t, delivery.SMTPConfig{Host: "127.0.0.1", Port: addr.Port, TLS: delivery.TLSNone}), emailMessage("k-down"))

	wantStatus(t, out, delivery.Retry, "did not leave")
}

func TestSMTPSendReturnsWhenItsContextEnds(t *testing.T) {
	// A server that accepts and never greets: only the context can end the attempt.
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		cancel()
		_, _ = conn.Read(make([]byte, 1)) // until the client gives up
	}()
	config := delivery.SMTPConfig{Host: "127.0.0.1", Port: listener.Addr().(*net.TCPAddr).Port, TLS: delivery.TLSNone}
	config.Timeout = hangLimit * 10 // so that only the context can end it in time

	out := sendCtx(t, ctx, newSMTP(t, config), emailMessage("k-ctx"))

	wantStatus(t, out, delivery.Retry)
}

func TestSMTPPayloadProblemsFail(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	cases := map[string]struct {
		change func(map[string]any)
		says   string
	}{
		"no to":       {func(p map[string]any) { delete(p, "to") }, "no to address"},
		"bad to":      {func(p map[string]any) { p["to"] = "ada at example" }, `to address "ada at example"`},
		"bad from":    {func(p map[string]any) { p["from"] = "news" }, `from address "news"`},
		"no from":     {func(p map[string]any) { delete(p, "from") }, "smtp.from"},
		"bad replyto": {func(p map[string]any) { p["reply_to"] = "@" }, "reply_to"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			m := emailMessage("k-" + name)
			c.change(m.Payload)
			wantStatus(t, send(t, s, m), delivery.Failed, c.says)
		})
	}
	m := emailMessage("")
	wantStatus(t, send(t, s, m), delivery.Failed, "no idempotency key")
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("%d messages went out", n)
	}
}

func TestSMTPNotifyEmailIsSentFromTheConfiguredSender(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	config := sinkSMTPConfig(sink, delivery.TLSNone)
	config.From = "Journey <journey@ops.example>"
	m := &delivery.Message{ID: 3, Kind: "notify_email", Key: "k-notify", Payload: map[string]any{
		"to": "owner@acme.example", "about": float64(42), "subject": "New lead", "body": "Contact 42 filled the form.",
	}}

	out := send(t, newSMTP(t, config), m)

	wantStatus(t, out, delivery.Sent)
	got := onlyMail(t, sink)
	if got.From != "journey@ops.example" || got.MessageID != delivery.MessageID("k-notify", "ops.example") {
		t.Errorf("from %q with Message-ID %s", got.From, got.MessageID)
	}
}

// A notify_email or a fulfillment list's email has no sender of its own:
// smtp.from is the only fix, and the error says so rather than pointing at
// an email's from or the account's senders, which such a message never
// reads (the README's walk met it with senders declared).
func TestSMTPTeamEmailWithoutSMTPFromSaysToSetIt(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	s := newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone))
	for _, kind := range []string{"notify_email", "fulfillment_email"} {
		m := &delivery.Message{ID: 3, Kind: kind, Key: "k-" + kind, Payload: map[string]any{
			"to": "owner@acme.example", "subject": "New lead", "body": "Contact 42 filled the form.",
		}}
		out := send(t, s, m)
		wantStatus(t, out, delivery.Failed, "smtp.from", "journey.server.hcl", "has no sender of its own")
		if strings.Contains(out.Err.Error(), "senders") {
			t.Errorf("%s: the error points at the account's senders, which a %s never reads: %v", kind, kind, out.Err)
		}
	}
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("%d messages went out", n)
	}
}

func TestSMTPSubjectLineBreaksStartNoHeader(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{})
	m := emailMessage("k-inject")
	m.Payload["subject"] = "Hello\r\nBcc: victim@example.org\nX-Evil: 1"

	wantStatus(t, send(t, newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone)), m), delivery.Sent)

	got := onlyMail(t, sink)
	if got.Header.Get("Bcc") != "" || got.Header.Get("X-Evil") != "" || len(got.To) != 1 {
		t.Errorf("a subject's line break started headers: %q", got.Data)
	}
	if got.Subject != "Hello Bcc: victim@example.org X-Evil: 1" {
		t.Errorf("subject %q", got.Subject)
	}
}

func TestSMTPPasswordNeverCrossesANetworkInClearText(t *testing.T) {
	// 127.0.0.2 is loopback, but not a name go-mail trusts as this machine.
	sink := startSMTPSink(t, sinks.SMTPOptions{Addr: "127.0.0.2:0", Username: "journey", Password: "s3cret-pass"})
	config := sinkSMTPConfig(sink, delivery.TLSNone)
	config.Username, config.Password = "journey", "s3cret-pass"

	out := send(t, newSMTP(t, config), emailMessage("k-clear"))

	wantStatus(t, out, delivery.Retry, "unencrypted")
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("%d messages went out", n)
	}
}

func TestSMTPOverIPv6(t *testing.T) {
	sink := startSMTPSink(t, sinks.SMTPOptions{Addr: "[::1]:0", Username: "journey", Password: "s3cret-pass"})
	config := sinkSMTPConfig(sink, delivery.TLSNone)
	config.Username, config.Password = "journey", "s3cret-pass"

	wantStatus(t, send(t, newSMTP(t, config), emailMessage("k-v6")), delivery.Sent)
}

// TestSMTPFromNameIsTheSendersDisplayName: an email's from_name is the
// name the recipient sees beside the from address, replacing one written
// in from, on one line, encoded when it is not ASCII.
func TestSMTPFromNameIsTheSendersDisplayName(t *testing.T) {
	for _, c := range []struct {
		name, want string
	}{
		{"Dana at Tallybook", "Dana at Tallybook"},
		{"Zoë at Tallybook\r\nBcc: victim@example.org", "Zoë at Tallybook Bcc: victim@example.org"},
		{"  ", "Acme News"}, // nothing to show: the name written in from stays
	} {
		t.Run(c.want, func(t *testing.T) {
			sink := startSMTPSink(t, sinks.SMTPOptions{})
			m := emailMessage("k-from-name")
			m.Payload["from_name"] = c.name

			wantStatus(t, send(t, newSMTP(t, sinkSMTPConfig(sink, delivery.TLSNone)), m), delivery.Sent)

			got := onlyMail(t, sink)
			if got.FromName != c.want || got.From != "news@acme.example" {
				t.Errorf("from %q <%s>, want %q <news@acme.example>", got.FromName, got.From, c.want)
			}
			if got.Header.Get("Bcc") != "" || len(got.To) != 1 {
				t.Errorf("a from_name's line break started a header: %q", got.Data)
			}
		})
	}
}
