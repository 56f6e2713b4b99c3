-- journey runtime schema, version 4: what journey server keeps beyond the
-- engine's own state.

-- Events that came from outside (the API), with their properties, so that
-- a later element can still read them, and the client's idempotency key:
-- a repeated key changes nothing and gets the first answer.
CREATE TABLE events (
  id              INTEGER PRIMARY KEY,
  contact_id      INTEGER NOT NULL,
  kind            TEXT    NOT NULL,
  args            TEXT    NOT NULL DEFAULT '{}',
  properties      TEXT    NOT NULL DEFAULT '{}',
  idempotency_key TEXT,
  received_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_idempotency ON events (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_contact ON events (contact_id, id);

-- The contact's own id in the client's systems names one contact. The
-- email column holds the address lower-cased and trimmed, for lookups.
CREATE UNIQUE INDEX contacts_external_id ON contacts (external_id) WHERE external_id <> '';
UPDATE contacts SET email = lower(trim(email)) WHERE email <> lower(trim(email));

-- Room for keyed entry (one enrollment per contact, campaign and key):
-- the key is empty until the language can give one.
ALTER TABLE enrollments ADD COLUMN entry_key TEXT NOT NULL DEFAULT '';

-- The outbox's delivery attempts: what the provider answered, and when.
ALTER TABLE deliveries ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN response_status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN response_body TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN sent_at INTEGER;
ALTER TABLE deliveries ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deliveries_kind_status ON deliveries (kind, status, id);
