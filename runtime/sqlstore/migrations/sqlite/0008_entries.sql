-- journey runtime schema, version 8: keyed entries and the event each
-- entry came with.

-- A keyed campaign (a trigger with key = event.NAME) holds one enrollment
-- per contact and key at a time; entry_key (version 4) holds the key. The
-- properties are those of the event the contact entered with (or of the
-- goal that moved it last): the waits and messages on its path read them.
ALTER TABLE enrollments ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';
