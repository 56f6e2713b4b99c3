-- journey runtime schema, version 2: the client's own id for a contact
-- (migrations/sqlite/0002_contact_external_id.sql says why).
ALTER TABLE contacts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
