-- journey runtime schema, version 7: keyed entries and the event each
-- entry came with (migrations/sqlite/0007_entries.sql says what each is).

ALTER TABLE enrollments ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';
