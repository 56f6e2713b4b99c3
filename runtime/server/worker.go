package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/delivery"
	"github.com/journeyhq/journey/runtime/queue"
)

// recordTimeout bounds the transaction that records an attempt's outcome.
// It runs even when the job's context has just ended (JobTimeout, or the
// queue stopping): what happened on the wire must be written down. It
// stays under the five seconds between JobTimeout and
// RescueStuckJobsAfter (docs/queue.md).
const recordTimeout = 4 * time.Second

// Outcomes of an attempt, the outcome label of journey_deliveries_total.
const (
	outcomeSent     = "sent"
	outcomeFailed   = "failed"
	outcomeRetry    = "retry"
	outcomeUnknown  = "unknown"
	outcomeHeld     = "held"
	outcomeNotFound = "not_found"
)

// worker is the queue's handler: it sends each delivery of the outbox over
// its channel and records what happened, as docs/server.md's outbox
// policy says.
type worker struct {
	store  runtime.Store
	router *delivery.Router
	now    func() time.Time
	log    *slog.Logger
	// deliveries counts attempts by channel and outcome.
	deliveries *prometheus.CounterVec
	// marketingSlot is held by the one marketing email of this process
	// between its sending mark and its recorded outcome, so that a crash
	// leaves at most one unknown (docs/deliveries.md, "Crashes").
	marketingSlot chan struct{}
}

// errNeedsMarketingSlot is claim's answer for a marketing email to send
// when the worker does not hold the marketing slot: nothing was written.
var errNeedsMarketingSlot = errors.New("a marketing email is sent under the marketing slot")

func newWorker(store runtime.Store, router *delivery.Router, now func() time.Time, log *slog.Logger, reg prometheus.Registerer) (*worker, error) {
	counter := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "journey_deliveries_total",
		Help: "Delivery attempts by channel (smtp, webhook, sms, postcard, audience, membership) and outcome (sent, failed, retry, unknown, held, not_found).",
	}, []string{"channel", "outcome"})
	if err := reg.Register(counter); err != nil {
		return nil, err
	}
	return &worker{store: store, router: router, now: now, log: log, deliveries: counter,
		marketingSlot: make(chan struct{}, 1)}, nil
}

// handle works one job: it claims the delivery for this attempt (or finds
// there is nothing to send), sends it, and records the outcome with the
// job's completion.
func (w *worker) handle(ctx context.Context, job *queue.Job) error {
	d, err := w.claim(ctx, job, false)
	if errors.Is(err, errNeedsMarketingSlot) {
		return w.sendMarketing(ctx, job, d)
	}
	if err != nil || d == nil {
		return err
	}
	return w.record(ctx, job, d, w.send(ctx, d))
}

// sendMarketing claims, sends and records a marketing email while holding
// the marketing slot: of all the marketing emails this process sends, one
// at a time is between its sending mark and its recorded outcome, where a
// crash leaves it unknown. The claims before it and every other delivery
// go on meanwhile. pending is the delivery as claim found it.
func (w *worker) sendMarketing(ctx context.Context, job *queue.Job, pending *runtime.Delivery) error {
	select {
	case w.marketingSlot <- struct{}{}:
	case <-ctx.Done():
		// Nothing was marked or sent: the attempt is retried (or, if it
		// was the last, the delivery fails saying why).
		return w.record(ctx, job, pending, delivery.Outcome{Status: delivery.Retry,
			Err: fmt.Errorf("the attempt ended (%v) while it waited for the marketing email before it to be sent; nothing left", ctx.Err())})
	}
	defer func() { <-w.marketingSlot }()
	d, err := w.claim(ctx, job, true)
	if err != nil || d == nil {
		return err
	}
	return w.record(ctx, job, d, w.send(ctx, d))
}

func (w *worker) send(ctx context.Context, d *runtime.Delivery) delivery.Outcome {
	return w.router.Send(ctx, &delivery.Message{
		ID: d.ID, Kind: d.Kind, Key: d.Key, Marketing: d.Marketing, Payload: d.Payload, Attempt: d.Attempts,
	})
}

