-- 021_meter_tariff: a meter's tariffs by date (doc/customer.md, "Pricing"; doc/formats.md,
-- meters "tariff_from").
--
-- A meter is on tariff tariff_id from local day valid_from until the day before the next
-- row's valid_from (the last row: from then on). Periods are stored by their start only,
-- keyed (meter_id, valid_from), so two periods of one meter can never overlap: no
-- exclusion constraint (which would need btree_gist and, on Citus, the distribution column
-- in it) and no trigger has to keep ends and starts consistent. '-infinity' is "since
-- always": a meter's first tariff, unless a feed dates it. tariff_id NULL: no tariff from
-- that day. meterops.meter_tariff_span (below) gives each period with its valid_to.
--
-- meter.tariff_id keeps meaning the meter's current tariff: the tariff of its latest
-- period (in force today, unless a feed dated a change in the future). The meters feed
-- (queries/load/upsert_meters.sql) writes dated changes here itself; the trigger below
-- records every other change of meter.tariff_id (a new meter, --create-meters, a feed row
-- without tariff_from, an UPDATE by hand) so that the two never disagree:
--   * a meter without periods gets one from '-infinity' (its first tariff prices all its
--     history, as before this migration);
--   * a meter whose latest period has another tariff gets a new period from today
--     (Europe/London), replacing any period dated later.
--
-- On Citus meter is a Citus local table on the coordinator (015); this table refers to it,
-- so it is made one too (by the foreign key when meter is distributed later, explicitly
-- when it already is), and the cost functions read both on the coordinator.
-- One statement per EXECUTE: see 018 (Citus sends DDL on to the nodes as its text).
DO $$
BEGIN
    EXECUTE $q$CREATE TABLE IF NOT EXISTS meterops.meter_tariff (
        meter_id    bigint NOT NULL REFERENCES meterops.meter ON DELETE CASCADE,
        valid_from  date NOT NULL,
        tariff_id   int REFERENCES meterops.tariff,
        PRIMARY KEY (meter_id, valid_from)
    )$q$;
    EXECUTE $q$CREATE INDEX IF NOT EXISTS meter_tariff_tariff_idx ON meterops.meter_tariff (tariff_id)$q$;
    EXECUTE $q$GRANT SELECT, INSERT, UPDATE, DELETE ON meterops.meter_tariff TO meterops_loader$q$;
    EXECUTE $q$GRANT SELECT ON meterops.meter_tariff TO meterops_operator$q$;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')
       AND to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'meterops.meter'::regclass)
           AND NOT EXISTS (SELECT 1 FROM pg_dist_partition
                           WHERE logicalrelid = 'meterops.meter_tariff'::regclass) THEN
            PERFORM citus_add_local_table_to_metadata('meterops.meter_tariff');
        END IF;
    END IF;
    -- The existing meters: each on its current tariff since always.
    EXECUTE $q$INSERT INTO meterops.meter_tariff (meter_id, valid_from, tariff_id)
        SELECT m.meter_id, '-infinity', m.tariff_id FROM meterops.meter m
        WHERE m.tariff_id IS NOT NULL
        ON CONFLICT DO NOTHING$q$;
END
$$;


-- Keeps meter_tariff in step with meter.tariff_id for the changes that do not date
-- themselves (see the top). After the statement, so a meters feed's own dated periods,
-- written by the same statement, are seen and left alone.
-- The view meter_tariff_span: each period of a meter with its end: valid_to is the next
-- period's valid_from (the period ends the day before), NULL for the last.
-- Everything in one DO, one statement per EXECUTE (see the top: meter is a Citus local
-- table on Citus, and its triggers' DDL is sent on as text).
DO $$
BEGIN
    EXECUTE $q$CREATE OR REPLACE VIEW meterops.meter_tariff_span AS
SELECT h.meter_id, h.tariff_id, h.valid_from,
       lead(h.valid_from) OVER (PARTITION BY h.meter_id ORDER BY h.valid_from) AS valid_to
FROM meterops.meter_tariff h$q$;
    EXECUTE $q$GRANT SELECT ON meterops.meter_tariff_span TO meterops_operator$q$;
    EXECUTE $q$CREATE OR REPLACE FUNCTION meterops.meter_tariff_trg()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $f$
DECLARE
    today date := (now() AT TIME ZONE 'Europe/London')::date;
    ids bigint[];
    tids int[];
BEGIN
    -- The rows changed, read from the transition tables alone: on Citus a query joining a
    -- transition table with meter_tariff (a Citus local table) cannot be planned
    -- ("unrecognized RTE kind"), so the ids go on as arrays.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(n.meter_id), array_agg(n.tariff_id) INTO ids, tids
        FROM new_rows n WHERE n.tariff_id IS NOT NULL;
    ELSE
        SELECT array_agg(n.meter_id), array_agg(n.tariff_id) INTO ids, tids
        FROM new_rows n JOIN old_rows o ON o.meter_id = n.meter_id
        WHERE n.tariff_id IS DISTINCT FROM o.tariff_id;
    END IF;
    IF ids IS NULL THEN
        RETURN NULL;
    END IF;
    WITH changed AS (
        SELECT c.meter_id, c.tariff_id FROM unnest(ids, tids) AS c(meter_id, tariff_id)
    ), moved AS (
        SELECT c.meter_id, c.tariff_id,
               NOT EXISTS (SELECT 1 FROM meterops.meter_tariff h WHERE h.meter_id = c.meter_id) AS first
        FROM changed c
        WHERE c.tariff_id IS DISTINCT FROM
              (SELECT h.tariff_id FROM meterops.meter_tariff h
               WHERE h.meter_id = c.meter_id ORDER BY h.valid_from DESC LIMIT 1)
          AND (TG_OP = 'UPDATE'
               OR NOT EXISTS (SELECT 1 FROM meterops.meter_tariff h WHERE h.meter_id = c.meter_id))
    ), later AS (
        DELETE FROM meterops.meter_tariff h USING moved v
        WHERE h.meter_id = v.meter_id AND h.valid_from > today
        RETURNING 1
    )
    INSERT INTO meterops.meter_tariff (meter_id, valid_from, tariff_id)
    SELECT v.meter_id, CASE WHEN v.first THEN '-infinity'::date ELSE today END, v.tariff_id
    FROM moved v
    WHERE NOT (v.first AND v.tariff_id IS NULL)
    ON CONFLICT (meter_id, valid_from) DO UPDATE SET tariff_id = EXCLUDED.tariff_id;
    RETURN NULL;
END
$f$
$q$;
    EXECUTE $q$REVOKE ALL ON FUNCTION meterops.meter_tariff_trg() FROM PUBLIC$q$;
    EXECUTE $q$DROP TRIGGER IF EXISTS meter_tariff_ins ON meterops.meter$q$;
    EXECUTE $q$CREATE TRIGGER meter_tariff_ins AFTER INSERT ON meterops.meter
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION meterops.meter_tariff_trg()$q$;
    EXECUTE $q$DROP TRIGGER IF EXISTS meter_tariff_upd ON meterops.meter$q$;
    EXECUTE $q$CREATE TRIGGER meter_tariff_upd AFTER UPDATE ON meterops.meter
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION meterops.meter_tariff_trg()$q$;
END
$$;
