-- journey runtime schema, version 6: fulfillment lists' batches
-- (migrations/sqlite/0006_fulfillment.sql says what each is). A BIGSERIAL
-- never gives a batch's id twice, as AUTOINCREMENT does on SQLite.
CREATE TABLE fulfillment_batches (
  id          BIGSERIAL PRIMARY KEY,
  list        TEXT    NOT NULL,
  fields      TEXT    NOT NULL DEFAULT '[]',
  row_count   INTEGER NOT NULL DEFAULT 0,
  created_at  BIGINT  NOT NULL,
  delivery_id BIGINT
);
CREATE INDEX fulfillment_batches_list ON fulfillment_batches (list, id);

ALTER TABLE records ADD COLUMN batch_id BIGINT;
CREATE INDEX records_batch ON records (batch_id, created_at, id) WHERE batch_id IS NOT NULL;
