-- Why: a million devices fall into a few thousand distinct trust situations. Devices with the
-- same model, firmware build, latest provisioning method, site and held anchors (with provenance)
-- share a profile hash, so the engine evaluates each profile once and the API groups by it.
-- See service/docs/adr/0502-trust-profile-hash.md for the canonical text that is hashed.
CREATE TABLE IF NOT EXISTS trust_profile (
    profile_hash         text        COLLATE "C" PRIMARY KEY,
    canonical            text        NOT NULL,
    model                text,
    firmware_build       text,
    provisioning_method  text,
    site                 text,
    anchors              jsonb       NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT trust_profile_hash_is_hex CHECK (profile_hash ~ '^[0-9a-f]{64}$')
);

-- No foreign key from device: a deferred check per new device costs more than the whole insert,
-- and the writer stores the profile row in the same transaction as the hash that names it.
ALTER TABLE device ADD COLUMN IF NOT EXISTS profile_hash text COLLATE "C";

CREATE INDEX IF NOT EXISTS device_profile_idx ON device (profile_hash);

COMMENT ON COLUMN trust_profile.anchors IS 'Held anchors as [{"sha256": …, "provenance": …}], sorted as in the canonical text.';
