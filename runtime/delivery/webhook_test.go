package delivery_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

func startHTTPSink(t *testing.T, options sinks.HTTPOptions) *sinks.HTTPSink {
	t.Helper()
	sink, err := sinks.StartHTTP(options)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

func newWebhook(t *testing.T, config delivery.WebhookConfig) *delivery.WebhookSender {
	t.Helper()
	if config.Secret == "" {
		config.Secret = testSecret
	}
	s, err := delivery.NewWebhookSender(config)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func webhookMessage(url string) *delivery.Message {
	return &delivery.Message{ID: 9, Kind: "webhook", Key: "42/crm/abc/1/100", Attempt: 3, Payload: map[string]any{
		"url": url, "method": "POST", "contact": int64(42),
		"headers": map[string]string{"X-Team": "growth", "Authorization": "Bearer t0ken"},
		"body":    `{"contact":42,"event":"signed_up"}`,
	}}
}

func onlyRequest(t *testing.T, sink *sinks.HTTPSink) sinks.Request {
	t.Helper()
	requests := sink.Requests()
	if len(requests) != 1 {
		t.Fatalf("the sink received %d requests, want 1", len(requests))
	}
	return requests[0]
}

func TestWebhookCallsTheURLSigned(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	sink.Respond(sinks.Response{Status: http.StatusAccepted, Body: `{"received":true}`})
	m := webhookMessage(sink.URL() + "/hooks/crm?src=journey")

	out := send(t, newWebhook(t, delivery.WebhookConfig{}), m)

	wantStatus(t, out, delivery.Sent)
	if out.ResponseStatus != 202 || out.ResponseBody != `{"received":true}` {
		t.Errorf("outcome kept %d %q, want the answer", out.ResponseStatus, out.ResponseBody)
	}
	got := onlyRequest(t, sink)
	if got.SignatureErr != nil {
		t.Errorf("the signature does not verify: %v", got.SignatureErr)
	}
	if got.Method != "POST" || got.Path != "/hooks/crm" || got.RawQuery != "src=journey" || string(got.Body) != m.Payload["body"] {
		t.Errorf("request %s %s?%s %q", got.Method, got.Path, got.RawQuery, got.Body)
	}
	for header, want := range map[string]string{
		"Idempotency-Key": m.Key, "Journey-Attempt": "3", "X-Team": "growth", "Authorization": "Bearer t0ken",
		"Content-Type": "application/json", "User-Agent": "journey",
	} {
		if v := got.Header.Get(header); v != want {
			t.Errorf("header %s: %q, want %q", header, v, want)
		}
	}
}

func TestWebhookAnswersDecideTheStatus(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	s := newWebhook(t, delivery.WebhookConfig{})
	cases := []struct {
		status int
		want   delivery.Status
		says   string
	}{
		{200, delivery.Sent, ""}, {201, delivery.Sent, ""}, {204, delivery.Sent, ""},
		{408, delivery.Retry, "408"}, {429, delivery.Retry, "429"}, {500, delivery.Retry, "500"}, {503, delivery.Retry, "retried"},
		{400, delivery.Failed, "400"}, {401, delivery.Failed, "401"}, {404, delivery.Failed, "not retried"},
		{410, delivery.Failed, "410"}, {422, delivery.Failed, "422"},
		{301, delivery.Failed, "does not follow redirects"}, {307, delivery.Failed, "final URL"},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			sink.Respond(sinks.Response{Status: c.status, Body: "answer", Header: http.Header{"Location": {"http://127.0.0.1:1/elsewhere"}}})
			out := send(t, s, webhookMessage(sink.URL()))
			if c.want == delivery.Sent {
				wantStatus(t, out, c.want)
			} else {
				wantStatus(t, out, c.want, c.says)
			}
			if out.ResponseStatus != c.status {
				t.Errorf("response status %d, want %d", out.ResponseStatus, c.status)
			}
		})
	}
	if n := len(sink.Requests()); n != len(cases) {
		t.Errorf("%d calls for %d attempts: a redirect was followed, or a call repeated", n, len(cases))
	}
}

func TestWebhookKeepsTheFirst4KiBOfTheAnswer(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	// 4095 bytes, then a 3-byte rune across the limit, then more.
	sink.Respond(sinks.Response{Status: 500, Body: strings.Repeat("a", 4095) + "€" + strings.Repeat("b", 10000)})

	out := send(t, newWebhook(t, delivery.WebhookConfig{}), webhookMessage(sink.URL()))

	wantStatus(t, out, delivery.Retry)
	if len(out.ResponseBody) > delivery.MaxResponseBody+3 || !strings.HasPrefix(out.ResponseBody, strings.Repeat("a", 4095)) {
		t.Errorf("kept %d bytes, want the first %d", len(out.ResponseBody), delivery.MaxResponseBody)
	}
	if strings.Contains(out.ResponseBody, "b") || !strings.HasSuffix(out.ResponseBody, "\uFFFD") {
		t.Errorf("the cut is not at 4 KiB, or leaves a broken rune: ends %q", out.ResponseBody[4090:])
	}
}

