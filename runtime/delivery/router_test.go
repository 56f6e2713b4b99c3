package delivery_test

import (
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/delivery"
)

func TestRouterSendsEachKindOverItsChannel(t *testing.T) {
	smtpSink := startSMTPSink(t, sinks.SMTPOptions{})
	hooks := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	adapters := startHTTPSink(t, sinks.HTTPOptions{Secret: testSecret})
	smtpConfig := sinkSMTPConfig(smtpSink, delivery.TLSNone)
	smtpConfig.From = "journey@ops.example"
	config := delivery.Config{
		SMTP:    &smtpConfig,
		Webhook: &delivery.WebhookConfig{Secret: testSecret},
		Adapters: map[string]delivery.AdapterConfig{
			"sms":        {URL: adapters.URL() + "/sms", Secret: testSecret},
			"postcard":   {URL: adapters.URL() + "/postcard", Secret: testSecret},
			"audience":   {URL: adapters.URL() + "/audience", Secret: testSecret},
			"membership": {URL: adapters.URL() + "/membership", Secret: testSecret},
		},
	}
	router, err := delivery.NewRouter(config)
	if err != nil {
		t.Fatal(err)
	}
	email := map[string]any{"to": "ada@example.org", "subject": "s", "body": "b"}
	messages := []*delivery.Message{
		{Kind: "email", Payload: email}, {Kind: "notify_email", Payload: email}, {Kind: "fulfillment_email", Payload: email},
		{Kind: "webhook", Payload: map[string]any{"url": hooks.URL() + "/hook", "body": "{}"}},
		{Kind: "sms"}, {Kind: "notify_sms"}, {Kind: "postcard"}, {Kind: "audience"}, {Kind: "membership"},
	}
	for i, m := range messages {
		m.ID, m.Key = int64(i+1), "k-"+m.Kind
		wantStatus(t, send(t, router, m), delivery.Sent)
	}

	if n := len(smtpSink.Messages()); n != 3 {
		t.Errorf("the SMTP server received %d emails, want email, notify_email and fulfillment_email", n)
	}
	if got := hooks.Requests(); len(got) != 1 || got[0].Path != "/hook" {
		t.Errorf("the webhook receiver got %d calls", len(got))
	}
	var paths []string
	for _, r := range adapters.Requests() {
		paths = append(paths, r.Path)
	}
	if strings.Join(paths, " ") != "/sms /sms /postcard /audience /membership" {
		t.Errorf("adapter calls %v", paths)
	}
}

func TestRouterHoldsKindsWithoutAChannel(t *testing.T) {
	router, err := delivery.NewRouter(delivery.Config{Webhook: &delivery.WebhookConfig{Secret: testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	for kind, says := range map[string]string{
		"email": "smtp.*", "notify_email": "smtp.*", "fulfillment_email": "smtp.*", "sms": "adapters.sms.url", "notify_sms": "adapters.sms.url",
		"postcard": "adapters.postcard.url", "audience": "adapters.audience.url", "membership": "adapters.membership.url",
	} {
		if router.Configured(kind) {
			t.Errorf("%s: configured without its channel", kind)
		}
		wantStatus(t, send(t, router, &delivery.Message{ID: 4, Kind: kind, Key: "k"}), delivery.NotConfigured, "not configured", says)
	}
	if !router.Configured("webhook") {
		t.Error("webhook: not configured with its channel")
	}
	wantStatus(t, send(t, router, &delivery.Message{ID: 4, Kind: "fax", Key: "k"}), delivery.Failed, `no channel sends a "fax" delivery`)
}

func TestNewRouterRefusesABadConfiguration(t *testing.T) {
	_, err := delivery.NewRouter(delivery.Config{
		SMTP:     &delivery.SMTPConfig{Port: 70000, TLS: "startls", Username: "u"},
		Webhook:  &delivery.WebhookConfig{Secret: "short"},
		Adapters: map[string]delivery.AdapterConfig{"fax": {}, "sms": {URL: "ftp://x", Secret: testSecret}},
	})
	if err == nil {
		t.Fatal("a bad configuration was taken")
	}
	for _, says := range []string{
		"smtp.host is empty", "smtp.port 70000", `smtp.tls "startls" is not a TLS mode: use starttls, opportunistic, tls or none`,
		`smtp.username "u" has no smtp.password`, "webhook.secret is 5 bytes long", "openssl rand -hex 32",
		"adapters.fax: no such channel", "adapters.sms.url", "not an http or https URL",
	} {
		if !strings.Contains(err.Error(), says) {
			t.Errorf("the error does not say %q:\n%v", says, err)
		}
	}
}
