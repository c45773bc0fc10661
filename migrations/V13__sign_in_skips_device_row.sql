-- Why: most sign-ins repeat what the device row already says (same pool, same outcome, same
-- firmware); only their time is new. Rewriting the row for each of them was most of the cost of
-- ingestion, and the same facts are appended to sign_in_outcome anyway. Such a sign-in now leaves
-- the row alone, and whoever reads the row takes the newer sign-ins from sign_in_outcome: the
-- newest one's time and event, and for each optional part (vendor, model, firmware, User-Agent)
-- the newest sign-in that carried it, which is what a late event is judged against. For that the
-- outcome row records the User-Agent and vendor the sign-in carried, as it already did the model
-- and firmware. The row is still rewritten at least once a day of sign-ins, which bounds how many
-- outcome rows catching a row up reads.
ALTER TABLE sign_in_outcome
    ADD COLUMN IF NOT EXISTS user_agent text,
    ADD COLUMN IF NOT EXISTS vendor     text;

COMMENT ON COLUMN sign_in_outcome.user_agent IS 'The SIP User-Agent this sign-in carried, if any.';
COMMENT ON COLUMN sign_in_outcome.vendor IS 'The vendor its User-Agent named, if it named one.';
COMMENT ON COLUMN device.registered_at IS
    'Event time of the newest sign-in that wrote this row; newer sign-ins that changed nothing are only in sign_in_outcome.';
COMMENT ON COLUMN device.state_time IS
    'Event time of the newest event that wrote this row; sign_in_outcome may hold newer sign-ins that changed nothing.';
