-- meterops.migration_checksums (016_migration.sql) for some relations only (NULL: all):
-- cutover verifies everything before its pause and, inside it, only the tables and
-- partitions that changed since (backend/move_cutover.c).
CREATE OR REPLACE FUNCTION meterops.migration_checksums_of(with_wh boolean, rels text[])
RETURNS TABLE (relation text, rows bigint, wh numeric, digest numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD'
SET extra_float_digits = 1 SET IntervalStyle = 'postgres' AS $$
DECLARE
    t regclass;
    p record;
BEGIN
    FOR t IN SELECT * FROM meterops.migration_tables() LOOP
        CONTINUE WHEN t = 'meterops.reading_day'::regclass;
        CONTINUE WHEN rels IS NOT NULL AND NOT t::text = ANY (rels);
        relation := t::text;
        wh := NULL;
        BEGIN
            EXECUTE format('SELECT count(*), coalesce(sum(hash_record_extended(x, 0)::numeric), 0) FROM %s x', t)
               INTO rows, digest;
        EXCEPTION WHEN undefined_function THEN
            EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(x::text, 0)::numeric), 0) FROM %s x', t)
               INTO rows, digest;
        END;
        RETURN NEXT;
    END LOOP;
    FOR p IN SELECT c.oid::regclass AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'meterops.reading_day'::regclass ORDER BY c.relname LOOP
        CONTINUE WHEN rels IS NOT NULL AND NOT p.part::text = ANY (rels);
        relation := p.part::text;
        IF with_wh THEN
            EXECUTE format('SELECT count(*), coalesce(sum((SELECT sum(v) FROM unnest(x.wh) v)), 0), '
                           'coalesce(sum(hash_record_extended(x, 0)::numeric), 0) FROM %s x', p.part)
               INTO rows, wh, digest;
        ELSE
            wh := NULL;
            EXECUTE format('SELECT count(*), coalesce(sum(hash_record_extended(x, 0)::numeric), 0) FROM %s x', p.part)
               INTO rows, digest;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- The reading_day rows of the keys given (ids, days and the partition of each, in step),
-- per partition: cutover's verify of the rows loads changed since a partition was last
-- verified whole (backend/move_delta.c). One index probe per key into its own partition:
-- probing through the partitioned table re-prunes at every probe (about 25 us a key,
-- measured), a partition alone costs about 2.7 us; and the planner, costing a probe as a
-- random read, would rather hash-join the whole partition (joins other than the nested
-- loop are off here for that reason). A key with no row counts nowhere.
CREATE OR REPLACE FUNCTION meterops.migration_rows_hash(ids bigint[], days date[], rels text[])
RETURNS TABLE (relation text, rows bigint, digest numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    part text;
BEGIN
    FOR part IN SELECT DISTINCT r FROM unnest(rels) r ORDER BY 1 LOOP
        CONTINUE WHEN to_regclass(part) IS NULL;
        relation := to_regclass(part)::text;
        EXECUTE format('SELECT count(*), coalesce(sum(hash_record_extended(x, 0)::numeric), 0) '
                       'FROM ONLY %s x JOIN unnest($1, $2, $3) AS k(meter_id, day, rel) '
                       'ON x.meter_id = k.meter_id AND x.day = k.day WHERE k.rel = $4',
                       to_regclass(part))
           USING ids, days, rels, part INTO rows, digest;
        CONTINUE WHEN rows = 0;
        RETURN NEXT;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION meterops.migration_rows_hash(bigint[], date[], text[]) FROM PUBLIC;
