-- Why: a compliance violation is one ITSM ticket per (rule, model, build) that opens once, is
-- updated when its counts change and resolves when the nightly report no longer finds it. The
-- feed diffs each report against the violations open here, so a violation that persists sends
-- nothing and two runs over the same input send nothing the second time. Resolved violations are
-- deleted; their history is the outbox.
CREATE TABLE IF NOT EXISTS itsm_open_violation (
    dedup_key    text        PRIMARY KEY,
    rule         text        NOT NULL,
    model        text        NOT NULL,
    build        text        NOT NULL,
    devices      integer     NOT NULL,
    counts       jsonb       NOT NULL,
    summary      text        NOT NULL,
    device_list  text        NOT NULL,
    report_id    text        NOT NULL,
    opened_at    timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS itsm_open_violation_order_idx ON itsm_open_violation (opened_at, dedup_key);
