-- journey runtime schema, version 1, on PostgreSQL: the tables and columns
-- of migrations/sqlite/0001_init.sql, which says what each keeps. Ids are
-- BIGSERIAL (never given twice), times BIGINT Unix seconds (UTC), JSON is
-- TEXT and flags INTEGER as on SQLite, so that the queries are the same.

CREATE TABLE deployments (
  serial     BIGINT PRIMARY KEY,
  hash       TEXT   NOT NULL,
  plan       TEXT   NOT NULL,
  applied_at BIGINT NOT NULL
);

CREATE TABLE contacts (
  id         BIGSERIAL PRIMARY KEY,
  email      TEXT   NOT NULL DEFAULT '',
  fields     TEXT   NOT NULL DEFAULT '{}',
  tags       TEXT   NOT NULL DEFAULT '[]',
  points     DOUBLE PRECISION NOT NULL DEFAULT 0,
  stage      TEXT   NOT NULL DEFAULT '',
  owner      TEXT   NOT NULL DEFAULT '',
  dnc        TEXT   NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);
CREATE INDEX contacts_email ON contacts (email);

CREATE TABLE enrollments (
  id         BIGSERIAL PRIMARY KEY,
  contact_id BIGINT  NOT NULL,
  kind       TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  status     TEXT    NOT NULL,
  entered_at BIGINT  NOT NULL,
  entries    INTEGER NOT NULL,
  returned   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enrollments_contact ON enrollments (contact_id);
CREATE INDEX enrollments_map ON enrollments (kind, name, status);

CREATE TABLE tokens (
  id            BIGSERIAL PRIMARY KEY,
  enrollment_id BIGINT NOT NULL,
  contact_id    BIGINT NOT NULL,
  element       TEXT   NOT NULL,
  state         TEXT   NOT NULL,
  due_at        BIGINT,
  arrived_at    BIGINT NOT NULL,
  waiting_on    BIGINT NOT NULL DEFAULT 0,
  data          TEXT   NOT NULL DEFAULT '{}'
);
CREATE INDEX tokens_due ON tokens (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX tokens_contact ON tokens (contact_id);
CREATE INDEX tokens_enrollment ON tokens (enrollment_id);

CREATE TABLE timeline (
  id         BIGSERIAL PRIMARY KEY,
  contact_id BIGINT NOT NULL,
  at         BIGINT NOT NULL,
  campaign   TEXT   NOT NULL DEFAULT '',
  sequence   TEXT   NOT NULL DEFAULT '',
  element    TEXT   NOT NULL DEFAULT '',
  kind       TEXT   NOT NULL DEFAULT '',
  outcome    TEXT   NOT NULL,
  detail     TEXT,
  plan_hash  TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX timeline_contact ON timeline (contact_id, id);

CREATE TABLE deliveries (
  id         BIGSERIAL PRIMARY KEY,
  contact_id BIGINT  NOT NULL,
  kind       TEXT    NOT NULL,
  asset      TEXT    NOT NULL DEFAULT '',
  source     TEXT    NOT NULL DEFAULT '',
  key        TEXT    NOT NULL,
  marketing  INTEGER NOT NULL DEFAULT 0,
  payload    TEXT    NOT NULL DEFAULT '{}',
  status     TEXT    NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT  NOT NULL,
  UNIQUE (contact_id, key)
);
CREATE INDEX deliveries_status ON deliveries (status, id);

CREATE TABLE marketing_sent (
  contact_id BIGINT NOT NULL,
  email      TEXT   NOT NULL,
  PRIMARY KEY (contact_id, email)
);

CREATE TABLE records (
  id         BIGSERIAL PRIMARY KEY,
  contact_id BIGINT NOT NULL,
  kind       TEXT   NOT NULL,
  name       TEXT   NOT NULL DEFAULT '',
  status     TEXT   NOT NULL DEFAULT '',
  at         BIGINT,
  data       TEXT   NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL
);
CREATE INDEX records_contact ON records (contact_id, kind);
CREATE INDEX records_list ON records (kind, name, status);

CREATE TABLE router_turns (
  name TEXT   PRIMARY KEY,
  next BIGINT NOT NULL
);
