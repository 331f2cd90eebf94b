-- 015_citus: the schema distributed over a Citus cluster (doc/ARCHITECTURE.md, "On a
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
-- meter_tally and meter_active from meterops.meter, from scratch (009's backfill, as a
-- function): after the meter table was moved into Citus's metadata.
CREATE OR REPLACE FUNCTION meterops.meter_counts_rebuild()
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
BEGIN
    LOCK TABLE meterops.meter IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM meterops.meter_tally;
    INSERT INTO meterops.meter_tally (fuel, removed_on, meters)
    SELECT fuel, coalesce(removed_on, 'infinity'), count(*) FROM meterops.meter GROUP BY 1, 2;
    DELETE FROM meterops.meter_active;
    INSERT INTO meterops.meter_active (fuel, chunk, bits)
    SELECT w.fuel, w.chunk, meterops.chunk_bits(array_agg(w.word), array_agg(w.v))
    FROM (
        SELECT fuel, (meter_id >> 16)::int AS chunk, ((meter_id & 65535) >> 6)::int AS word,
               bit_or(1::bigint << (63 - (meter_id & 63)::int)) AS v
        FROM meterops.meter WHERE removed_on IS NULL
        GROUP BY 1, 2, 3
    ) w
    GROUP BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_counts_rebuild() FROM PUBLIC;

CREATE OR REPLACE FUNCTION meterops.citus_distribute()
RETURNS TABLE (relation text, placement text, action text)
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
DECLARE
    t text;
    kind "char";
    rep "char";
    auto boolean;
    had_rows boolean;
    moved_meter boolean := false;
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
            moved_meter := true;
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
        moved_meter := true;
    END IF;
    RETURN NEXT;

    -- Turning meter into a Citus local table moves its rows through a TRUNCATE, which
    -- fires 009's meter_counts_trunc and empties the registry counts: counted again here.
    IF moved_meter THEN
        PERFORM meterops.meter_counts_rebuild();
    END IF;

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

    -- The correction path's ON CONFLICT (queries/load/merge.sql) runs on the shards, so
    -- the functions it calls must be on the workers. Made after Citus, they were sent
    -- there when created; made before (a schema distributed later), they are sent now.
    -- On a new database these are made after the migrations, by Citus with them.
    FOREACH t IN ARRAY ARRAY['meterops.merge_wh(int4[], int4[])',
                             'meterops.merge_flags(int4[], bytea, int4[], bytea)'] LOOP
        IF to_regprocedure(t) IS NOT NULL THEN
            PERFORM create_distributed_function(t::regprocedure);
        END IF;
    END LOOP;
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
