package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
)

// fallbackDomain is the Message-ID domain of a sender with no usable
// domain: .invalid is reserved (RFC 2606), so it can be no one's.
const fallbackDomain = "journey.invalid"

// MessageID is the Message-ID header of the email whose idempotency key is
// key: "<HEX@DOMAIN>", HEX the first 32 hex digits of sha256(key), DOMAIN
// the sender's domain (or journey.invalid). Every attempt of a delivery
// sends the same one, so a retried email is recognisable as the same
// message by the receiving servers and by whoever reads the logs.
func MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	if domain == "" {
		domain = fallbackDomain
	}
	return fmt.Sprintf("<%s@%s>", hex.EncodeToString(sum[:])[:32], domain)
}

// senderDomain is the lower-cased domain of an address such as
// "news@example.com" or "Acme <news@example.com>".
func senderDomain(address string) (string, error) {
	parsed, err := mail.ParseAddress(address)
	if err != nil {
		return "", err
	}
	at := strings.LastIndexByte(parsed.Address, '@')
	if at < 0 || at == len(parsed.Address)-1 {
		return "", fmt.Errorf("%q has no domain", address)
	}
	return strings.ToLower(parsed.Address[at+1:]), nil
}
