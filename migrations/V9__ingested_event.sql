-- Why: Kafka delivers at least once and HTTP clients retry. An event id seen before must change
-- nothing, but the history is partitioned by time and PostgreSQL cannot make an id unique across
-- partitions. This small table is the idempotency gate; it is pruned with the history.
CREATE TABLE IF NOT EXISTS ingested_event (
    event_id    text        COLLATE "C" PRIMARY KEY,
    event_time  timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ingested_event_time_brin ON ingested_event USING brin (event_time);
