-- Why: event history and sign-in outcomes grow by millions of rows a day and are pruned by age.
-- Declarative range partitions by month make pruning a DROP TABLE instead of a DELETE; these two
-- functions create the months ahead (and any month a late event needs) and drop the expired ones.
-- Partitions are named <parent>_pYYYYMM and bounded on UTC month starts.
CREATE OR REPLACE FUNCTION fleettrust_ensure_monthly_partitions(
        parent regclass, from_time timestamptz, to_time timestamptz)
    RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    schema_name text;
    parent_name text;
    month       date := date_trunc('month', from_time AT TIME ZONE 'UTC')::date;
    last_month  date := date_trunc('month', to_time AT TIME ZONE 'UTC')::date;
    child       text;
    created     integer := 0;
BEGIN
    SELECT n.nspname, c.relname INTO schema_name, parent_name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = parent;
    WHILE month <= last_month LOOP
        child := parent_name || '_p' || to_char(month, 'YYYYMM');
        IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = schema_name AND c.relname = child) THEN
            BEGIN
                EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                               schema_name, child, schema_name, parent_name,
                               month::timestamp AT TIME ZONE 'UTC',
                               (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
                created := created + 1;
            EXCEPTION WHEN duplicate_table OR unique_violation THEN
                -- Another replica created it between the check and the CREATE: the month exists.
                NULL;
            END;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$$;

CREATE OR REPLACE FUNCTION fleettrust_drop_monthly_partitions_before(
        parent regclass, before_time timestamptz)
    RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    partition record;
    dropped   integer := 0;
BEGIN
    FOR partition IN
        SELECT n.nspname AS schema_name, c.relname AS child
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE i.inhparent = parent AND c.relname ~ '_p[0-9]{6}$'
    LOOP
        IF (to_date(right(partition.child, 6), 'YYYYMM') + interval '1 month')::timestamp
               AT TIME ZONE 'UTC' <= before_time THEN
            EXECUTE format('DROP TABLE %I.%I', partition.schema_name, partition.child);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;
