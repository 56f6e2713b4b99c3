-- journey runtime schema, version 6: fulfillment lists' batches.

-- A batch is a set of a list's rows cut together: one CSV. fields are the
-- CSV's columns after contact_id, as the plan gave them at the cut (so the
-- file mailed and the file downloaded later are the same); row_count is
-- how many rows the cut took; delivery_id the outbox delivery that mails
-- it (NULL when the list has no deliver_to), whose sent_at is when it was
-- mailed. AUTOINCREMENT: a batch's id is in its delivery's idempotency
-- key, and is never given to another batch.
CREATE TABLE fulfillment_batches (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  list        TEXT    NOT NULL,
  fields      TEXT    NOT NULL DEFAULT '[]',
  row_count   INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  delivery_id INTEGER
);
CREATE INDEX fulfillment_batches_list ON fulfillment_batches (list, id);

-- A row's batch (records of kind 'fulfillment'; NULL while pending). The
-- pending rows of a list are found by records_list (kind, name, status).
ALTER TABLE records ADD COLUMN batch_id INTEGER;
CREATE INDEX records_batch ON records (batch_id, created_at, id) WHERE batch_id IS NOT NULL;
