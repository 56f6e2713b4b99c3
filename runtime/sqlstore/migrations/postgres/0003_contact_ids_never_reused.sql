-- journey runtime schema, version 3: a contact's ID is never given again.
-- SQLite's table had to be rebuilt with AUTOINCREMENT for that; a
-- BIGSERIAL never gives a value twice, so PostgreSQL has nothing to do.
-- The version stays, so that both databases count the same versions.
SELECT 1;
