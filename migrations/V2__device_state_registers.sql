-- Why: a late event must never overwrite newer state, yet the parts of a device's state move
-- independently (a sign-in carries no anchors, a provisioning step no firmware). Each part gets
-- the event time that last set it, so the newest event for that part wins whatever order the
-- events arrive in, and a replayed or late event changes nothing it should not.
ALTER TABLE device
    ADD COLUMN IF NOT EXISTS vendor              text,
    ADD COLUMN IF NOT EXISTS vendor_at           timestamptz,
    ADD COLUMN IF NOT EXISTS model_at            timestamptz,
    ADD COLUMN IF NOT EXISTS firmware_at         timestamptz,
    ADD COLUMN IF NOT EXISTS user_agent_at       timestamptz,
    ADD COLUMN IF NOT EXISTS site_at             timestamptz,
    ADD COLUMN IF NOT EXISTS pool                text,
    ADD COLUMN IF NOT EXISTS dialed_fqdn         text,
    ADD COLUMN IF NOT EXISTS last_outcome        text,
    ADD COLUMN IF NOT EXISTS last_failure_reason text,
    ADD COLUMN IF NOT EXISTS last_tls_alert      integer,
    ADD COLUMN IF NOT EXISTS last_sign_in_site   text,
    ADD COLUMN IF NOT EXISTS last_sign_in_event  text,
    ADD COLUMN IF NOT EXISTS registered_at       timestamptz,
    ADD COLUMN IF NOT EXISTS provisioning_method text,
    ADD COLUMN IF NOT EXISTS provisioned_at      timestamptz,
    ADD COLUMN IF NOT EXISTS anchors_reset_at    timestamptz,
    ADD COLUMN IF NOT EXISTS reported_at         timestamptz,
    ADD COLUMN IF NOT EXISTS first_seen_at       timestamptz,
    ADD COLUMN IF NOT EXISTS row_version         bigint NOT NULL DEFAULT 0;

-- A retired phone that signs in or provisions again after its retirement is back in service.
ALTER TABLE device
    ADD COLUMN IF NOT EXISTS active boolean NOT NULL GENERATED ALWAYS AS (
        retired_at IS NULL
        OR retired_at < greatest(coalesce(registered_at, '-infinity'),
                                 coalesce(provisioned_at, '-infinity'))) STORED;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'device_last_outcome_known') THEN
        ALTER TABLE device ADD CONSTRAINT device_last_outcome_known
            CHECK (last_outcome IN ('SUCCESS', 'FAILURE'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'device_provisioning_method_known') THEN
        ALTER TABLE device ADD CONSTRAINT device_provisioning_method_known
            CHECK (provisioning_method IN ('PIN_AUTH', 'USB_TETHER', 'AD_CREDENTIALS', 'VENDOR_PROFILE'));
    END IF;
END
$$;

-- Most writes touch only the time and sign-in columns, none indexed: with half of each page free
-- those updates stay HOT (no index maintenance), which measurably matters at ingestion rates.
ALTER TABLE device SET (fillfactor = 50);

-- The filters of GET /devices, each walked in device_id order for cursor paging.
CREATE INDEX IF NOT EXISTS device_model_idx    ON device (model, device_id);
CREATE INDEX IF NOT EXISTS device_firmware_idx ON device (firmware_build, device_id);
CREATE INDEX IF NOT EXISTS device_site_idx     ON device (site, device_id);

COMMENT ON COLUMN device.model_at IS 'Event time of the event that last set model.';
COMMENT ON COLUMN device.vendor IS 'Hardware vendor, when a recognised User-Agent names it.';
COMMENT ON COLUMN device.registered_at IS 'Event time of the newest sign-in attempt; pool, dialed_fqdn and last_* describe it.';
COMMENT ON COLUMN device.first_seen_at IS 'Event time of the oldest event seen for the device.';
COMMENT ON COLUMN device.row_version IS 'Bumped by every write: a writer that read an older version retries its batch.';
COMMENT ON COLUMN device.provisioning_method IS 'Method of the newest provisioning step: the path the device re-provisions by.';
COMMENT ON COLUMN device.anchors_reset_at IS 'Newest factory reset: downloaded anchors brought before it are gone.';
COMMENT ON COLUMN device.reported_at IS 'Newest full trust-store report: REPORTED anchors older than it are gone.';
COMMENT ON COLUMN device.active IS 'False once retired, unless seen signing in or provisioning after the retirement.';
