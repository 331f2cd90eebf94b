-- move/rows_hash: move/checksums for the reading_day rows of the keys $1 (bigint[]), $2
-- (date[]) in partitions $3 (text[], each key's), per partition: cutover's verify of the
-- rows loads changed since a partition was last verified whole
-- (meterops.migration_rows_hash, queries/functions/move_checksums.sql).
SELECT relation, rows::text, NULL::text AS wh, digest::text
  FROM meterops.migration_rows_hash($1::bigint[], $2::date[], $3::text[])
 ORDER BY 1
