-- Why: whether a device actually signed in, and why not, is the ground truth a prediction is
-- later backtested against. One typed row per device.registered event, partitioned like the
-- history so the two are pruned together.
CREATE TABLE IF NOT EXISTS sign_in_outcome (
    event_time      timestamptz NOT NULL,
    event_id        text        COLLATE "C" NOT NULL,
    device_id       text        COLLATE "C" NOT NULL,
    outcome         text        NOT NULL,
    failure_reason  text,
    tls_alert       integer,
    pool            text,
    dialed_fqdn     text,
    site            text,
    model           text,
    firmware_build  text,
    CONSTRAINT sign_in_outcome_known CHECK (outcome IN ('SUCCESS', 'FAILURE'))
) PARTITION BY RANGE (event_time);

CREATE INDEX IF NOT EXISTS sign_in_outcome_device_idx ON sign_in_outcome (device_id, event_time DESC);

COMMENT ON COLUMN sign_in_outcome.model IS 'Model and firmware as this sign-in reported them (or its User-Agent named them).';
