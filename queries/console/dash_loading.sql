-- console/dash_loading: the files loading now, with what a progress bar and an ETA need.
-- rows_total is only known when a file finishes, so the total is estimated from the file's
-- size and the bytes per row of the 200 most recent finished files of the same format (any
-- format when none): a bounded window read newest first from load_file_format_finished_idx
-- (012_console_scale), so the cost does not grow with the files ever loaded, and the
-- estimate follows what the files of that format look like now.
-- $1 how many files at most.
WITH loading AS (
    SELECT f.* FROM meterops.load_file f
    WHERE f.status = 'loading'
    ORDER BY f.started_at NULLS LAST, f.file_id
    LIMIT $1
), bpr AS (
    SELECT l.format,
           (SELECT sum(w.bytes)::float8 / nullif(sum(w.rows_total), 0)
            FROM (SELECT r.bytes, r.rows_total FROM meterops.load_file r
                  WHERE r.format = l.format AND r.status IN ('loaded', 'rejected')
                    AND r.rows_total > 0 AND r.bytes > 0
                  ORDER BY r.finished_at DESC LIMIT 200) w) AS bytes_per_row
    FROM (SELECT DISTINCT format FROM loading) l
), any_bpr AS (
    SELECT sum(w.bytes)::float8 / nullif(sum(w.rows_total), 0) AS bytes_per_row
    FROM (SELECT r.bytes, r.rows_total FROM meterops.load_file r
          WHERE r.status IN ('loaded', 'rejected') AND r.rows_total > 0 AND r.bytes > 0
            AND r.finished_at IS NOT NULL
          ORDER BY r.finished_at DESC LIMIT 200) w
    WHERE EXISTS (SELECT 1 FROM loading)
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
FROM loading f
LEFT JOIN bpr b USING (format)
CROSS JOIN any_bpr a
ORDER BY f.started_at NULLS LAST, f.file_id
LIMIT $1
