package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// NewToken is an API token for a server the load generator starts
// (JOURNEY_TOKEN).
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewClient is an API client that keeps up to conns connections open to
// the server.
func NewClient(baseURL, token string, conns int) *api.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = conns, conns
	return &api.Client{BaseURL: baseURL, Token: token, HTTP: &http.Client{Transport: transport, Timeout: time.Minute}}
}

// retryPause is the wait between two tries of a call the server did not
// answer: it is down (killed, restarting) or failed.
const retryPause = 100 * time.Millisecond

// Retrying calls call until it succeeds, fails for a reason a retry would
// not change (a 4xx answer: it is returned), or ctx ends. A call the
// server did not answer (it was killed, it is starting again) or answered
// with a 5xx is tried again: call must be safe to repeat (an event with
// an Idempotency-Key). It returns how many tries it took.
func Retrying(ctx context.Context, call func(ctx context.Context) error) (tries int, err error) {
	for {
		tries++
		err = call(ctx)
		var apiErr *api.Error
		switch {
		case err == nil:
			return tries, nil
		case errors.As(err, &apiErr) && apiErr.Status < 500:
			return tries, err
		}
		select {
		case <-ctx.Done():
			return tries, errors.Join(err, context.Cause(ctx))
		case <-time.After(retryPause):
		}
	}
}
