package delivery

import (
	"fmt"
	"strings"
	"time"
)

// String shows the configuration without its password.
func (c SMTPConfig) String() string {
	return fmt.Sprintf("smtp{host=%s port=%d tls=%s username=%q password=%s auth=%s helo=%q from=%q timeout=%s}",
		c.Host, c.port(), c.tlsMode(), c.Username, c.Password, c.authMechanism(), c.HELO, c.From, c.timeout())
}

// String shows the configuration without its secret.
func (c WebhookConfig) String() string {
	return fmt.Sprintf("webhook{secret=%s timeout=%s}", c.Secret, orDefault(c.Timeout, defaultHTTPTimeout))
}

// String shows the configuration without its secret.
func (c AdapterConfig) String() string {
	return fmt.Sprintf("adapter{url=%s secret=%s timeout=%s}", c.URL, c.Secret, orDefault(c.Timeout, defaultHTTPTimeout))
}

// String shows every channel, configured or not, without secrets.
func (c Config) String() string {
	parts := []string{"smtp: not configured", "webhook: not configured"}
	if c.SMTP != nil {
		parts[0] = c.SMTP.String()
	}
	if c.Webhook != nil {
		parts[1] = c.Webhook.String()
	}
	for _, channel := range AdapterChannels() {
		if a, ok := c.Adapters[channel]; ok {
			parts = append(parts, channel+": "+a.String())
		} else {
			parts = append(parts, channel+": not configured")
		}
	}
	return strings.Join(parts, "\n")
}

// Redacted is String: the configuration as it may be shown or logged.
func (c Config) Redacted() string { return c.String() }

func (c *SMTPConfig) tlsMode() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c *SMTPConfig) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.tlsMode() == TLSImplicit:
		return 465
	case c.tlsMode() == TLSNone:
		return 25
	}
	return 587
}

func (c *SMTPConfig) authMechanism() string {
	switch {
	case c.Username == "":
		return "none"
	case c.Auth == "":
		return "plain"
	}
	return c.Auth
}

func (c *SMTPConfig) timeout() time.Duration { return orDefault(c.Timeout, defaultSMTPTimeout) }

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
