-- 020_register_reads: UK D0010 register reads (doc/formats.md, "d0010"; doc/ARCHITECTURE.md,
-- "Register reads"). A register read is a meter's cumulative register on a date, not energy
-- over an interval, so it has a table of its own beside reading_day. Written only by the
-- d0010 feed (queries/load/upsert_register_reads.sql); support reads it through
-- meterops.customer_register_reads(). On a Citus cluster it is distributed by meter_id,
-- colocated with reading_day (the per-meter table), by meterops.citus_distribute().
--
-- One statement per EXECUTE inside a DO block, as 018 says why.
DO $$
BEGIN
    -- One read of one register of one meter at one time. The key is the dedup rule: the
    -- same meter point, meter serial, register and read time is one read; a later file
    -- that repeats it with the same reading changes nothing, one with another reading is
    -- refused (duplicate_conflict).
    EXECUTE $q$CREATE TABLE IF NOT EXISTS meterops.register_read (
        meter_id          bigint NOT NULL,
        meter_serial      text NOT NULL CHECK (length(meter_serial) BETWEEN 1 AND 32),
        register_id       text NOT NULL CHECK (length(register_id) BETWEEN 1 AND 2),
        read_at           timestamptz NOT NULL,
        -- exact and as written (56311.0 stays 56311.0): at most 10 digits and 4
        -- decimals, checked by the reader
        reading           numeric NOT NULL CHECK (reading >= 0),
        reading_type      text,
        validation_status text,
        reading_flag      text,
        reading_method    text,
        file_id           bigint NOT NULL,
        line_no           bigint NOT NULL,
        PRIMARY KEY (meter_id, meter_serial, register_id, read_at)
    )$q$;
    EXECUTE $q$GRANT SELECT, INSERT ON meterops.register_read TO meterops_loader$q$;
    EXECUTE $q$GRANT SELECT ON meterops.register_read TO meterops_operator$q$;
END
$$;

-- citus_distribute() of 015 with register_read added: 015's function is kept under
-- another name and called first, so what it does is stated once.
DO $$
BEGIN
    IF to_regprocedure('meterops.citus_distribute_base()') IS NULL THEN
        ALTER FUNCTION meterops.citus_distribute() RENAME TO citus_distribute_base;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION meterops.citus_distribute()
RETURNS TABLE (relation text, placement text, action text)
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
DECLARE
    had_rows boolean;
BEGIN
    RETURN QUERY SELECT * FROM meterops.citus_distribute_base();
    relation := 'register_read';
    placement := 'distributed by meter_id';
    IF EXISTS (SELECT 1 FROM pg_dist_partition p
               WHERE p.logicalrelid = 'meterops.register_read'::regclass AND p.partmethod = 'h') THEN
        action := 'already';
    ELSE
        had_rows := EXISTS (SELECT 1 FROM meterops.register_read);
        PERFORM create_distributed_table('meterops.register_read', 'meter_id',
                                         colocate_with => 'meterops.reading_day');
        IF had_rows THEN
            PERFORM truncate_local_data_after_distributing_table('meterops.register_read');
        END IF;
        action := 'distributed';
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION meterops.citus_distribute() FROM PUBLIC;
REVOKE ALL ON FUNCTION meterops.citus_distribute_base() FROM PUBLIC;

-- Already distributed (015 ran on a cluster): register_read joins reading_day now.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN; -- (pg_dist_partition exists only with Citus: asked in a statement of its own)
    END IF;
    IF EXISTS (SELECT 1 FROM pg_dist_partition p
               WHERE p.logicalrelid = 'meterops.reading_day'::regclass AND p.partmethod = 'h') THEN
        PERFORM meterops.citus_distribute();
    END IF;
END
$$;
