package delivery

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Config is the configuration of every channel. A nil SMTP or Webhook, or
// a channel missing from Adapters, is a channel that is not configured:
// its deliveries are NotConfigured and wait in the outbox.
//
// Secrets are values here; the server's configuration loader reads them
// from the environment or files. Every type prints without its secrets.
type Config struct {
	SMTP    *SMTPConfig
	Webhook *WebhookConfig
	// Adapters by channel: sms (sms and notify_sms), postcard, audience,
	// membership.
	Adapters map[string]AdapterConfig
}

// TLSMode is how the SMTP connection is encrypted.
type TLSMode string

const (
	// TLSStartTLS upgrades the connection with STARTTLS and refuses a
	// server that does not offer it.
	TLSStartTLS TLSMode = "starttls"
	// TLSOpportunistic uses STARTTLS when the server offers it, and
	// plain text otherwise.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSImplicit speaks TLS from the first byte (SMTPS, port 465).
	TLSImplicit TLSMode = "tls"
	// TLSNone never encrypts: for a relay on the same machine.
	TLSNone TLSMode = "none"
)

var tlsModes = []TLSMode{TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone}

// SMTPConfig is the SMTP server that email and notify_email go through.
type SMTPConfig struct {
	Host string
	// Port 0 is 587 with starttls or opportunistic, 465 with tls, 25 with none.
	Port     int
	Username string
	Password Secret
	// Auth is the mechanism when Username is set: "plain" (the default)
	// or "login".
	Auth string
	// TLS is the encryption mode; "" is starttls.
	TLS TLSMode
	// HELO is the name journey gives in EHLO; "" is the machine's host name.
	HELO string
	// From is the sender of an email whose payload has none (notify_email,
	// an email with no from and no account sender).
	From string
	// Timeout bounds the connection and each SMTP command; 0 is 30 s.
	Timeout time.Duration
	// RootCAs verifies the server's certificate; nil is the system's.
	RootCAs *x509.CertPool
}

// WebhookConfig is what every webhook call shares: the URL, method,
// headers and body come from the plan.
type WebhookConfig struct {
	// Secret signs every call (Journey-Signature).
	Secret Secret
	// Timeout bounds a call, from connecting to the last byte of the
	// answer; 0 is 10 s.
	Timeout time.Duration
}

// AdapterConfig is the HTTP endpoint of a provider adapter.
type AdapterConfig struct {
	URL string
	// Secret signs every call (Journey-Signature).
	Secret Secret
	// Timeout bounds a call; 0 is 10 s.
	Timeout time.Duration
}

const (
	defaultSMTPTimeout = 30 * time.Second
	defaultHTTPTimeout = 10 * time.Second
	// minSecretLength is the shortest signing secret accepted: a short
	// one can be guessed from a few signed calls.
	minSecretLength = 16
)

// Channels of the provider adapters, and the delivery kinds each carries.
var adapterKinds = map[string][]string{
	"sms":        {"sms", "notify_sms"},
	"postcard":   {"postcard"},
	"audience":   {"audience"},
	"membership": {"membership"},
}

