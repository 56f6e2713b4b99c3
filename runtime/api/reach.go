package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
)

// Unreachable reports an error of a call that never got an HTTP answer:
// no such host, a refused or timed-out connection, a TLS handshake that
// failed. The server's address is the thing to check.
func Unreachable(err error) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return false
	}
	var urlErr *url.Error
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &urlErr) && !errors.Is(err, context.Canceled) &&
		(errors.As(err, &opErr) || errors.As(err, &dnsErr) || urlErr.Timeout())
}

// Unauthorized reports an answer refusing the token (401).
func Unauthorized(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized
}

// NotFound reports a 404: what the request named does not exist.
func NotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound
}
