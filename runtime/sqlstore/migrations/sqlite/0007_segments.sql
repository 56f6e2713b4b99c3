-- journey runtime schema, version 7: segment memberships.

-- A contact's membership of a segment: a static segment's, which
-- modify_segments writes, or a dynamic one's, which the engine writes when
-- the contact comes to match its where (and deletes when it stops). The
-- primary key finds a contact's memberships at each of its steps;
-- segment_members_segment counts a segment's members without reading
-- anyone else's.
CREATE TABLE segment_members (
  contact_id INTEGER NOT NULL,
  segment    TEXT    NOT NULL,
  entered_at INTEGER NOT NULL,
  PRIMARY KEY (contact_id, segment)
);
CREATE INDEX segment_members_segment ON segment_members (segment);
