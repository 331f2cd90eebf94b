-- The Health view's Sizes: the largest tables and indexes and every reading_day partition,
-- with growth per day, without ever queueing behind a lock (issue 10, "Cheap").
-- The candidates are ranked by pg_class.relpages, a catalog read that takes no lock; only
-- they are measured, with pg_total_relation_size / pg_relation_size, which take
-- AccessShareLock for a moment. A relation someone holds or waits for in ACCESS EXCLUSIVE
-- mode (the one mode that conflicts) is not measured at all, so our request never joins
-- its queue and delays the sessions behind it; one locked between that check and the
-- measure fails fast (lock_timeout 50ms, this function's own) and is skipped too. Either
-- way the row says "locked" instead of a size.
-- Growth: the sizes are kept in size_sample at most once an hour (one caller at a time;
-- not on a standby); growth per day compares with the sample nearest to a day ago (at
-- least an hour old, at most 8 days). SECURITY DEFINER: the operator cannot write
-- size_sample, and the owner may size every relation.
CREATE OR REPLACE FUNCTION meterops.health_sizes(top int)
RETURNS TABLE (kind text, relname text, bytes bigint, per_day bigint, note text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, meterops SET lock_timeout = '50ms' AS $$
DECLARE
    locked oid[];
    c record;
    sample boolean;
    old record;
BEGIN
    SELECT coalesce(array_agg(DISTINCT l.relation), '{}') INTO locked
      FROM pg_locks l
     WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
       AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
    sample := NOT pg_is_in_recovery()
              AND NOT EXISTS (SELECT 1 FROM meterops.size_sample s WHERE s.at > now() - interval '1 hour')
              AND pg_try_advisory_xact_lock(hashtext('meterops.size_sample'));
    FOR c IN
        (SELECT 'table'::text AS k, r.oid, r.relpages FROM pg_class r
          WHERE r.relkind IN ('r', 'm') AND NOT r.relispartition
            AND r.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          ORDER BY r.relpages DESC LIMIT top)
        UNION ALL
        (SELECT 'index', r.oid, r.relpages FROM pg_class r
          WHERE r.relkind = 'i'
            AND r.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)
          ORDER BY r.relpages DESC LIMIT top)
        UNION ALL
        (SELECT 'partition', i.inhrelid, r.relpages FROM pg_inherits i JOIN pg_class r ON r.oid = i.inhrelid
          WHERE i.inhparent = 'meterops.reading_day'::regclass
          ORDER BY r.relname DESC)
    LOOP
        kind := c.k;
        SELECT format('%I.%I', n.nspname, r.relname) INTO relname
          FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace WHERE r.oid = c.oid;
        bytes := NULL;
        per_day := NULL;
        note := '';
        IF c.oid = ANY (locked) THEN
            note := 'locked';
        ELSE
            BEGIN
                bytes := CASE WHEN c.k = 'index' THEN pg_relation_size(c.oid)
                              ELSE pg_total_relation_size(c.oid) END;
            EXCEPTION WHEN lock_not_available THEN
                note := 'locked';
            END;
        END IF;
        IF bytes IS NOT NULL THEN
            SELECT s.at, s.bytes AS b INTO old FROM meterops.size_sample s
             WHERE s.relname = health_sizes.relname
               AND s.at BETWEEN now() - interval '8 days' AND now() - interval '1 hour'
             ORDER BY abs(extract(epoch FROM s.at - (now() - interval '1 day'))) LIMIT 1;
            IF FOUND THEN
                per_day := ((bytes - old.b) * 86400.0 / extract(epoch FROM now() - old.at))::bigint;
            END IF;
            IF sample THEN
                INSERT INTO meterops.size_sample (at, relname, bytes)
                VALUES (now(), health_sizes.relname, health_sizes.bytes) ON CONFLICT DO NOTHING;
            END IF;
        END IF;
        RETURN NEXT;
    END LOOP;
    IF sample THEN
        DELETE FROM meterops.size_sample s WHERE s.at < now() - interval '40 days';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION meterops.health_sizes(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.health_sizes(int) TO meterops_operator;
