-- console/dash_loading: the files loading now, with what a progress bar and an ETA need.
-- rows_total is only known when a file finishes, so the total is estimated from the file's
-- size and the bytes per row of finished files of the same format (any format when none).
-- $1 how many files at most.
WITH bpr AS (
    SELECT format, sum(bytes)::float8 / sum(rows_total) AS bytes_per_row
    FROM meterops.load_file
    WHERE status IN ('loaded', 'rejected') AND rows_total > 0 AND bytes > 0
    GROUP BY format
), any_bpr AS (
    SELECT sum(bytes)::float8 / nullif(sum(rows_total), 0) AS bytes_per_row
    FROM meterops.load_file
    WHERE status IN ('loaded', 'rejected') AND rows_total > 0 AND bytes > 0
)
SELECT f.file_id, f.job_id, f.path, f.format, f.bytes, f.progress_rows,
       CASE WHEN f.rows_total > 0 THEN f.rows_total
            WHEN coalesce(b.bytes_per_row, a.bytes_per_row) > 0
                THEN greatest(round(f.bytes / coalesce(b.bytes_per_row, a.bytes_per_row))::bigint,
                              f.progress_rows)
            ELSE -1 END                                              AS rows_estimate,
       coalesce(extract(epoch FROM now() - f.started_at)::bigint, 0) AS elapsed_s,
       coalesce(f.lease_until < now(), false)                        AS lease_expired,
       coalesce(f.claimed_by, '')                                    AS claimed_by
FROM meterops.load_file f
LEFT JOIN bpr b USING (format)
CROSS JOIN any_bpr a
WHERE f.status = 'loading'
ORDER BY f.started_at NULLS LAST, f.file_id
LIMIT $1
