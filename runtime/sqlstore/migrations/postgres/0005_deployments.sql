-- journey runtime schema, version 5: applying new plan versions
-- (migrations/sqlite/0005_deployments.sql says what each is). Every engine
-- transaction reads deployment_head FOR SHARE and an apply FOR UPDATE, so
-- that no step straddles two plan versions.
CREATE TABLE deployment_head (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  serial BIGINT  NOT NULL
);
INSERT INTO deployment_head (id, serial) SELECT 1, COALESCE(MAX(serial), 0) FROM deployments;

ALTER TABLE deployments ADD COLUMN applied_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deployments ADD COLUMN summary    TEXT NOT NULL DEFAULT '{}';
