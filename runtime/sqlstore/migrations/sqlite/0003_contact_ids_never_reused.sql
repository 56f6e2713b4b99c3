-- journey runtime schema, version 3: a contact's ID is never given again.
-- Without AUTOINCREMENT, SQLite gives a new row the largest ID in the table
-- plus one, so deleting the newest contact handed its ID to the next
-- contact created: an API call, a retried event or a queued job naming the
-- deleted contact would reach someone else. SQLite cannot add AUTOINCREMENT
-- to a table, so the table is rebuilt; its sequence starts at the largest
-- ID it holds (an ID deleted from the end of the table before this
-- migration cannot be known, and may be given once more).
CREATE TABLE contacts_v3 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  email       TEXT    NOT NULL DEFAULT '',
  fields      TEXT    NOT NULL DEFAULT '{}',
  tags        TEXT    NOT NULL DEFAULT '[]',
  points      REAL    NOT NULL DEFAULT 0,
  stage       TEXT    NOT NULL DEFAULT '',
  owner       TEXT    NOT NULL DEFAULT '',
  dnc         TEXT    NOT NULL DEFAULT '[]',
  created_at  INTEGER NOT NULL,
  external_id TEXT    NOT NULL DEFAULT ''
);
INSERT INTO contacts_v3 (id, email, fields, tags, points, stage, owner, dnc, created_at, external_id)
  SELECT id, email, fields, tags, points, stage, owner, dnc, created_at, external_id FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_v3 RENAME TO contacts;
CREATE INDEX contacts_email ON contacts (email);
