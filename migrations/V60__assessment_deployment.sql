-- Why: a prediction can only be checked once the change it assessed went live. A planner records
-- each go-live of an assessed change (when, under which change record, on which pools), and the
-- backtest compares the sign-ins observed after it with what the assessment predicted (issue 17).
CREATE TABLE IF NOT EXISTS assessment_deployment (
    id             uuid        PRIMARY KEY,
    assessment_id  uuid        NOT NULL REFERENCES impact_assessment (id) ON DELETE CASCADE,
    deployed_at    timestamptz NOT NULL,
    change_ref     text,
    pools          text[]      NOT NULL,
    recorded_by    text        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    analysed_at    timestamptz
);

CREATE INDEX IF NOT EXISTS assessment_deployment_assessment_idx
    ON assessment_deployment (assessment_id, deployed_at, id);

COMMENT ON COLUMN assessment_deployment.pools IS
    'Pool FQDNs the go-live touched, lower case; empty means every pool of the assessment.';
COMMENT ON COLUMN assessment_deployment.analysed_at IS
    'When the backtest after its window looked for catalog corrections; null until then.';
