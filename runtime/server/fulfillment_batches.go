package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/delivery"
)

// FulfillmentEmail is the delivery kind of a batch mailed to its list's
// deliver_to (runtime/delivery sends it by SMTP, the CSV attached).
const FulfillmentEmail = "fulfillment_email"

// CutDueBatches cuts a batch of every fulfillment list whose rule says one
// is due (min_size rows wait, or the oldest has waited max_age) and mails
// it when the list has a deliver_to. The scheduler calls it every minute.
// Each list is cut in a transaction of its own, so that one that fails
// keeps no other from its batch; the errors come back together.
func (s *Server) CutDueBatches(ctx context.Context) error {
	d := s.current()
	if d == nil || d.Program == nil {
		return nil
	}
	var errs []error
	for _, list := range d.Program.FulfillmentLists() {
		if !list.HasBatchRule() {
			continue
		}
		if err := s.cutIfDue(ctx, d.Program, list); err != nil {
			errs = append(errs, fmt.Errorf("fulfillment_list %s: %w", list.Name, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Server) cutIfDue(ctx context.Context, prog *runtime.Program, list *runtime.FulfillmentList) error {
	tx, err := s.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	pending, err := tx.FulfillmentPending(list.Name)
	if err != nil {
		return err
	}
	due, why := prog.BatchDue(list, pending, s.now())
	if !due {
		return nil
	}
	b, err := s.cutBatch(tx, list)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.logBatch(ctx, list, b, why)
	return nil
}

// cutBatch cuts a batch of every pending row of the list in tx and, when
// the list has a deliver_to, puts its email in the outbox in the same
// transaction: the batch and its email commit together or not at all.
func (s *Server) cutBatch(tx runtime.Tx, list *runtime.FulfillmentList) (*runtime.FulfillmentBatch, error) {
	b, err := tx.CutFulfillmentBatch(list.Name, list.Fields, s.now())
	if err != nil {
		return nil, err
	}
	if list.DeliverTo == "" {
		return b, nil
	}
	rows, err := tx.FulfillmentRows(b.ID)
	if err != nil {
		return nil, err
	}
	data, err := batchCSV(b.Fields, rows)
	if err != nil {
		return nil, err
	}
	mail := batchEmail(list, b, data)
	if _, err := tx.AddDelivery(mail); err != nil {
		return nil, err
	}
	if s.sink != nil {
		if err := s.sink.Deliver(tx, mail); err != nil {
			return nil, fmt.Errorf("queueing the email of %s: %w", describeBatch(b), err)
		}
	}
	if err := tx.SetFulfillmentBatchDelivery(b.ID, mail.ID); err != nil {
		return nil, err
	}
	b.DeliveryID = mail.ID
	return b, nil
}

// batchEmail is a batch's email: the CSV attached, to the list's
// deliver_to, from smtp.from (as notify_email). It belongs to no contact
// (contact_id 0); its key names the batch, whose id is never reused, so
// that every attempt sends the same message.
func batchEmail(list *runtime.FulfillmentList, b *runtime.FulfillmentBatch, csv []byte) *runtime.Delivery {
	filename := batchFilename(list.Name, b.ID)
	body := fmt.Sprintf("Batch %d of the fulfillment list %s: %d %s, cut %s.\n\n"+
		"They are attached as %s, one row per contact; its columns are contact_id, %s.\n"+
		"journey server keeps the batch: GET %s downloads it again.\n",
		b.ID, list.Name, b.Rows, plural(b.Rows, "row", "rows"), b.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"),
		filename, strings.Join(b.Fields, ", "), csvPath(b))
	return &runtime.Delivery{
		Kind:   FulfillmentEmail,
		Asset:  list.Name,
		Source: "fulfillment_list." + list.Name,
		Key:    fmt.Sprintf("fulfillment/%s/%d", list.Name, b.ID),
		Payload: map[string]any{
			"to":      list.DeliverTo,
			"subject": fmt.Sprintf("%s: batch %d, %d %s to fulfil", list.Name, b.ID, b.Rows, plural(b.Rows, "row", "rows")),
			"body":    body,
			"attachments": []delivery.Attachment{{
				Filename: filename, ContentType: "text/csv; charset=utf-8", Content: string(csv),
			}},
			"list":  list.Name,
			"batch": b.ID,
		},
		Status:    runtime.DeliveryPending,
		CreatedAt: b.CreatedAt,
	}
}

func csvPath(b *runtime.FulfillmentBatch) string { return batchOut(b).CSV }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// logBatch says a batch was cut, why, and whether it is mailed: a list
// whose deliver_to user has no email keeps its batches to download.
func (s *Server) logBatch(ctx context.Context, list *runtime.FulfillmentList, b *runtime.FulfillmentBatch, why string) {
	attrs := []slog.Attr{slog.String("list", list.Name), slog.Int64("batch", b.ID), slog.Int("rows", b.Rows), slog.String("why", why)}
	switch {
	case b.DeliveryID != 0:
		s.log.LogAttrs(ctx, slog.LevelInfo, "fulfillment batch cut", append(attrs, slog.String("mailed_to", list.DeliverTo), slog.Int64("delivery", b.DeliveryID))...)
	case list.DeliverToUser != "":
		s.log.LogAttrs(ctx, slog.LevelWarn, "fulfillment batch cut, not mailed: its deliver_to user has no email; give user."+list.DeliverToUser+" an email, or download the batch", attrs...)
	default:
		s.log.LogAttrs(ctx, slog.LevelInfo, "fulfillment batch cut", attrs...)
	}
}
