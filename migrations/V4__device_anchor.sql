-- Why: what a device trusts decides whether it signs in after a change. Each anchor it holds is
-- kept with where it came from and the event that brought it, so a factory reset can drop the
-- downloaded ones and keep the firmware built-ins, and an administrator can see why it is there.
CREATE TABLE IF NOT EXISTS device_anchor (
    device_id   text        COLLATE "C" NOT NULL REFERENCES device (device_id),
    sha256      text        COLLATE "C" NOT NULL REFERENCES ca_certificate (sha256),
    provenance  text        NOT NULL,
    event_id    text        NOT NULL,
    event_time  timestamptz NOT NULL,
    PRIMARY KEY (device_id, sha256, provenance),
    CONSTRAINT device_anchor_provenance_known CHECK (provenance IN
        ('FIRMWARE', 'PROVISIONING_SERVICE', 'ACTIVE_DIRECTORY', 'VENDOR_PROFILE', 'REPORTED'))
);

COMMENT ON COLUMN device_anchor.event_time IS 'Time of the newest event that brought this anchor with this provenance.';
