-- Why: large fleets, or clients that ask, get their assessment asynchronously (issue 12): it is
-- stored PENDING with its inputs, runs in the background, shows how many trust profiles it has
-- simulated of how many, can be cancelled, and is listed newest first with the others.
ALTER TABLE impact_assessment
    ADD COLUMN IF NOT EXISTS profiles_total     integer,
    ADD COLUMN IF NOT EXISTS profiles_evaluated integer,
    ADD COLUMN IF NOT EXISTS heartbeat_at       timestamptz,
    ADD COLUMN IF NOT EXISTS cancelled_by       text;

ALTER TABLE impact_assessment DROP CONSTRAINT IF EXISTS impact_assessment_status_known;
ALTER TABLE impact_assessment ADD CONSTRAINT impact_assessment_status_known
    CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));

COMMENT ON COLUMN impact_assessment.heartbeat_at IS
    'Last sign of life of the replica running it; one silent for long failed (it stopped).';

-- GET /impact-assessments pages newest first with a (created_at, id) cursor.
CREATE INDEX IF NOT EXISTS impact_assessment_list_idx ON impact_assessment (created_at DESC, id DESC);
