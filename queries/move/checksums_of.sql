-- move/checksums_of: move/checksums limited to the relations of $2 (a text[] literal; NULL:
-- all): cutover's verify inside the pause, of what changed since the verify before it.
SELECT relation, rows, wh, digest FROM meterops.migration_checksums_of($1::boolean, $2::text[])
