-- Why: events that cannot be taken (schema violations, unparseable PEM, unknown types) must not
-- block their partition, yet someone has to see and fix them. Each lands here with the reason,
-- next to the copy on the dead-letter topic, and GET /api/v1/rejected-events lists them.
CREATE TABLE IF NOT EXISTS rejected_event (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    received_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    channel            text        NOT NULL,
    topic              text,
    kafka_partition    integer,
    kafka_offset       bigint,
    event_id           text,
    event_type         text,
    subject            text,
    reason             text        NOT NULL,
    message            text        NOT NULL,
    field              text,
    payload            text        NOT NULL,
    payload_truncated  boolean     NOT NULL,
    headers            jsonb,
    CONSTRAINT rejected_event_channel_known CHECK (channel IN ('KAFKA', 'HTTP'))
);

-- A Kafka record redelivered after a crash is rejected once.
CREATE UNIQUE INDEX IF NOT EXISTS rejected_event_kafka_record
    ON rejected_event (topic, kafka_partition, kafka_offset) WHERE channel = 'KAFKA';

-- Newest first, the order the API lists them in.
CREATE INDEX IF NOT EXISTS rejected_event_received_idx ON rejected_event (received_at DESC, id DESC);

COMMENT ON COLUMN rejected_event.payload IS 'The event as received, UTF-8 with invalid bytes replaced, cut at 64 KiB.';
COMMENT ON COLUMN rejected_event.field IS 'JSONPath of the offending value within the event, when there is one.';
