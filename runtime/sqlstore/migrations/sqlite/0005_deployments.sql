-- journey runtime schema, version 5: applying new plan versions.

-- The deployment every step runs: one row, the serial of the newest
-- deployment. An apply changes it in the transaction that migrates the
-- contacts; every step reads it first, so that a node still holding the
-- old plan loads the new one before it moves anybody (on PostgreSQL the
-- step reads it FOR SHARE and the apply updates it, so that no step
-- straddles two versions).
CREATE TABLE deployment_head (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  serial INTEGER NOT NULL
);
INSERT INTO deployment_head (id, serial) SELECT 1, COALESCE(MAX(serial), 0) FROM deployments;

-- Who applied each deployment (the token's name) and what it changed.
ALTER TABLE deployments ADD COLUMN applied_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deployments ADD COLUMN summary    TEXT NOT NULL DEFAULT '{}';
