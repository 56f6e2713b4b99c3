package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

var deliveryStatuses = []string{runtime.DeliveryPending, runtime.DeliveryHeld, runtime.DeliverySending,
	runtime.DeliverySent, runtime.DeliveryFailed, runtime.DeliveryUnknown}

// outbox lists deliveries, oldest first, filtered by status, channel and
// contact, a page at a time.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "status", "channel", "contact", "after", "limit")
	if err != nil {
		return err
	}
	f := runtime.DeliveryFilter{Status: q.Get("status"), Kind: q.Get("channel")}
	if f.Status != "" && !slices.Contains(deliveryStatuses, f.Status) {
		return badRequest("status=%s: a delivery's status is one of %s", f.Status, strings.Join(deliveryStatuses, ", "))
	}
	if f.ContactID, err = intParam(q, "contact", 0, 1, 1<<62); err != nil {
		return err
	}
	if f.AfterID, err = intParam(q, "after", 0, 0, 1<<62); err != nil {
		return err
	}
	limit, err := intParam(q, "limit", defaultPage, 1, maxPage)
	if err != nil {
		return err
	}
	f.Limit = int(limit)
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ds, err := tx.ListDeliveries(f)
	if err != nil {
		return err
	}
	out := api.Outbox{Deliveries: make([]api.Delivery, 0, len(ds))}
	for _, d := range ds {
		out.Deliveries = append(out.Deliveries, deliveryOut(d))
	}
	if len(ds) == f.Limit {
		out.NextAfter = ds[len(ds)-1].ID
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) delivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "delivery")
	if err != nil {
		return err
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	d, err := tx.Delivery(id)
	if err != nil {
		return deliveryErr(err, id)
	}
	writeJSON(w, http.StatusOK, deliveryOut(d))
	return nil
}

// retryDelivery puts a failed or held delivery back to pending, with a
// new job, in one transaction. One that was sent, or whose marketing
// attempt may have left, is never sent again.
func (s *Server) retryDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "delivery")
	if err != nil {
		return err
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	d, err := tx.Delivery(id)
	if err != nil {
		return deliveryErr(err, id)
	}
	switch d.Status {
	case runtime.DeliveryFailed, runtime.DeliveryHeld:
	case runtime.DeliverySent:
		return conflict("delivery %d was sent%s: sending it again would send it twice", id, sentWhen(d))
	case runtime.DeliveryUnknown:
		return conflict("delivery %d is a marketing message whose attempt was cut off after it may have left: it is never sent again (at most once)", id)
	default:
		return conflict("delivery %d is %s already: the queue sends it", id, d.Status)
	}
	d.Status, d.UpdatedAt = runtime.DeliveryPending, s.now()
	if err := tx.UpdateDelivery(d); err != nil {
		return err
	}
	if s.enqueue != nil {
		if err := s.enqueue(r.Context(), tx, d.ID); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, deliveryOut(d))
	return nil
}

func sentWhen(d *runtime.Delivery) string {
	if d.SentAt == nil {
		return ""
	}
	return fmt.Sprintf(" at %s", d.SentAt.UTC().Format("2006-01-02 15:04:05 MST"))
}

func deliveryErr(err error, id int64) error {
	if errors.Is(err, runtime.ErrNoDelivery) {
		return notFound("no delivery %d in the outbox", id)
	}
	return err
}

// deliveryOut is a delivery as the API shows it.
func deliveryOut(d *runtime.Delivery) api.Delivery {
	out := api.Delivery{
		ID: d.ID, ContactID: d.ContactID, Channel: d.Kind, Asset: d.Asset, Source: d.Source, Key: d.Key,
		Marketing: d.Marketing, Status: d.Status, Attempts: d.Attempts, LastError: d.LastError,
		MessageID: d.MessageID, ResponseStatus: d.ResponseStatus, CreatedAt: d.CreatedAt.UTC(), Payload: d.Payload,
	}
	if d.SentAt != nil {
		at := d.SentAt.UTC()
		out.SentAt = &at
	}
	if out.Payload == nil {
		out.Payload = map[string]any{}
	}
	return out
}