// claim loads the job's delivery and, when it is a marketing email to be
// sent or a job's last attempt, commits it as sending (attempts counted)
// before a byte leaves: a crash from then on leaves it sending, and a
// marketing email found sending is never sent again. Any other attempt
// is claimed in memory only, and written with its outcome. It returns nil when the job is done without sending. A marketing
// email to send is marked only by a worker holding the marketing slot
// (holdsSlot); otherwise claim returns it unmarked, with
// errNeedsMarketingSlot.
func (w *worker) claim(ctx context.Context, job *queue.Job, holdsSlot bool) (*runtime.Delivery, error) {
	tx, err := w.store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, err := tx.Delivery(job.DeliveryID)
	if errors.Is(err, runtime.ErrNoDelivery) {
		// Its contact was deleted, and every trace with it.
		w.count("", outcomeNotFound)
		w.log.Info("delivery gone: its contact was deleted", "delivery", job.DeliveryID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	switch d.Status {
	case runtime.DeliverySent, runtime.DeliveryFailed, runtime.DeliveryUnknown, runtime.DeliveryHeld:
		// Decided already (by an attempt whose completion was lost, or
		// by the API): nothing to send.
		return nil, nil
	case runtime.DeliverySending:
		if d.Marketing {
			d.LastError = fmt.Sprintf("attempt %d was cut off (the server stopped or crashed) after the email may have left; "+
				"a marketing email is sent at most once, so it is not tried again", d.Attempts)
			return nil, w.finish(ctx, tx, job, d, runtime.DeliveryUnknown, outcomeUnknown)
		}
		// At least once: the same key goes out again, and the receiver
		// drops a duplicate.
	case runtime.DeliveryPending:
	default:
		// Another attempt would find the same status: give the job up.
		return nil, queue.Permanent(fmt.Errorf("delivery %d has status %q, which this journey does not know", d.ID, d.Status))
	}
	if channel := delivery.Channel(d.Kind); channel != "" && !w.router.Configured(d.Kind) {
		d.LastError = notConfigured(channel)
		return nil, w.finish(ctx, tx, job, d, runtime.DeliveryHeld, outcomeHeld)
	}
	if d.Marketing && !holdsSlot {
		return d, errNeedsMarketingSlot
	}
	d.Status, d.Attempts, d.UpdatedAt = runtime.DeliverySending, d.Attempts+1, w.now()
	if !d.Marketing && !job.LastAttempt() {
		// Sent at least once: a crash before the outcome has the queue
		// run the job again, which sends it again whether or not this
		// attempt was marked; so the mark waits for the outcome's
		// transaction, one transaction less per delivery. The last
		// attempt is marked: the queue gives up a job whose last attempt
		// a crash cut short, and the server's start finds the delivery
		// sending and sends it again (resolveOutbox). The queue counts
		// the attempts a crash cut off.
		d.Attempts = max(d.Attempts, job.Attempt)
		return d, nil
	}
	if err := tx.UpdateDelivery(d); err != nil {
		return nil, err
	}
	return d, tx.Commit()
}

// finish sets the delivery's final status and completes the job in tx.
func (w *worker) finish(ctx context.Context, tx runtime.Tx, job *queue.Job, d *runtime.Delivery, status, outcome string) error {
	d.Status, d.UpdatedAt = status, w.now()
	if err := tx.UpdateDelivery(d); err != nil {
		return err
	}
	if err := job.CompleteTx(ctx, tx); err != nil {
		return w.lostJob(err, d)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	w.count(d.Kind, outcome)
	w.logOutcome(d, outcome)
	return nil
}

// record writes what the attempt did, and completes the job unless the
// delivery is to be tried again.
func (w *worker) record(ctx context.Context, job *queue.Job, d *runtime.Delivery, out delivery.Outcome) error {
	// The attempt happened: record it even if the job's context ended
	// meanwhile. The context keeps its values (CompleteTx needs them).
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	tx, err := w.store.Begin(rctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if out.MessageID != "" {
		d.MessageID = out.MessageID
	}
	d.ResponseStatus, d.ResponseBody, d.LastError = out.ResponseStatus, out.ResponseBody, ""
	if out.Err != nil {
		d.LastError = out.Err.Error()
	}
	switch out.Status {
	case delivery.Sent:
		now := w.now()
		d.SentAt = &now
		return w.finish(rctx, tx, job, d, runtime.DeliverySent, outcomeSent)
	case delivery.Failed:
		return w.finish(rctx, tx, job, d, runtime.DeliveryFailed, outcomeFailed)
	case delivery.Unknown:
		return w.finish(rctx, tx, job, d, runtime.DeliveryUnknown, outcomeUnknown)
	case delivery.NotConfigured:
		return w.finish(rctx, tx, job, d, runtime.DeliveryHeld, outcomeHeld)
	}
	// Retry. A job cut by the queue stopping goes back without using an
	// attempt, so it is never the last one.
	stopping := errors.Is(ctx.Err(), context.Canceled)
	if job.LastAttempt() && !stopping {
		d.LastError = fmt.Sprintf("gave up after %d attempts; the last one: %s", d.Attempts, d.LastError)
		return w.finish(rctx, tx, job, d, runtime.DeliveryFailed, outcomeFailed)
	}
	d.Status, d.UpdatedAt = runtime.DeliveryPending, w.now()
	if err := tx.UpdateDelivery(d); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	w.count(d.Kind, outcomeRetry)
	w.logOutcome(d, outcomeRetry)
	// The error has the queue retry the job after its backoff.
	return fmt.Errorf("delivery %d, attempt %d: %s", d.ID, d.Attempts, d.LastError)
}

// lostJob is what to do when the job stopped being this attempt's (taken
// for stuck and retried): the outcome is rolled back, and the job's next
// attempt finds the delivery as this attempt left it, sending, and
// applies the policy: a marketing email becomes unknown, anything else is
// sent again with the same key.
func (w *worker) lostJob(err error, d *runtime.Delivery) error {
	if errors.Is(err, queue.ErrNotRunning) {
		w.log.Warn("delivery attempt outlived its job: the job's next attempt decides", "delivery", d.ID, "kind", d.Kind, "attempt", d.Attempts)
		return nil
	}
	return err
}

func (w *worker) count(kind, outcome string) {
	channel := delivery.Channel(kind)
	if channel == "" {
		channel = kind
	}
	w.deliveries.WithLabelValues(channel, outcome).Inc()
}

func (w *worker) logOutcome(d *runtime.Delivery, outcome string) {
	attrs := []any{"delivery", d.ID, "kind", d.Kind, "contact", d.ContactID, "attempt", d.Attempts}
	switch outcome {
	case outcomeSent:
		w.log.Debug("delivery sent", append(attrs, "message_id", d.MessageID)...)
	case outcomeHeld:
		w.log.Info("delivery held", append(attrs, "reason", d.LastError)...)
	case outcomeRetry:
		w.log.Warn("delivery to be tried again", append(attrs, "error", d.LastError)...)
	case outcomeUnknown:
		w.log.Warn("delivery unknown: it may have left, and is never sent again", append(attrs, "error", d.LastError)...)
	default:
		w.log.Warn("delivery "+outcome, append(attrs, "error", d.LastError)...)
	}
}
