-- journey runtime schema, version 7: segment memberships
-- (migrations/sqlite/0007_segments.sql says what each is).
CREATE TABLE segment_members (
  contact_id BIGINT NOT NULL,
  segment    TEXT   NOT NULL,
  entered_at BIGINT NOT NULL,
  PRIMARY KEY (contact_id, segment)
);
CREATE INDEX segment_members_segment ON segment_members (segment);
