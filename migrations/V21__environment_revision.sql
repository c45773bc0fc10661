-- Why: PUT /api/v1/environment replaces the whole UC environment document. Every PUT is kept as a
-- new revision rather than overwritten, so an assessment that records environmentVersion can be
-- reproduced and audited against exactly the document it ran on.
CREATE TABLE IF NOT EXISTS environment_revision (
    version     bigint      PRIMARY KEY,
    document    jsonb       NOT NULL,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT environment_revision_version_positive CHECK (version > 0)
);

COMMENT ON COLUMN environment_revision.version IS 'Revision number: 1 for the first PUT, then +1 per PUT; version 0 is the empty environment and is never stored.';
COMMENT ON COLUMN environment_revision.document IS 'The environment document as put, with the defaults filled in (EnvironmentInput of api-spec/openapi.yaml).';
