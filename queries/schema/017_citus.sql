-- 017_citus: the schema distributed over a Citus cluster (doc/ARCHITECTURE.md, "On a
-- Citus cluster", says why each table is where it is).
--
--   reading_day                            distributed by meter_id (still partitioned by
--                                          month; new partitions come out distributed)
--   customer, tariff, tariff_band, bill    reference tables (a copy on every node)
--   meter                                  Citus local table on the coordinator: its
--                                          counts triggers (009) keep working, and mpxn
--                                          stays UNIQUE
--   load_*, loader, audit_log, meter_seen/tally/active, schema_*   plain coordinator tables
--
-- meterops.citus_distribute() does it and is idempotent: each table is changed only when
-- it is not yet where it belongs. This migration calls it when the citus extension is in
-- the database and at least one worker is registered; otherwise it only creates the
-- function, and `meterops db distribute` calls it later (after CREATE EXTENSION citus and
-- citus_add_node), moving the existing rows into the shards. Safe to run again.
CREATE OR REPLACE FUNCTION meterops.citus_distribute()
RETURNS TABLE (relation text, placement text, action text)
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
DECLARE
    t text;
    kind "char";
    rep "char";
    auto boolean;
    had_rows boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'the citus extension is not in this database'
            USING HINT = 'CREATE EXTENSION citus, register the workers (citus_add_node), then distribute';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid <> 0 AND isactive AND noderole = 'primary') THEN
        RAISE EXCEPTION 'this Citus coordinator has no active worker'
            USING HINT = 'register the workers with citus_add_node, then distribute';
    END IF;
    -- Reference tables first: distributing customer turns the local tables that refer to
    -- it (meter, bill) into Citus local tables by themselves; the calls below settle them.
    FOREACH t IN ARRAY ARRAY['customer', 'tariff', 'tariff_band', 'bill'] LOOP
        SELECT p.partmethod, p.repmodel INTO kind, rep
        FROM pg_dist_partition p WHERE p.logicalrelid = format('meterops.%I', t)::regclass;
        relation := t;
        placement := 'reference';
        IF kind = 'n' AND rep = 't' THEN
            action := 'already';
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM meterops.%I)', t) INTO had_rows;
            PERFORM create_reference_table(format('meterops.%I', t)::regclass);
            IF had_rows THEN
                PERFORM truncate_local_data_after_distributing_table(format('meterops.%I', t)::regclass);
            END IF;
            action := 'distributed';
        END IF;
        RETURN NEXT;
    END LOOP;

    -- meter stays on the coordinator with its triggers; an explicit call keeps Citus from
    -- turning it back into a plain table when its foreign keys change.
    SELECT p.partmethod, p.repmodel, p.autoconverted INTO kind, rep, auto
    FROM pg_dist_partition p WHERE p.logicalrelid = 'meterops.meter'::regclass;
    relation := 'meter';
    placement := 'coordinator (Citus local)';
    IF kind = 'n' AND rep = 's' AND NOT auto THEN
        action := 'already';
    ELSE
        PERFORM citus_add_local_table_to_metadata('meterops.meter', cascade_via_foreign_keys => true);
        action := 'distributed';
    END IF;
    RETURN NEXT;

    relation := 'reading_day';
    placement := 'distributed by meter_id';
    IF EXISTS (SELECT 1 FROM pg_dist_partition p
               WHERE p.logicalrelid = 'meterops.reading_day'::regclass AND p.partmethod = 'h') THEN
        action := 'already';
    ELSE
        had_rows := EXISTS (SELECT 1 FROM meterops.reading_day);
        PERFORM create_distributed_table('meterops.reading_day', 'meter_id');
        IF had_rows THEN
            PERFORM truncate_local_data_after_distributing_table('meterops.reading_day');
        END IF;
        action := 'distributed';
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION meterops.citus_distribute() FROM PUBLIC;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid <> 0 AND isactive AND noderole = 'primary') THEN
        RAISE NOTICE 'citus is installed but no worker is registered: the schema stays local; '
                     'run `meterops db distribute` after citus_add_node';
        RETURN;
    END IF;
    PERFORM meterops.citus_distribute();
END
$$;
