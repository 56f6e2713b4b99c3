-- journey runtime schema, version 1.
-- Times are Unix seconds (UTC); ids are 64-bit. The same tables exist on
-- PostgreSQL (migrations/postgres) with BIGSERIAL ids and the same queries.

CREATE TABLE deployments (
  serial     INTEGER PRIMARY KEY,
  hash       TEXT    NOT NULL,
  plan       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL
);

CREATE TABLE contacts (
  id         INTEGER PRIMARY KEY,
  email      TEXT    NOT NULL DEFAULT '',
  fields     TEXT    NOT NULL DEFAULT '{}',
  tags       TEXT    NOT NULL DEFAULT '[]',
  points     REAL    NOT NULL DEFAULT 0,
  stage      TEXT    NOT NULL DEFAULT '',
  owner      TEXT    NOT NULL DEFAULT '',
  dnc        TEXT    NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE INDEX contacts_email ON contacts (email);

CREATE TABLE enrollments (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  status     TEXT    NOT NULL,
  entered_at INTEGER NOT NULL,
  entries    INTEGER NOT NULL,
  returned   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enrollments_contact ON enrollments (contact_id);
CREATE INDEX enrollments_map ON enrollments (kind, name, status);

-- A contact's positions: the element or step it stands on. Pending waits
-- are the rows with a due_at; the partial index keeps finding the next due
-- ones proportional to what is due, not to what is pending.
CREATE TABLE tokens (
  id            INTEGER PRIMARY KEY,
  enrollment_id INTEGER NOT NULL,
  contact_id    INTEGER NOT NULL,
  element       TEXT    NOT NULL,
  state         TEXT    NOT NULL,
  due_at        INTEGER,
  arrived_at    INTEGER NOT NULL,
  waiting_on    INTEGER NOT NULL DEFAULT 0,
  data          TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX tokens_due ON tokens (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX tokens_contact ON tokens (contact_id);
CREATE INDEX tokens_enrollment ON tokens (enrollment_id);

CREATE TABLE timeline (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  campaign   TEXT    NOT NULL DEFAULT '',
  sequence   TEXT    NOT NULL DEFAULT '',
  element    TEXT    NOT NULL DEFAULT '',
  kind       TEXT    NOT NULL DEFAULT '',
  outcome    TEXT    NOT NULL,
  detail     TEXT,
  plan_hash  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX timeline_contact ON timeline (contact_id, id);

-- The outbox: every delivery a step produced, with its status. A key is
-- unique per contact (it begins with the contact's id); keeping the
-- unique index in contact order puts a step's insert next to the
-- contact's other deliveries instead of at a random page of an index as
-- large as the outbox, and serves the contact's own listing too.
CREATE TABLE deliveries (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  asset      TEXT    NOT NULL DEFAULT '',
  source     TEXT    NOT NULL DEFAULT '',
  key        TEXT    NOT NULL,
  marketing  INTEGER NOT NULL DEFAULT 0,
  payload    TEXT    NOT NULL DEFAULT '{}',
  status     TEXT    NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (contact_id, key)
);
CREATE INDEX deliveries_status ON deliveries (status, id);

-- Marketing emails go once per contact.
CREATE TABLE marketing_sent (
  contact_id INTEGER NOT NULL,
  email      TEXT    NOT NULL,
  PRIMARY KEY (contact_id, email)
);

-- Tasks, notes, appointments, opportunities, purchases, orders,
-- fulfillment rows, lead-router assignments.
CREATE TABLE records (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  name       TEXT    NOT NULL DEFAULT '',
  status     TEXT    NOT NULL DEFAULT '',
  at         INTEGER,
  data       TEXT    NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX records_contact ON records (contact_id, kind);
CREATE INDEX records_list ON records (kind, name, status);

CREATE TABLE router_turns (
  name TEXT    PRIMARY KEY,
  next INTEGER NOT NULL
);
