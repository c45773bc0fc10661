-- Why: every accepted event is kept as it came, late ones included, so the state of a device can
-- be explained and an administrator sees its last events. Partitioned by month of the event
-- time (V6) so old history is dropped a month at a time.
CREATE TABLE IF NOT EXISTS device_event (
    event_time   timestamptz NOT NULL,
    event_id     text        COLLATE "C" NOT NULL,
    device_id    text        COLLATE "C" NOT NULL,
    type         text        NOT NULL,
    source       text        NOT NULL,
    channel      text        NOT NULL,
    late         boolean     NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    data         jsonb,
    CONSTRAINT device_event_channel_known CHECK (channel IN ('KAFKA', 'HTTP'))
) PARTITION BY RANGE (event_time);

CREATE INDEX IF NOT EXISTS device_event_device_idx ON device_event (device_id, event_time DESC);

COMMENT ON COLUMN device_event.late IS 'Older than the newest event already applied to the device when it arrived; kept here, state untouched by it.';