func TestWebhookWithoutAnAnswerInTimeIsRetried(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	sink.Respond(sinks.Response{Stall: true})

	out := send(t, newWebhook(t, delivery.WebhookConfig{Timeout: 100 * time.Millisecond}), webhookMessage(sink.URL()))

	wantStatus(t, out, delivery.Retry, "no answer within 100ms")
}

func TestWebhookReturnsWhenItsContextEnds(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	sink.Respond(sinks.Response{Stall: true})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = sink.WaitRequests(context.Background(), 1)
		cancel()
	}()

	out := sendCtx(t, ctx, newWebhook(t, delivery.WebhookConfig{Timeout: hangLimit * 10}), webhookMessage(sink.URL()))

	wantStatus(t, out, delivery.Retry, "stopped")
}

func TestWebhookNoServerIsRetried(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + listener.Addr().String() + "/hook"
	listener.Close()

	wantStatus(t, send(t, newWebhook(t, delivery.WebhookConfig{}), webhookMessage(url)), delivery.Retry, "retried")
}

func TestWebhookRefusesURLsItWillNotCall(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	withCredentials := strings.Replace(sink.URL(), "http://", "http://admin:hunter2@", 1)
	cases := map[string]string{
		"ftp://example.com/hook": "not an http or https URL",
		"file:///etc/passwd":     "not an http or https URL",
		withCredentials:          "user name or password",
		"https:///no-host":       "no host",
		"http://bad host/":       "not a URL",
		"":                       "not an http or https URL",
	}
	s := newWebhook(t, delivery.WebhookConfig{})
	for url, says := range cases {
		t.Run(url, func(t *testing.T) {
			out := send(t, s, webhookMessage(url))
			wantStatus(t, out, delivery.Failed, says)
			if strings.Contains(out.Err.Error(), "hunter2") {
				t.Errorf("the error shows the password: %v", out.Err)
			}
		})
	}
	if n := len(sink.Requests()); n != 0 {
		t.Errorf("%d calls went out to a refused URL", n)
	}
}

func TestWebhookGETCarriesNoBody(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	m := webhookMessage(sink.URL())
	m.Payload["method"] = "get"

	wantStatus(t, send(t, newWebhook(t, delivery.WebhookConfig{}), m), delivery.Sent)

	got := onlyRequest(t, sink)
	if got.Method != "GET" || len(got.Body) != 0 || got.SignatureErr != nil {
		t.Errorf("%s with body %q, signature %v", got.Method, got.Body, got.SignatureErr)
	}
}

func TestWebhookPayloadFromTheOutboxJSON(t *testing.T) {
	// As it comes back from the outbox's JSON column: numbers are float64,
	// headers a map of any, a plain-text body.
	sink := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	m := &delivery.Message{ID: 1, Kind: "webhook", Key: "k-json", Payload: map[string]any{
		"url": sink.URL(), "method": "PUT", "contact": float64(42),
		"headers": map[string]any{"X-Count": float64(3)}, "body": "plain words",
	}}

	wantStatus(t, send(t, newWebhook(t, delivery.WebhookConfig{}), m), delivery.Sent)

	got := onlyRequest(t, sink)
	if got.Method != "PUT" || got.Header.Get("X-Count") != "3" || got.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("%s, X-Count %q, Content-Type %q", got.Method, got.Header.Get("X-Count"), got.Header.Get("Content-Type"))
	}
	if got.Header.Get("Journey-Attempt") != "" {
		t.Errorf("attempt 0 sent Journey-Attempt %q", got.Header.Get("Journey-Attempt"))
	}
}

func TestWebhookHeadersOfThePlanCannotReplaceJourneys(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	m := webhookMessage(sink.URL())
	m.Payload["headers"] = map[string]string{"Idempotency-Key": "forged", "Journey-Signature": "t=1,v1=00"}

	wantStatus(t, send(t, newWebhook(t, delivery.WebhookConfig{}), m), delivery.Sent)

	got := onlyRequest(t, sink)
	if got.Header.Get("Idempotency-Key") != m.Key || got.SignatureErr != nil {
		t.Errorf("Idempotency-Key %q, signature %v", got.Header.Get("Idempotency-Key"), got.SignatureErr)
	}
}

func TestWebhookBadHeadersFail(t *testing.T) {
	sink := startHTTPSink(t, sinks.HTTPOptions{})
	s := newWebhook(t, delivery.WebhookConfig{})
	for name, headers := range map[string]any{
		"line break in a value": map[string]string{"X-A": "one\r\nX-B: two"},
		"space in a name":       map[string]string{"X A": "1"},
		"not a map":             []any{"X-A: 1"},
	} {
		t.Run(name, func(t *testing.T) {
			m := webhookMessage(sink.URL())
			m.Payload["headers"] = headers
			wantStatus(t, send(t, s, m), delivery.Failed, "header")
		})
	}
	if n := len(sink.Requests()); n != 0 {
		t.Errorf("%d calls went out with bad headers", n)
	}
}
