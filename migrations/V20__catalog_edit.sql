-- Why: the firmware catalog in force is the catalog shipped with the service plus every edit made
-- through PUT /api/v1/catalog/... Each edit is kept here, in order, so that every replica rebuilds
-- the same catalog (and the same catalogVersion) by replaying the edits over the shipped files
-- after a restart, and so that an assessment's catalogVersion can be traced to who changed what.
CREATE TABLE IF NOT EXISTS catalog_edit (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL,
    key         text        NOT NULL,
    document    jsonb       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT catalog_edit_kind_known CHECK (kind IN ('MODEL', 'FAMILY', 'BUILD'))
);

COMMENT ON COLUMN catalog_edit.key IS 'What the edit names: the model, the family, or family:build, as given in the URL.';
COMMENT ON COLUMN catalog_edit.document IS '{"path": {path parameters}, "body": the request body as validated}; replayed in id order.';
COMMENT ON COLUMN catalog_edit.created_by IS 'The sub claim of the token that made the edit.';
