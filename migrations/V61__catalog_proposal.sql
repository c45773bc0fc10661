-- Why: when phones the catalog said were fine fail after a change, on one firmware build with one
-- failure reason, the catalog is probably wrong about that build. FleetTrust keeps each proposed
-- correction with its evidence until an admin accepts it (it then becomes an ordinary catalog
-- edit, versioned in catalog_edit) or rejects it (issue 17).
CREATE TABLE IF NOT EXISTS catalog_proposal (
    id               uuid        PRIMARY KEY,
    assessment_id    uuid        NOT NULL REFERENCES impact_assessment (id) ON DELETE CASCADE,
    deployment_id    uuid        NOT NULL REFERENCES assessment_deployment (id) ON DELETE CASCADE,
    family           text        NOT NULL,
    build            text        NOT NULL,
    capability       text        NOT NULL,
    current_value    jsonb,
    proposed_value   jsonb       NOT NULL,
    failure_reason   text        NOT NULL,
    failed_devices   text[]      NOT NULL,
    observed_devices integer     NOT NULL,
    failure_reasons  jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'OPEN',
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    decided_at       timestamptz,
    decided_by       text,
    catalog_version  text,
    CONSTRAINT catalog_proposal_status_known CHECK (status IN ('OPEN', 'ACCEPTED', 'REJECTED')),
    CONSTRAINT catalog_proposal_once_per_finding UNIQUE (assessment_id, family, build, capability)
);

CREATE INDEX IF NOT EXISTS catalog_proposal_list_idx ON catalog_proposal (status, created_at, id);

COMMENT ON COLUMN catalog_proposal.failed_devices IS
    'The devices predicted OK that failed with failure_reason: the evidence.';
COMMENT ON COLUMN catalog_proposal.observed_devices IS
    'Devices of this family and build predicted OK and seen signing in or failing in the window.';
COMMENT ON COLUMN catalog_proposal.failure_reasons IS
    '[{"reason": …, "devices": n}] over every predicted-OK failure of this family and build.';
COMMENT ON COLUMN catalog_proposal.catalog_version IS 'The catalog version the accepting edit produced.';
