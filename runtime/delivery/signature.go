package delivery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the signature of every HTTP call journey makes.
const SignatureHeader = "Journey-Signature"

// Errors of VerifySignature, for errors.Is.
var (
	ErrSignatureMissing   = errors.New("no Journey-Signature header")
	ErrSignatureMalformed = errors.New("the Journey-Signature header is not t=UNIX,v1=HEX")
	ErrSignatureMismatch  = errors.New("no v1 signature matches the body and the secret")
	ErrSignatureExpired   = errors.New("the signature's time is outside the tolerance")
)

// Sign is the Journey-Signature header of a call whose body is body, made
// at t: "t=UNIX,v1=HEX", HEX the hex HMAC-SHA256 of "UNIX." + body under
// the secret. The time inside the signed text keeps a captured call from
// being replayed later (see VerifySignature).
func Sign(secret string, t time.Time, body []byte) string {
	unix := strconv.FormatInt(t.Unix(), 10)
	return "t=" + unix + ",v1=" + hex.EncodeToString(mac(secret, unix, body))
}

func mac(secret, unix string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(unix))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// VerifySignature checks a Journey-Signature header, for the receivers of
// webhooks and adapter calls: body must be the request's body exactly as
// received (before any JSON decoding), and the header's time must be
// within tolerance of now, either way (5 minutes is usual; 0 checks no
// time). A header may hold several v1 signatures (during a change of
// secret): one matching is enough.
//
//	body, _ := io.ReadAll(r.Body)
//	err := delivery.VerifySignature(secret, r.Header.Get("Journey-Signature"), body, 5*time.Minute, time.Now())
func VerifySignature(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	if strings.TrimSpace(header) == "" {
		return ErrSignatureMissing
	}
	var unix string
	var signatures [][]byte
	for field := range strings.SplitSeq(header, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			return fmt.Errorf("%w: %q has no =", ErrSignatureMalformed, field)
		}
		switch key {
		case "t":
			unix = value
		case "v1":
			sig, err := hex.DecodeString(value)
			if err != nil {
				return fmt.Errorf("%w: v1 %q is not hex", ErrSignatureMalformed, value)
			}
			signatures = append(signatures, sig)
		}
		// Other schemes (v0, v2...) are for other receivers: ignored.
	}
	seconds, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: t %q is not a Unix time", ErrSignatureMalformed, unix)
	}
	if len(signatures) == 0 {
		return fmt.Errorf("%w: no v1 signature", ErrSignatureMalformed)
	}
	want := mac(secret, unix, body)
	matched := false
	for _, sig := range signatures {
		matched = hmac.Equal(sig, want) || matched
	}
	if !matched {
		return ErrSignatureMismatch
	}
	if tolerance > 0 {
		signed := time.Unix(seconds, 0)
		if age := now.Sub(signed); age > tolerance || age < -tolerance {
			return fmt.Errorf("%w: signed at %s, %s from now (tolerance %s)",
				ErrSignatureExpired, signed.UTC().Format(time.RFC3339), age.Round(time.Second), tolerance)
		}
	}
	return nil
}
