-- Why: an assessment stored one row per profile with every device ID it covered, and every device
-- page unnested and sorted all of them (issue 12). Now it stores the fleet snapshot it read (a
-- pg_snapshot over fleet_group_member, see V40) and one row per fleet group with its device count;
-- device lists walk the groups in list order and, inside a group, the members in device order as
-- that snapshot saw them. Rows of assessments stored before keep their device_ids.
ALTER TABLE impact_assessment ADD COLUMN IF NOT EXISTS fleet_snapshot pg_snapshot;

ALTER TABLE impact_assessment_group
    ADD COLUMN IF NOT EXISTS fleet_group_id bigint,
    ADD COLUMN IF NOT EXISTS device_count integer;
ALTER TABLE impact_assessment_group ALTER COLUMN device_ids DROP NOT NULL;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                    WHERE conname = 'impact_assessment_group_members_known') THEN
        ALTER TABLE impact_assessment_group ADD CONSTRAINT impact_assessment_group_members_known
            CHECK (device_ids IS NOT NULL OR (fleet_group_id IS NOT NULL AND device_count > 0));
    END IF;
END
$$;

COMMENT ON COLUMN impact_assessment_group.group_no IS
    'List order (assessments with a fleet_snapshot): worst verdict first, then model, build, site, fleet group.';

-- Filters of the device list, each walked in list order.
CREATE INDEX IF NOT EXISTS impact_assessment_group_verdict_idx
    ON impact_assessment_group (assessment_id, verdict, group_no);
CREATE INDEX IF NOT EXISTS impact_assessment_group_model_idx
    ON impact_assessment_group (assessment_id, model, group_no);
CREATE INDEX IF NOT EXISTS impact_assessment_group_build_idx
    ON impact_assessment_group (assessment_id, build, group_no);

CREATE TABLE IF NOT EXISTS impact_assessment_group_rule (
    assessment_id uuid    NOT NULL,
    rule          text    NOT NULL,
    group_no      integer NOT NULL,
    PRIMARY KEY (assessment_id, rule, group_no),
    FOREIGN KEY (assessment_id, group_no)
        REFERENCES impact_assessment_group (assessment_id, group_no) ON DELETE CASCADE
);

COMMENT ON TABLE impact_assessment_group_rule IS
    'The rules with a finding in each group of an assessment: the device list''s rule filter.';

-- GET /devices?verdict=…: from a device's memberships to its group's result in an assessment.
CREATE INDEX IF NOT EXISTS impact_assessment_group_fleet_group_idx
    ON impact_assessment_group (assessment_id, fleet_group_id);
