-- Why: the nightly compliance report (issue 13) is kept with its history so that each night can be
-- compared with the one before and the week before, and so that yesterday's report still says what
-- it said yesterday after the inventory moved on. A run is the job (scheduled or started by an
-- administrator); a report is what a completed run found; its device rows are the lists behind each
-- section's counts, with the facts as they stood at the time of the run.
CREATE TABLE IF NOT EXISTS compliance_report_run (
    id            uuid        PRIMARY KEY,
    trigger       text        NOT NULL,
    report_date   date        NOT NULL,
    status        text        NOT NULL,
    phase         text        NOT NULL,
    progress      smallint    NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    error         text,
    CONSTRAINT compliance_report_run_trigger_known CHECK (trigger IN ('SCHEDULED', 'MANUAL')),
    CONSTRAINT compliance_report_run_status_known
        CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    CONSTRAINT compliance_report_run_progress_percent CHECK (progress BETWEEN 0 AND 100)
);

-- Exactly one scheduled run per night across every replica: the replica whose INSERT claims the
-- night runs it, the others' INSERT … ON CONFLICT DO NOTHING claims nothing. A failed run gives the
-- night up, so a later start-up can claim it again.
CREATE UNIQUE INDEX IF NOT EXISTS compliance_report_run_one_per_night
    ON compliance_report_run (report_date) WHERE trigger = 'SCHEDULED' AND status <> 'FAILED';

CREATE INDEX IF NOT EXISTS compliance_report_run_created_idx ON compliance_report_run (created_at DESC);

CREATE TABLE IF NOT EXISTS compliance_report (
    run_id               uuid        PRIMARY KEY REFERENCES compliance_report_run (id),
    report_date          date        NOT NULL,
    generated_at         timestamptz NOT NULL,
    catalog_version      text        NOT NULL,
    environment_version  bigint      NOT NULL,
    document             jsonb       NOT NULL
);

-- GET /reports/compliance/{date} and the trend read the newest report of a date.
CREATE INDEX IF NOT EXISTS compliance_report_date_idx ON compliance_report (report_date DESC, generated_at DESC);

CREATE TABLE IF NOT EXISTS compliance_report_device (
    run_id          uuid     NOT NULL REFERENCES compliance_report (run_id) ON DELETE CASCADE,
    section         text     COLLATE "C" NOT NULL,
    device_id       text     COLLATE "C" NOT NULL,
    rule_ids        text[]   NOT NULL,
    verdict         text,
    horizon_days    smallint,
    model           text,
    firmware_build  text,
    site            text,
    user_agent      text,
    detail          text,
    PRIMARY KEY (run_id, section, device_id),
    CONSTRAINT compliance_report_device_section_known
        CHECK (section IN ('firmware-baseline', 'drift', 'expiry-horizon', 'stale-unknown', 'resolved'))
);

COMMENT ON COLUMN compliance_report.document IS
    'The report as GET /api/v1/reports/compliance/{date} returns it in JSON (ComplianceReport in api-spec/openapi.yaml).';
COMMENT ON COLUMN compliance_report_device.rule_ids IS
    'The rule IDs that put the device in the section: engine rule IDs (drift, expiry) or the report''s own (baseline, stale and unknown).';
COMMENT ON COLUMN compliance_report_device.horizon_days IS
    'Expiry horizon only: the first of 30, 60, 90 days within which the device breaks with no change.';
