-- move/sizes: the relations a move carries, reading_day by partition: live rows (the
-- statistics' estimate, no scan) and bytes on disk. Used by plan and status on both sides.
WITH rel AS (
    SELECT t AS oid FROM meterops.migration_tables() t WHERE t <> 'meterops.reading_day'::regclass
    UNION ALL
    SELECT i.inhrelid::regclass FROM pg_inherits i WHERE i.inhparent = 'meterops.reading_day'::regclass)
SELECT r.oid::text AS relation, coalesce(s.n_live_tup, 0) AS est_rows,
       pg_total_relation_size(r.oid) AS bytes
  FROM rel r LEFT JOIN pg_stat_user_tables s ON s.relid = r.oid
 ORDER BY 1
