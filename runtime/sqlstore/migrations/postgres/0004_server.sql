-- journey runtime schema, version 4: what journey server keeps beyond the
-- engine's own state (migrations/sqlite/0004_server.sql says what each is).

CREATE TABLE events (
  id              BIGSERIAL PRIMARY KEY,
  contact_id      BIGINT NOT NULL,
  kind            TEXT   NOT NULL,
  args            TEXT   NOT NULL DEFAULT '{}',
  properties      TEXT   NOT NULL DEFAULT '{}',
  idempotency_key TEXT,
  received_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX events_idempotency ON events (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_contact ON events (contact_id, id);

CREATE UNIQUE INDEX contacts_external_id ON contacts (external_id) WHERE external_id <> '';
UPDATE contacts SET email = lower(trim(email)) WHERE email <> lower(trim(email));

ALTER TABLE enrollments ADD COLUMN entry_key TEXT NOT NULL DEFAULT '';

ALTER TABLE deliveries ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN response_status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN response_body TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN sent_at BIGINT;
ALTER TABLE deliveries ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX deliveries_kind_status ON deliveries (kind, status, id);
