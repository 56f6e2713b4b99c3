// Package delivery sends one outbox delivery over its channel and says what
// happened: an email over SMTP, a webhook over HTTP, or a call to the HTTP
// adapter of a provider (SMS, postcards, custom audiences, membership
// sites).
//
// It knows nothing of queues, SQL or the server's API: the delivery worker
// loads a row of the outbox, hands it to a Router as a Message, and records
// the Outcome. The Outcome's Status is all the worker needs to apply the
// delivery policy (docs/deliveries.md): Sent and Failed are final, Retry
// is always safe, Unknown means a marketing email may have left and must
// never be sent again, NotConfigured holds the delivery until its channel
// is configured.
package delivery

import (
	"context"
	"fmt"
)

// Message is one attempt at one delivery of the outbox.
type Message struct {
	ID int64
	// Kind is the delivery's kind, as the engine writes it: email,
	// notify_email, sms, notify_sms, postcard, webhook, membership,
	// audience; or fulfillment_email, a fulfillment list's batch mailed by
	// journey server.
	Kind string
	// Key is the idempotency key. Every attempt of a delivery carries the
	// same key, so that a receiver can tell a retry from a new message.
	Key string
	// Marketing emails are sent at most once: an attempt interrupted after
	// the message may have left is Unknown, never Retry.
	Marketing bool
	Payload   map[string]any
	// Attempt counts from 1; HTTP calls carry it in Journey-Attempt.
	Attempt int
}

// Status is what an attempt leads to.
type Status int

const (
	// Sent: the provider accepted the message (SMTP 250 after the data,
	// HTTP 2xx).
	Sent Status = iota + 1
	// Failed: refused for good (SMTP 5xx, HTTP 4xx other than 408 and
	// 429, a payload that cannot be sent). Trying again would not help.
	Failed
	// Retry: the message did not leave, or leaving again is harmless
	// (every attempt carries the same Message-ID or Idempotency-Key).
	Retry
	// Unknown: a marketing email whose attempt was cut after it may have
	// left. It is never sent again.
	Unknown
	// NotConfigured: the delivery's channel has no configuration. The
	// delivery waits until the server starts with one.
	NotConfigured
)

// String is the status as the outbox's status column and the logs name it.
func (s Status) String() string {
	switch s {
	case Sent:
		return "sent"
	case Failed:
		return "failed"
	case Retry:
		return "retry"
	case Unknown:
		return "unknown"
	case NotConfigured:
		return "not configured"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Outcome is what one attempt did.
type Outcome struct {
	Status Status
	// MessageID is the SMTP Message-ID header sent (with its angle
	// brackets), or the message_id an adapter answered with.
	MessageID string
	// ResponseStatus is the provider's answer: the SMTP reply code (250,
	// 451, 550...) or the HTTP status; 0 when none came.
	ResponseStatus int
	// ResponseBody is the SMTP reply text, or the first 4 KiB of the HTTP
	// response body.
	ResponseBody string
	// Err says what went wrong, for the outbox's last_error; nil when Sent.
	Err error
}

// Sender sends one message over one channel. Send never panics and
// returns when ctx is done (the attempt is then Retry or Unknown).
type Sender interface {
	Send(ctx context.Context, m *Message) Outcome
}
