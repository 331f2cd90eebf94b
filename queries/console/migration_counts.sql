-- console/migration_counts: the Migration view's exact row counts, on demand (`c`): each
-- relation a move carries, reading_day by partition (as move/sizes.sql lists them),
-- counted by a scan of its own. Run on the source and on the target alike.
WITH rel AS (
    SELECT t AS oid FROM meterops.migration_tables() t WHERE t <> 'meterops.reading_day'::regclass
    UNION ALL
    SELECT i.inhrelid::regclass FROM pg_inherits i WHERE i.inhparent = 'meterops.reading_day'::regclass)
SELECT r.oid::text AS relation,
       (xpath('/row/n/text()',
              query_to_xml(format('SELECT count(*) AS n FROM %s', r.oid), false, true, '')))[1]::text::bigint AS exact_rows
  FROM rel r
 ORDER BY 1
