-- Why: every message for the ITSM tools (an assessment's change-risk record, a compliance ticket's
-- transitions) is written here in the same transaction as the state that caused it, so a crash can
-- never store the state without its message or send a message for state that was rolled back. The
-- relay sends what is here and marks each delivery sent; a crash between the two re-sends, and
-- receivers drop the repeat by the message ID (the CloudEvent id, the webhook-id header). `event`
-- is json, not jsonb: it keeps the bytes as built, which is what is signed and sent.
CREATE TABLE IF NOT EXISTS itsm_outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  uuid        NOT NULL UNIQUE,
    type        text        NOT NULL,
    subject     text        NOT NULL,
    dedup_key   text        NOT NULL,
    change_ref  text,
    event       json        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS itsm_outbox_subject_idx ON itsm_outbox (subject);

-- One row per message and transport (Kafka, each webhook) it is to be sent by, created with the
-- message for the transports configured then. dedup_key is copied from the message so the relay
-- finds in one index whether an earlier message of the same key is still unsent there: messages
-- of one key leave in the order they were written, and a dead letter holds back the ones after it
-- until it is replayed.
CREATE TABLE IF NOT EXISTS itsm_delivery (
    outbox_id        bigint      NOT NULL REFERENCES itsm_outbox (id) ON DELETE CASCADE,
    target           text        NOT NULL,
    dedup_key        text        NOT NULL,
    status           text        NOT NULL DEFAULT 'PENDING',
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    sent_at          timestamptz,
    dead_at          timestamptz,
    PRIMARY KEY (outbox_id, target),
    CONSTRAINT itsm_delivery_status_known CHECK (status IN ('PENDING', 'SENT', 'DEAD'))
);

CREATE INDEX IF NOT EXISTS itsm_delivery_due_idx
    ON itsm_delivery (target, next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX IF NOT EXISTS itsm_delivery_unsent_key_idx
    ON itsm_delivery (target, dedup_key, outbox_id) WHERE status <> 'SENT';
