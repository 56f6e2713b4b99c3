package delivery_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime/delivery"
)

func TestConfigNeverPrintsSecrets(t *testing.T) {
	const password, webhookSecret, adapterSecret = "smtp-pa55word", "webhook-secret-value-1", "adapter-secret-value-2"
	smtp := delivery.SMTPConfig{Host: "smtp.example.com", Username: "journey", Password: password}
	config := delivery.Config{
		SMTP:     &smtp,
		Webhook:  &delivery.WebhookConfig{Secret: webhookSecret},
		Adapters: map[string]delivery.AdapterConfig{"sms": {URL: "https://sms.example.com", Secret: adapterSecret}},
	}
	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("config", "smtp", smtp, "password", smtp.Password, "webhook", *config.Webhook)
	jsonSMTP, err := json.Marshal(smtp)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{
		"Config %v":      fmt.Sprintf("%v", config),
		"Config %+v":     fmt.Sprintf("%+v", config),
		"Config %#v":     fmt.Sprintf("%#v", config),
		"Redacted":       config.Redacted(),
		"SMTPConfig %v":  fmt.Sprintf("%v", smtp),
		"SMTPConfig %+v": fmt.Sprintf("%+v", smtp),
		"SMTPConfig %#v": fmt.Sprintf("%#v", smtp),
		"Secret %s":      fmt.Sprintf("%s", smtp.Password),
		"Secret %q":      fmt.Sprintf("%q", smtp.Password),
		"adapter %+v":    fmt.Sprintf("%+v", config.Adapters["sms"]),
		"JSON":           string(jsonSMTP),
		"slog":           logged.String(),
	}
	for how, text := range shown {
		for _, secret := range []string{password, webhookSecret, adapterSecret} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows a secret: %s", how, text)
			}
		}
	}
	if !strings.Contains(config.Redacted(), "password=[redacted]") || !strings.Contains(config.Redacted(), "postcard: not configured") {
		t.Errorf("Redacted does not say what is set:\n%s", config.Redacted())
	}
	if smtp.Password.Reveal() != password {
		t.Error("Reveal does not give the value")
	}
}

func TestConfigDefaults(t *testing.T) {
	for mode, port := range map[delivery.TLSMode]string{"": "port=587", "starttls": "port=587", "opportunistic": "port=587", "tls": "port=465", "none": "port=25"} {
		c := delivery.SMTPConfig{Host: "smtp.example.com", TLS: mode}
		if err := c.Validate(); err != nil {
			t.Errorf("%q: %v", mode, err)
		}
		if !strings.Contains(c.String(), port) || !strings.Contains(c.String(), "timeout=30s") {
			t.Errorf("%q: %s, want %s and timeout=30s", mode, c.String(), port)
		}
	}
	if got := (delivery.WebhookConfig{}).String(); !strings.Contains(got, "timeout=10s") {
		t.Errorf("webhook %s, want timeout=10s", got)
	}
}

func TestSMTPConfigValidate(t *testing.T) {
	cases := map[string]struct {
		config delivery.SMTPConfig
		says   string
	}{
		"host with port":    {delivery.SMTPConfig{Host: "smtp.example.com:587"}, "give the port in smtp.port"},
		"host with scheme":  {delivery.SMTPConfig{Host: "smtp://smtp.example.com"}, "not a host name"},
		"password alone":    {delivery.SMTPConfig{Host: "h", Password: "p"}, "smtp.password is set without smtp.username"},
		"unknown auth":      {delivery.SMTPConfig{Host: "h", Username: "u", Password: "p", Auth: "cram-md5"}, "use plain or login"},
		"auth without user": {delivery.SMTPConfig{Host: "h", Auth: "login"}, "needs smtp.username"},
		"bad from":          {delivery.SMTPConfig{Host: "h", From: "journey"}, `smtp.from "journey" is not an email address`},
		"negative timeout":  {delivery.SMTPConfig{Host: "h", Timeout: -1}, "smtp.timeout -1ns is negative"},
		"negative port":     {delivery.SMTPConfig{Host: "h", Port: -1}, "smtp.port -1 is not a port"},
		"tls in capitals":   {delivery.SMTPConfig{Host: "h", TLS: "TLS"}, `smtp.tls "TLS"`},
		"ipv6 in brackets":  {delivery.SMTPConfig{Host: "[::1]"}, "without a scheme or brackets"},
		"ipv6 is fine":      {delivery.SMTPConfig{Host: "::1"}, ""},
	}
	for name, c := range cases {
		err := c.config.Validate()
		switch {
		case c.says == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.says != "" && (err == nil || !strings.Contains(err.Error(), c.says)):
			t.Errorf("%s: %v, want it to say %q", name, err, c.says)
		}
	}
}
