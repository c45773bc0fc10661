-- Why: a million devices fall into a few thousand distinct trust situations. Devices with the
-- same model, firmware build, latest provisioning method, site and held anchors (with provenance)
-- share a profile hash, so the engine evaluates each profile once and the API groups by it.
-- See service/docs/adr/0502-trust-profile-hash.md for the canonical text that is hashed.
CREATE TABLE IF NOT EXISTS trust_profile (
    profile_hash         text        PRIMARY KEY,
    canonical            text        NOT NULL,
    model                text,
    firmware_build       text,
    provisioning_method  text,
    site                 text,
    anchors              jsonb       NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT trust_profile_hash_is_hex CHECK (profile_hash ~ '^[0-9a-f]{64}$')
);

ALTER TABLE device ADD COLUMN IF NOT EXISTS profile_hash text;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'device_profile_hash_fkey') THEN
        -- Checked at commit: the profile row and the device row are written in one transaction.
        ALTER TABLE device ADD CONSTRAINT device_profile_hash_fkey FOREIGN KEY (profile_hash)
            REFERENCES trust_profile (profile_hash) DEFERRABLE INITIALLY DEFERRED;
    END IF;
END
$$;

CREATE INDEX IF NOT EXISTS device_profile_idx ON device (profile_hash);

COMMENT ON COLUMN trust_profile.anchors IS 'Held anchors as [{"sha256": …, "provenance": …}], sorted as in the canonical text.';