// AdapterChannels are the channels that go through an HTTP adapter.
func AdapterChannels() []string {
	names := make([]string, 0, len(adapterKinds))
	for name := range adapterKinds {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Channel is the channel that carries a delivery kind ("smtp", "webhook",
// or an adapter's name), or "" for a kind journey does not know.
func Channel(kind string) string {
	switch kind {
	case "email", "notify_email", "fulfillment_email":
		return "smtp"
	case "webhook":
		return "webhook"
	}
	for channel, kinds := range adapterKinds {
		if slices.Contains(kinds, kind) {
			return channel
		}
	}
	return ""
}

// Validate reports every problem of the configuration at once, each
// naming its key and what to do.
func (c Config) Validate() error {
	var errs []error
	if c.SMTP != nil {
		errs = append(errs, c.SMTP.Validate())
	}
	if c.Webhook != nil {
		errs = append(errs, c.Webhook.Validate())
	}
	for _, channel := range sortedKeys(c.Adapters) {
		if _, ok := adapterKinds[channel]; !ok {
			errs = append(errs, fmt.Errorf("adapters.%s: no such channel; the adapter channels are %s",
				channel, strings.Join(AdapterChannels(), ", ")))
			continue
		}
		errs = append(errs, c.Adapters[channel].validate("adapters."+channel))
	}
	return errors.Join(errs...)
}

// Validate reports every problem of the SMTP configuration.
func (c *SMTPConfig) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(c.Host) == "" {
		add("smtp.host is empty: set the SMTP server's host name")
	} else if net.ParseIP(c.Host) == nil && strings.ContainsAny(c.Host, ":/[] ") {
		add("smtp.host %q is not a host name or IP address: give the port in smtp.port, "+
			"without a scheme or brackets", c.Host)
	}
	if c.Port < 0 || c.Port > 65535 {
		add("smtp.port %d is not a port: use 1 to 65535, or 0 for the TLS mode's usual port", c.Port)
	}
	if c.TLS != "" && !slices.Contains(tlsModes, c.TLS) {
		add("smtp.tls %q is not a TLS mode: use starttls, opportunistic, tls or none", c.TLS)
	}
	switch {
	case c.Username == "" && c.Password != "":
		add("smtp.password is set without smtp.username: set both, or neither")
	case c.Username != "" && c.Password == "":
		add("smtp.username %q has no smtp.password: set both, or neither", c.Username)
	}
	if c.Auth != "" && c.Auth != "plain" && c.Auth != "login" {
		add("smtp.auth %q is not a mechanism journey offers: use plain or login", c.Auth)
	}
	if c.Auth != "" && c.Username == "" {
		add("smtp.auth %q needs smtp.username and smtp.password", c.Auth)
	}
	if c.From != "" {
		if _, err := senderDomain(c.From); err != nil {
			add("smtp.from %q is not an email address: use name@example.com or \"Name <name@example.com>\"", c.From)
		}
	}
	if c.Timeout < 0 {
		add("smtp.timeout %s is negative: use a duration such as 30s, or 0 for the default", c.Timeout)
	}
	return errors.Join(errs...)
}

// Validate reports every problem of the webhook configuration.
func (c *WebhookConfig) Validate() error {
	return errors.Join(validateSecret("webhook.secret", c.Secret), validateTimeout("webhook.timeout", c.Timeout))
}

func (c AdapterConfig) validate(key string) error {
	var urlErr error
	if c.URL == "" {
		urlErr = fmt.Errorf("%s.url is empty: set the adapter's endpoint (https://...)", key)
	} else if err := checkURL(c.URL); err != nil {
		urlErr = fmt.Errorf("%s.url: %w", key, err)
	}
	return errors.Join(urlErr, validateSecret(key+".secret", c.Secret), validateTimeout(key+".timeout", c.Timeout))
}

func validateSecret(key string, s Secret) error {
	switch {
	case s == "":
		return fmt.Errorf("%s is empty: every call is signed; generate one with `openssl rand -hex 32`", key)
	case len(s) < minSecretLength:
		return fmt.Errorf("%s is %d bytes long: use at least %d (`openssl rand -hex 32` makes one)", key, len(s), minSecretLength)
	}
	return nil
}

func validateTimeout(key string, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%s %s is negative: use a duration such as 10s, or 0 for the default", key, d)
	}
	return nil
}

// checkURL refuses what journey will not call: anything but http and
// https, and credentials in the URL (they would be logged with it; put
// them in a header).
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", raw, unwrapURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http or https URL: journey calls only http(s) endpoints", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%s carries a user name or password: they would show in every log of the URL; "+
			"send credentials in a header instead", u.Redacted())
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host: write the full URL, such as https://example.com/hook", raw)
	}
	return nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
