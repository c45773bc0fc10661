-- Why: a device re-provisions by the method it used last, and which methods it ever used tells
-- an administrator which remediation can reach it (PIN authentication, USB tethering ...).
CREATE TABLE IF NOT EXISTS device_provisioning (
    device_id      text        COLLATE "C" NOT NULL REFERENCES device (device_id),
    method         text        NOT NULL,
    first_at       timestamptz NOT NULL,
    last_at        timestamptz NOT NULL,
    last_event_id  text        NOT NULL,
    last_site      text,
    events         integer     NOT NULL,
    PRIMARY KEY (device_id, method),
    CONSTRAINT device_provisioning_method_known CHECK (method IN
        ('PIN_AUTH', 'USB_TETHER', 'AD_CREDENTIALS', 'VENDOR_PROFILE'))
);
