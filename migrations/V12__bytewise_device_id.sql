-- Why: device IDs are compared millions of times a day (every upsert, every history lookup) and
-- never sorted for people. Under the database's default collation each comparison goes through
-- the locale; with COLLATE "C" it is a byte comparison, which is what a MAC address needs. The
-- other key columns (event ids, fingerprints, profile hashes) are declared this way where they
-- are created.
ALTER TABLE device ALTER COLUMN device_id TYPE text COLLATE "C";
