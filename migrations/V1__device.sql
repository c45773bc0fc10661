-- Why: every prediction starts from the inventory of devices. This is the first table; later
-- migrations add what the devices trust, their events and their sign-in outcomes.
CREATE TABLE device (
    device_id       text        PRIMARY KEY,
    model           text,
    family          text,
    firmware_build  text,
    site            text,
    user_agent      text,
    state_time      timestamptz,
    retired_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT device_id_is_normalised_mac
        CHECK (device_id ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')
);

COMMENT ON TABLE device IS 'One row per phone, keyed by its MAC address in lower case with colons.';
COMMENT ON COLUMN device.state_time IS 'Event time of the newest event applied to this row; older events never overwrite it.';
