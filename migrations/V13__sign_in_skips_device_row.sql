-- Why: most sign-ins repeat what the device row already says (same pool, same outcome, same
-- firmware); only their time is new. Rewriting the row for each of them was most of the cost of
-- ingestion, and the same facts are already appended to sign_in_outcome. Such a sign-in now leaves
-- the row alone: the newest sign-in time and event are read from sign_in_outcome whenever the row
-- is read (registered_at and last_sign_in_event become lower bounds, exact once a sign-in changes
-- something). To keep late events exact, a sign-in is skipped only when it carries the same
-- optional parts (vendor, model, firmware, User-Agent) as the sign-in that last wrote the row:
-- then every skipped sign-in carried exactly those parts, and their times can be restored from the
-- newest one alone.
ALTER TABLE device ADD COLUMN IF NOT EXISTS sign_in_parts smallint;

COMMENT ON COLUMN device.sign_in_parts IS
    'Optional parts the newest written sign-in carried: 1 vendor, 2 model, 4 firmware, 8 User-Agent.';
COMMENT ON COLUMN device.registered_at IS
    'Event time of the newest sign-in that wrote this row; newer sign-ins that changed nothing are only in sign_in_outcome.';
COMMENT ON COLUMN device.state_time IS
    'Event time of the newest event that wrote this row; sign_in_outcome may hold newer sign-ins that changed nothing.';
