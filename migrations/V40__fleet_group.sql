-- Why: an assessment must cost in the number of trust situations, not devices (issue 12,
-- service/docs/adr/0504-assessments-read-counted-fleet-groups.md). Devices that fare the same in
-- every assessment (same trust profile, pool and dialled FQDN, active) form a fleet group. The
-- database keeps, for every group, its device count and the history of which devices were in it,
-- stamped with the IDs of the transactions that moved them, so that an assessment reads a few
-- thousand counts in one snapshot and can later list exactly the devices that snapshot saw.
-- Triggers on device keep both in the transaction that changes a device: no writer can forget.

CREATE OR REPLACE FUNCTION fleet_group_key(profile_hash text, pool text, dialed_fqdn text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Stored values never contain control characters (ingestion refuses them): U+0001 stands for
    -- an unknown value, so that NULL and a value never share a key.
    SELECT coalesce(profile_hash, E'\x01') || E'\n' || coalesce(pool, E'\x01') || E'\n'
        || coalesce(dialed_fqdn, E'\x01')
$$;

CREATE TABLE IF NOT EXISTS fleet_group (
    group_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_key    text COLLATE "C" NOT NULL UNIQUE,
    profile_hash text COLLATE "C",
    pool         text,
    dialed_fqdn  text,
    device_count bigint NOT NULL DEFAULT 0
);

COMMENT ON COLUMN fleet_group.device_count IS
    'Active devices in the group, except the changes still in fleet_group_delta (add them).';

-- Writers append count changes instead of updating the group rows: two consumers touching the same
-- popular group would otherwise wait on each other's row lock until commit. FleetGroupCounts folds
-- them into fleet_group.device_count every few seconds.
CREATE TABLE IF NOT EXISTS fleet_group_delta (
    group_id bigint NOT NULL,
    delta    bigint NOT NULL
);

-- joined_xid and left_xid are the transactions that put the device in the group and took it out.
-- A stored pg_snapshot says which of them had committed: membership "as the assessment saw it".
CREATE TABLE IF NOT EXISTS fleet_group_member (
    group_id   bigint NOT NULL,
    device_id  text COLLATE "C" NOT NULL,
    joined_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    left_xid   xid8
);

-- Device pages walk a group in device order; left_xid is in no index, so closing a membership can
-- be a HOT update.
CREATE INDEX IF NOT EXISTS fleet_group_member_list_idx ON fleet_group_member (group_id, device_id);
CREATE INDEX IF NOT EXISTS fleet_group_member_device_idx ON fleet_group_member (device_id);

CREATE OR REPLACE FUNCTION fleet_group_member_in(snapshot pg_snapshot, joined_xid xid8, left_xid xid8)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_visible_in_snapshot(joined_xid, snapshot)
       AND (left_xid IS NULL OR NOT pg_visible_in_snapshot(left_xid, snapshot))
$$;

CREATE OR REPLACE FUNCTION fleet_group_follow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fleet_group (group_key, profile_hash, pool, dialed_fqdn)
    SELECT DISTINCT fleet_group_key(n.profile_hash, n.pool, n.dialed_fqdn), n.profile_hash, n.pool,
           n.dialed_fqdn
      FROM new_devices n
     WHERE n.active
    ON CONFLICT (group_key) DO NOTHING;
    WITH opened AS (
        INSERT INTO fleet_group_member (group_id, device_id)
        SELECT g.group_id, n.device_id
          FROM new_devices n
          JOIN fleet_group g ON g.group_key = fleet_group_key(n.profile_hash, n.pool, n.dialed_fqdn)
         WHERE n.active
        RETURNING group_id)
    INSERT INTO fleet_group_delta (group_id, delta)
    SELECT group_id, count(*) FROM opened GROUP BY group_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fleet_group_follow_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Two statements: the second must see the groups the first created, also those another
    -- writer created meanwhile (the first one's ON CONFLICT waits for it).
    INSERT INTO fleet_group (group_key, profile_hash, pool, dialed_fqdn)
    SELECT DISTINCT fleet_group_key(n.profile_hash, n.pool, n.dialed_fqdn), n.profile_hash, n.pool,
           n.dialed_fqdn
      FROM new_devices n
      JOIN old_devices o ON o.device_id = n.device_id
     WHERE n.active
       AND (NOT o.active
            OR o.profile_hash IS DISTINCT FROM n.profile_hash
            OR o.pool IS DISTINCT FROM n.pool
            OR o.dialed_fqdn IS DISTINCT FROM n.dialed_fqdn)
    ON CONFLICT (group_key) DO NOTHING;
    WITH moved AS (
        SELECT n.device_id, n.active AS is_active,
               fleet_group_key(n.profile_hash, n.pool, n.dialed_fqdn) AS new_key
          FROM new_devices n
          JOIN old_devices o ON o.device_id = n.device_id
         WHERE o.active IS DISTINCT FROM n.active
            OR o.profile_hash IS DISTINCT FROM n.profile_hash
            OR o.pool IS DISTINCT FROM n.pool
            OR o.dialed_fqdn IS DISTINCT FROM n.dialed_fqdn),
    undone AS (
        -- A membership opened by this very transaction was never seen by anyone: drop it.
        DELETE FROM fleet_group_member m
         USING moved c
         WHERE m.device_id = c.device_id AND m.left_xid IS NULL
           AND m.joined_xid = pg_current_xact_id()
        RETURNING m.group_id),
    closed AS (
        UPDATE fleet_group_member m SET left_xid = pg_current_xact_id()
          FROM moved c
         WHERE m.device_id = c.device_id AND m.left_xid IS NULL
           AND m.joined_xid <> pg_current_xact_id()
        RETURNING m.group_id),
    opened AS (
        INSERT INTO fleet_group_member (group_id, device_id)
        SELECT g.group_id, c.device_id
          FROM moved c JOIN fleet_group g ON g.group_key = c.new_key
         WHERE c.is_active
        RETURNING group_id),
    moves AS (
        SELECT group_id, -1 AS delta FROM undone
        UNION ALL SELECT group_id, -1 FROM closed
        UNION ALL SELECT group_id, 1 FROM opened)
    INSERT INTO fleet_group_delta (group_id, delta)
    SELECT group_id, sum(delta) FROM moves GROUP BY group_id HAVING sum(delta) <> 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fleet_group_follow_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH closed AS (
        UPDATE fleet_group_member m SET left_xid = pg_current_xact_id()
          FROM old_devices o
         WHERE m.device_id = o.device_id AND m.left_xid IS NULL
        RETURNING m.group_id)
    INSERT INTO fleet_group_delta (group_id, delta)
    SELECT group_id, -count(*) FROM closed GROUP BY group_id;
    RETURN NULL;
END
$$;

-- TRUNCATE fires no row or DELETE triggers; every open membership ends with it.
CREATE OR REPLACE FUNCTION fleet_group_follow_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH closed AS (
        UPDATE fleet_group_member SET left_xid = pg_current_xact_id()
         WHERE left_xid IS NULL
        RETURNING group_id)
    INSERT INTO fleet_group_delta (group_id, delta)
    SELECT group_id, -count(*) FROM closed GROUP BY group_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER device_fleet_group_insert AFTER INSERT ON device
    REFERENCING NEW TABLE AS new_devices
    FOR EACH STATEMENT EXECUTE FUNCTION fleet_group_follow_insert();
CREATE OR REPLACE TRIGGER device_fleet_group_update AFTER UPDATE ON device
    REFERENCING OLD TABLE AS old_devices NEW TABLE AS new_devices
    FOR EACH STATEMENT EXECUTE FUNCTION fleet_group_follow_update();
CREATE OR REPLACE TRIGGER device_fleet_group_delete AFTER DELETE ON device
    REFERENCING OLD TABLE AS old_devices
    FOR EACH STATEMENT EXECUTE FUNCTION fleet_group_follow_delete();
CREATE OR REPLACE TRIGGER device_fleet_group_truncate AFTER TRUNCATE ON device
    FOR EACH STATEMENT EXECUTE FUNCTION fleet_group_follow_truncate();

-- Devices stored before this migration join their groups once.
INSERT INTO fleet_group (group_key, profile_hash, pool, dialed_fqdn)
SELECT DISTINCT fleet_group_key(d.profile_hash, d.pool, d.dialed_fqdn), d.profile_hash, d.pool,
       d.dialed_fqdn
  FROM device d
 WHERE d.active
ON CONFLICT (group_key) DO NOTHING;

WITH opened AS (
    INSERT INTO fleet_group_member (group_id, device_id)
    SELECT g.group_id, d.device_id
      FROM device d
      JOIN fleet_group g ON g.group_key = fleet_group_key(d.profile_hash, d.pool, d.dialed_fqdn)
     WHERE d.active
       AND NOT EXISTS (SELECT 1 FROM fleet_group_member m
                        WHERE m.device_id = d.device_id AND m.left_xid IS NULL)
    RETURNING group_id)
INSERT INTO fleet_group_delta (group_id, delta)
SELECT group_id, count(*) FROM opened GROUP BY group_id;
