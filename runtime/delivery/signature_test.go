package delivery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/delivery"
)

// openSSLVector is the HMAC that openssl computes, as docs/deliveries.md
// shows a receiver to do.
const openSSLVector = "d6989efa5d36e098e7cd61bcf899746c0d8e82e6a6092b9b76579c2efd9729bf"

func TestSignMatchesOpenSSL(t *testing.T) {
	// printf '%s' '1700000000.{"id":1}' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
	const want = "t=1700000000,v1=" + openSSLVector
	if got := delivery.Sign(testSecret, time.Unix(1700000000, 0), []byte(`{"id":1}`)); got != want {
		t.Errorf("Sign = %s\nwant  %s", got, want)
	}
}

func TestVerifySignature(t *testing.T) {
	signedAt := time.Unix(1700000000, 0)
	body := []byte(`{"id":1}`)
	header := delivery.Sign(testSecret, signedAt, body)
	other := delivery.Sign("another-secret-of-sixteen", signedAt, body)
	cases := []struct {
		name   string
		secret string
		header string
		body   string
		now    time.Time
		want   error
	}{
		{"good", testSecret, header, `{"id":1}`, signedAt.Add(time.Minute), nil},
		{"good, with a second signature during a change of secret", testSecret, other + ",v1=" + header[len("t=1700000000,v1="):], `{"id":1}`, signedAt, nil},
		{"a scheme it does not know is ignored", testSecret, header + ",v0=zz", `{"id":1}`, signedAt, nil},
		{"body changed", testSecret, header, `{"id":2}`, signedAt, delivery.ErrSignatureMismatch},
		{"wrong secret", "not-the-secret-at-all", header, `{"id":1}`, signedAt, delivery.ErrSignatureMismatch},
		{"time changed", testSecret, "t=1700000001" + header[len("t=1700000000"):], `{"id":1}`, signedAt, delivery.ErrSignatureMismatch},
		{"too old", testSecret, header, `{"id":1}`, signedAt.Add(6 * time.Minute), delivery.ErrSignatureExpired},
		{"from the future", testSecret, header, `{"id":1}`, signedAt.Add(-6 * time.Minute), delivery.ErrSignatureExpired},
		{"missing", testSecret, "", `{"id":1}`, signedAt, delivery.ErrSignatureMissing},
		{"no time", testSecret, "v1=abcd", `{"id":1}`, signedAt, delivery.ErrSignatureMalformed},
		{"no v1", testSecret, "t=1700000000", `{"id":1}`, signedAt, delivery.ErrSignatureMalformed},
		{"not hex", testSecret, "t=1700000000,v1=xyz", `{"id":1}`, signedAt, delivery.ErrSignatureMalformed},
		{"not key=value", testSecret, "sha256 abc", `{"id":1}`, signedAt, delivery.ErrSignatureMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := delivery.VerifySignature(c.secret, c.header, []byte(c.body), 5*time.Minute, c.now)
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("VerifySignature = %v, want %v", err, c.want)
			}
		})
	}
	if err := delivery.VerifySignature(testSecret, header, body, 0, signedAt.Add(24*time.Hour)); err != nil {
		t.Errorf("tolerance 0 checks no time, got %v", err)
	}
}
