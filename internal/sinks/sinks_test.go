package sinks_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

// hangLimit fails a test that would hang: no passing test comes near it.
const hangLimit = 30 * time.Second

func limit(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
	t.Cleanup(cancel)
	return ctx
}

func startSMTP(t *testing.T, options sinks.SMTPOptions) *sinks.SMTPSink {
	t.Helper()
	sink, err := sinks.StartSMTP(options)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sink.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return sink
}

// sendPlain sends a message without TLS (go-smtp's SendMail insists on
// STARTTLS).
func sendPlain(addr string, message string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader(message)); err != nil {
		return err
	}
	return c.Quit()
}

func mailText(n int) string {
	return fmt.Sprintf("From: a@example.org\r\nTo: b@example.org\r\nSubject: =?utf-8?q?caf=C3=A9_%d?=\r\n"+
		"Message-ID: <%d@example.org>\r\nX-Journey-Idempotency-Key: key-%d\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello =E2=82=AC%d\r\n", n, n, n, n)
}

func TestSMTPSinkRecordsConcurrentMessages(t *testing.T) {
	sink := startSMTP(t, sinks.SMTPOptions{})
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- sendPlain(sink.Addr(), mailText(i))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	mails, err := sink.WaitMessages(limit(t), n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range mails {
		seen[m.MessageID] = true
		var i int
		if _, err := fmt.Sscanf(m.Subject, "café %d", &i); err != nil {
			t.Errorf("subject %q not decoded", m.Subject)
		}
		if m.IdempotencyKey != fmt.Sprintf("key-%d", i) || m.Text != fmt.Sprintf("Hello €%d\r\n", i) || m.Reply != 250 {
			t.Errorf("mail %d: key %q, text %q, reply %d", i, m.IdempotencyKey, m.Text, m.Reply)
		}
		if m.From != "a@example.org" || len(m.To) != 1 || m.To[0] != "b@example.org" {
			t.Errorf("envelope %q -> %q", m.From, m.To)
		}
	}
	if len(mails) != n || len(seen) != n {
		t.Errorf("%d messages, %d distinct, want %d", len(mails), len(seen), n)
	}
}

func TestSMTPSinkFaultsStrikeInOrderThenHeal(t *testing.T) {
	sink := startSMTP(t, sinks.SMTPOptions{})
	sink.Fail(sinks.Fault{Stage: sinks.AtRcpt, Code: 550, Message: "no such user"}, sinks.Fault{Stage: sinks.AfterData, Code: 451})
	sendOne := func(i int) error {
		return sendPlain(sink.Addr(), mailText(i))
	}
	var smtpErr *smtp.SMTPError
	if err := sendOne(1); !errors.As(err, &smtpErr) || smtpErr.Code != 550 || smtpErr.Message != "no such user" {
		t.Errorf("first message: %v, want 550 no such user", err)
	}
	if err := sendOne(2); !errors.As(err, &smtpErr) || smtpErr.Code != 451 {
		t.Errorf("second message: %v, want 451", err)
	}
	if err := sendOne(3); err != nil {
		t.Errorf("third message: %v, want it taken", err)
	}
	sink.FailAll(sinks.Fault{Stage: sinks.AtMail, Code: 421})
	for i := 4; i < 6; i++ {
		if err := sendOne(i); !errors.As(err, &smtpErr) || smtpErr.Code != 421 {
			t.Errorf("message %d: %v, want 421", i, err)
		}
	}
	sink.Heal()
	if err := sendOne(6); err != nil {
		t.Errorf("after Heal: %v", err)
	}
	var replies []int
	for _, m := range sink.Messages() {
		replies = append(replies, m.Reply)
	}
	if fmt.Sprint(replies) != "[451 250 250]" {
		t.Errorf("replies of the messages received in full: %v, want [451 250 250]", replies)
	}
}

func TestSMTPSinkRequiresAuthAndTLS(t *testing.T) {
	sink := startSMTP(t, sinks.SMTPOptions{STARTTLS: true, Username: "u", Password: "p"})
	if err := sendPlain(sink.Addr(), mailText(1)); err == nil {
		t.Error("a message without AUTH was taken")
	}
	c, err := smtp.DialStartTLS(sink.Addr(), &tls.Config{RootCAs: sink.CertPool(), ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("STARTTLS with the sink's certificate pool: %v", err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", "u", "wrong")); err == nil {
		t.Error("a wrong password was taken")
	}
	if err := c.Auth(sasl.NewPlainClient("", "u", "p")); err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader(mailText(2))); err != nil {
		t.Fatal(err)
	}
	got := sink.Messages()
	if len(got) != 1 || !got[0].TLS || got[0].User != "u" {
		t.Errorf("messages %+v, want one over TLS from u", got)
	}
}

func TestHTTPSinkAnswersAndRecords(t *testing.T) {
	sink, err := sinks.StartHTTP(sinks.HTTPOptions{Secret: "0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sink.Respond(sinks.Response{Status: 503, Body: "busy"})
	sink.RespondAll(sinks.Response{Status: 202})
	post := func(signature string) *http.Response {
		req, _ := http.NewRequest("POST", sink.URL()+"/x?y=1", strings.NewReader("body"))
		req.Header.Set("Journey-Signature", signature)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	good := delivery.Sign("0123456789abcdef", time.Now(), []byte("body"))
	statuses := []int{post(good).StatusCode, post("t=1,v1=00").StatusCode}
	sink.Heal()
	statuses = append(statuses, post(good).StatusCode)

	if fmt.Sprint(statuses) != "[503 202 200]" {
		t.Errorf("answers %v, want [503 202 200]", statuses)
	}
	requests := sink.Requests()
	if len(requests) != 3 || requests[0].SignatureErr != nil || !errors.Is(requests[1].SignatureErr, delivery.ErrSignatureMismatch) {
		t.Fatalf("requests %+v", requests)
	}
	if r := requests[0]; r.Path != "/x" || r.RawQuery != "y=1" || string(r.Body) != "body" || r.Reply != 503 {
		t.Errorf("recorded %+v", r)
	}
}

func TestHTTPSinkCloseEndsAStalledRequest(t *testing.T) {
	sink, err := sinks.StartHTTP(sinks.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sink.RespondAll(sinks.Response{Stall: true})
	answered := make(chan error, 1)
	go func() {
		resp, err := http.Post(sink.URL(), "text/plain", strings.NewReader("x"))
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	if _, err := sink.WaitRequests(limit(t), 1); err != nil {
		t.Fatal(err)
	}

	closed := make(chan error, 1)
	go func() { closed <- sink.Close() }()
	select {
	case <-closed:
	case <-time.After(hangLimit):
		t.Fatal("Close hangs on a stalled request")
	}
	select {
	case <-answered:
	case <-time.After(hangLimit):
		t.Fatal("the stalled client was never let go")
	}
	if r := sink.Requests(); len(r) != 1 || r[0].Reply != 0 {
		t.Errorf("requests %+v, want one unanswered", r)
	}
}

// syncBuffer is written by the sink's goroutines and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServePrintsEachMailUntilItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(limit(t))
	defer cancel()
	out := &syncBuffer{}
	received := make(chan sinks.Mail, 1)
	done := make(chan error, 1)
	go func() {
		done <- sinks.Serve(ctx, sinks.SMTPOptions{OnMessage: func(m sinks.Mail) { received <- m }}, out)
	}()
	addr := ""
	for addr == "" {
		select {
		case err := <-done:
			t.Fatalf("Serve ended: %v", err)
		case <-ctx.Done():
			t.Fatal("Serve never said where it listens")
		case <-time.After(time.Millisecond):
		}
		if line, _, ok := strings.Cut(out.String(), "\n"); ok {
			addr = strings.Fields(strings.TrimPrefix(line, "SMTP sink listening on "))[0]
		}
	}

	if err := sendPlain(addr, mailText(7)); err != nil {
		t.Fatal(err)
	}
	<-received
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}

	for _, want := range []string{"--- mail 1", "Subject:    café 7", "Message-ID: <7@example.org>", "Key:        key-7", "Hello €7"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output does not show %q:\n%s", want, out.String())
		}
	}
}

// TestSMTPSinkRecordsTheSendersName: the From header's display name, as
// a mail client shows it (decoded), beside the envelope's address.
func TestSMTPSinkRecordsTheSendersName(t *testing.T) {
	sink := startSMTP(t, sinks.SMTPOptions{})
	message := "From: =?utf-8?q?Dana_at_Tallybook_=E2=98=85?= <a@example.org>\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nHello\r\n"
	if err := sendPlain(sink.Addr(), message); err != nil {
		t.Fatal(err)
	}
	mails, err := sink.WaitMessages(limit(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := mails[0].FromName; got != "Dana at Tallybook ★" {
		t.Errorf("FromName %q, want the decoded display name", got)
	}
	if got := mails[0].Format(); !strings.Contains(got, `From:       "Dana at Tallybook ★" <a@example.org>`) {
		t.Errorf("the printed mail does not show the sender's name:\n%s", got)
	}
}
