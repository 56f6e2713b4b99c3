-- journey runtime schema, version 8: keyed entries and the event each
-- entry came with (migrations/sqlite/0008_entries.sql says what each is).

ALTER TABLE enrollments ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';
