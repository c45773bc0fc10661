-- Why: events that cannot be taken (schema violations, unparseable PEM, unknown types) must not
-- block their partition, yet someone has to see and fix them. Each lands here with the reason,
-- next to the copy on the dead-letter topic, and GET /api/v1/rejected-events lists them.
CREATE TABLE IF NOT EXISTS rejected_event (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rejected_at        timestamptz NOT NULL DEFAULT now(),
    channel            text        NOT NULL,
    topic              text,
    kafka_partition    integer,
    kafka_offset       bigint,
    event_id           text,
    event_type         text,
    subject            text,
    reason             text        NOT NULL,
    detail             text        NOT NULL,
    payload            text,
    payload_truncated  boolean     NOT NULL DEFAULT false,
    headers            jsonb,
    CONSTRAINT rejected_event_channel_known CHECK (channel IN ('KAFKA', 'HTTP'))
);

-- A Kafka record redelivered after a crash is rejected once.
CREATE UNIQUE INDEX IF NOT EXISTS rejected_event_kafka_record
    ON rejected_event (topic, kafka_partition, kafka_offset) WHERE channel = 'KAFKA';

CREATE INDEX IF NOT EXISTS rejected_event_time_idx ON rejected_event (rejected_at);
