-- move/rows_hash: move/checksums for the reading_day rows of the keys $1 (bigint[]) and $2
-- (date[]), per partition: cutover's verify of the rows loads changed since a partition was
-- last verified whole. A key with no row counts nowhere (a row deleted on both sides). One
-- index probe per key, into the partition its day prunes to at run time (OFFSET 0 keeps
-- the planner from turning the probes into a scan of every partition), summed per
-- partition before its name is looked up.
WITH per_part AS (
    SELECT x.tableoid, count(*) AS n, sum(x.h) AS h
      FROM unnest($1::bigint[], $2::date[]) AS k(meter_id, day)
     CROSS JOIN LATERAL (SELECT r.tableoid, hash_record_extended(r, 0)::numeric AS h
                           FROM meterops.reading_day r
                          WHERE r.meter_id = k.meter_id AND r.day = k.day
                         OFFSET 0) x
     GROUP BY x.tableoid
)
SELECT format('%I.%I', n.nspname, c.relname) AS relation, p.n::text AS rows, NULL::text AS wh,
       p.h::text AS digest
  FROM per_part p
  JOIN pg_class c ON c.oid = p.tableoid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 ORDER BY 1
