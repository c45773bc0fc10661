-- Why: an assessment is the risk evidence of an ITSM change request; the change's reference
-- (e.g. ServiceNow CHG0031337) is stored with it, returned by the API and carried by the
-- fleettrust.impact.assessed message so the ITSM tool attaches it to the right record.
ALTER TABLE impact_assessment ADD COLUMN IF NOT EXISTS change_ref text;
