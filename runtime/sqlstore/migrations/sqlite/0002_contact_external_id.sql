-- journey runtime schema, version 2: the client's own id for a contact
-- (external_id in the API and in contact files). Choices that must be
-- stable per contact (a split's arm, a weighted router's user) hash it
-- before the email. The engine never changes it, so saving a contact does
-- not write it.
ALTER TABLE contacts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
