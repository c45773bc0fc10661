-- Why: a backtest reads the sign-ins of one day after a go-live across the whole fleet. The only
-- index is per device; sign-ins arrive roughly in time order, so a BRIN index (a few pages per
-- partition, next to nothing to maintain on insert) lets that read skip the rest of the month.
CREATE INDEX IF NOT EXISTS sign_in_outcome_time_brin ON sign_in_outcome USING brin (event_time);
