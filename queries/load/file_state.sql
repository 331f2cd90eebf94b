-- Where some files stand, for a `meterops load FILE...` run waiting on its files
-- (another loader may be loading some of them; the run's own are reported by its engine),
-- and what became of a file a loader lost (its lease ran out while it was stalled).
SELECT file_id, status, path, rows_total, rows_loaded, rows_rejected, readings_loaded,
       coalesce(message, ''),
       extract(epoch FROM (coalesce(finished_at, now()) - coalesce(started_at, now())))::float8,
       coalesce(claimed_by, '')
FROM meterops.load_file
WHERE file_id = ANY ($1::bigint[])
