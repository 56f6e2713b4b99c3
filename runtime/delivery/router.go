package delivery

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Router sends each message over the channel of its kind: email,
// notify_email and fulfillment_email by SMTP, webhook by HTTP, the others through their
// adapter. It is safe for concurrent use.
type Router struct {
	senders map[string]Sender // by channel
}

// NewRouter checks the configuration (every problem at once) and builds a
// sender per configured channel.
func NewRouter(config Config) (*Router, error) {
	if err := config.Validate(); err != nil {
		return nil, err
	}
	r := &Router{senders: map[string]Sender{}}
	var errs []error
	if config.SMTP != nil {
		s, err := NewSMTPSender(*config.SMTP)
		errs = append(errs, err)
		r.senders["smtp"] = s
	}
	if config.Webhook != nil {
		s, err := NewWebhookSender(*config.Webhook)
		errs = append(errs, err)
		r.senders["webhook"] = s
	}
	for channel, adapter := range config.Adapters {
		s, err := NewAdapterSender(channel, adapter)
		errs = append(errs, err)
		r.senders[channel] = s
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// Configured says whether the channel of a delivery kind has a
// configuration: the server holds the deliveries of the others.
func (r *Router) Configured(kind string) bool {
	_, ok := r.senders[Channel(kind)]
	return ok
}

// Send sends the message over its kind's channel. A kind journey does not
// know fails; a channel without configuration is NotConfigured.
func (r *Router) Send(ctx context.Context, m *Message) Outcome {
	if err := checkMessage(m); err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	channel := Channel(m.Kind)
	if channel == "" {
		return Outcome{Status: Failed, Err: fmt.Errorf("delivery %d: no channel sends a %q delivery", m.ID, m.Kind)}
	}
	sender, ok := r.senders[channel]
	if !ok {
		return Outcome{Status: NotConfigured, Err: fmt.Errorf("delivery %d: the %s channel, which sends %s deliveries, "+
			"is not configured; it waits in the outbox until the server starts with %s configured (docs/deliveries.md)",
			m.ID, channel, m.Kind, configKey(channel))}
	}
	return sender.Send(ctx, m)
}

// Close closes what the senders keep open between messages (the SMTP
// connections). Messages sent after it still go out, each closing what it
// opened.
func (r *Router) Close() error {
	var errs []error
	for _, sender := range r.senders {
		if closer, ok := sender.(io.Closer); ok {
			errs = append(errs, closer.Close())
		}
	}
	return errors.Join(errs...)
}

// configKey names a channel's configuration as docs/deliveries.md does.
func configKey(channel string) string {
	switch channel {
	case "smtp", "webhook":
		return channel + ".*"
	}
	return "adapters." + channel + ".url"
}
