package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of every HTTP call, beside SignatureHeader.
const (
	IdempotencyKeyHeader = "Idempotency-Key"
	AttemptHeader        = "Journey-Attempt"
)

// MaxResponseBody is how much of an answer an Outcome keeps.
const MaxResponseBody = 4 << 10

// caller makes the signed HTTP calls of webhooks and adapters.
type caller struct {
	client  *http.Client
	secret  Secret
	timeout time.Duration
	now     func() time.Time
}

func newCaller(secret Secret, timeout time.Duration) *caller {
	return &caller{
		client: &http.Client{
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			// A redirect is answered, not followed: following it would send
			// the signed call somewhere the configuration does not name.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		secret:  secret,
		timeout: orDefault(timeout, defaultHTTPTimeout),
		now:     time.Now,
	}
}

// call is one HTTP request of a delivery.
type call struct {
	what    string // "webhook", "sms adapter"...: how errors name the endpoint
	method  string
	url     string
	header  http.Header
	body    []byte
	key     string
	attempt int
}

func (c *caller) do(ctx context.Context, k call) Outcome {
	if err := checkURL(k.url); err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: %w", k.what, err)}
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(callCtx, k.method, k.url, bytes.NewReader(k.body))
	if err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: %v", k.what, err)}
	}
	for name, values := range k.header {
		req.Header[name] = values
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "journey")
	}
	// Set last: a header of the plan cannot replace them.
	req.Header.Set(IdempotencyKeyHeader, k.key)
	req.Header.Set(SignatureHeader, Sign(c.secret.Reveal(), c.now(), k.body))
	if k.attempt > 0 {
		req.Header.Set(AttemptHeader, strconv.Itoa(k.attempt))
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return Outcome{Status: Retry, Err: c.callError(ctx, k, err)}
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	// Read on a little, so the connection can be reused; a long answer is cut.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	out := Outcome{ResponseStatus: resp.StatusCode, ResponseBody: strings.ToValidUTF8(string(body), "\uFFFD")}
	status := fmt.Sprintf("%s %s answered %s", k.method, k.url, resp.Status)
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		if readErr != nil && callCtx.Err() != nil {
			// Accepted: a slow answer's body changes nothing.
			out.ResponseBody += "\n[the rest of the answer did not come in time]"
		}
		out.Status = Sent
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		out.Status = Retry
		out.Err = fmt.Errorf("%s: %s: it is retried", k.what, status)
	case code >= 300 && code < 400:
		out.Status = Failed
		out.Err = fmt.Errorf("%s: %s, redirecting to %q: journey does not follow redirects; "+
			"point the %s at the final URL", k.what, status, resp.Header.Get("Location"), k.what)
	default:
		out.Status = Failed
		out.Err = fmt.Errorf("%s: %s: the call is refused for good and not retried; check the URL and the receiver's logs", k.what, status)
	}
	return out
}

// callError says why a call got no answer.
func (c *caller) callError(ctx context.Context, k call, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %s %s: the attempt was stopped (%v) before an answer came; it is retried",
			k.what, k.method, k.url, context.Cause(ctx))
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %s %s: no answer within %s; it is retried", k.what, k.method, k.url, c.timeout)
	}
	return fmt.Errorf("%s: %v; it is retried", k.what, err)
}
