-- Why: an assessment is evidence in a change record. It is stored with everything needed to
-- reproduce and audit it: the changes as submitted, the evaluation date, the catalog version,
-- the environment revision, the inventory snapshot time and, per evaluated trust profile, which
-- devices it covered and what the engine found.
CREATE TABLE IF NOT EXISTS impact_assessment (
    id                    uuid        PRIMARY KEY,
    status                text        NOT NULL,
    description           text,
    evaluate_at           timestamptz NOT NULL,
    created_at            timestamptz NOT NULL,
    created_by            text        NOT NULL,
    changes               jsonb       NOT NULL,
    catalog_version       text        NOT NULL,
    environment_version   bigint      NOT NULL,
    inventory_snapshot_at timestamptz NOT NULL,
    completed_at          timestamptz,
    summary               jsonb,
    error                 jsonb,
    CONSTRAINT impact_assessment_status_known
        CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED'))
);

CREATE INDEX IF NOT EXISTS impact_assessment_created_idx ON impact_assessment (created_at DESC);

-- One row per distinct device profile the engine evaluated: devices with equal profiles share
-- one verdict, so a million devices are a few thousand rows.
CREATE TABLE IF NOT EXISTS impact_assessment_group (
    assessment_id  uuid    NOT NULL REFERENCES impact_assessment (id) ON DELETE CASCADE,
    group_no       integer NOT NULL,
    profile_hash   text    NOT NULL,
    verdict        text    NOT NULL,
    verdict_rank   smallint NOT NULL,
    model          text,
    family         text,
    build          text,
    site           text,
    findings       jsonb   NOT NULL,
    device_ids     text[]  NOT NULL,
    PRIMARY KEY (assessment_id, group_no),
    CONSTRAINT impact_assessment_group_verdict_known
        CHECK (verdict IN ('BREAKS', 'DEGRADED', 'AT_RISK', 'OK', 'UNKNOWN'))
);

COMMENT ON COLUMN impact_assessment_group.verdict_rank IS
    'Worst first: 0 BREAKS, 1 DEGRADED, 2 AT_RISK, 3 UNKNOWN, 4 OK; lists page in this order.';
COMMENT ON COLUMN impact_assessment_group.profile_hash IS
    'The engine''s DeviceProfile hash (model, build, methods, held anchors, pool, site, dialled FQDN).';
