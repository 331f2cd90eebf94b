-- console/dash_throughput: one sample of the load's progress, from which the console takes
-- the current rate as the difference between two samples a few seconds apart
-- (fetch_dashboard.h, dash_rate_update), and `status` the loading files' own rates.
-- Rows by kind:
--   'l' a loading file, 'f' one finished since $1 (the previous sample's server time, epoch
--       seconds; NULL: the last 10 s): id file_id, readings so far (a loading file's
--       progress_rows times its format's readings per row in the last day's loaded files,
--       1 when none; a finished file's readings_loaded), bytes_done (a loading file's bytes
--       times progress_rows over its estimated rows, from the bytes per row of the 200 most
--       recent finished files of its format, as dash_loading; a finished file's bytes),
--       bytes, elapsed_s since it started;
--   'c' a loader's COPY in flight (pg_stat_progress_copy of a session whose
--       application_name ends in " file N"): id pid, readings tuples_processed, bytes file N;
--   'q' one row: bytes the queued files hold;
--   't' one row: the server's clock (epoch seconds) in readings.
-- Index-driven: the loading and queued files from load_file_status_idx, the finished
-- ones from load_file_finished_idx.
WITH loading AS (
    SELECT f.file_id, f.format, f.bytes, f.progress_rows, f.started_at
    FROM meterops.load_file f
    WHERE f.status = 'loading'
), per_row AS (
    SELECT l.format,
           (SELECT sum(w.readings_loaded)::float8 / nullif(sum(w.rows_loaded), 0)
            FROM (SELECT r.readings_loaded, r.rows_loaded FROM meterops.load_file r
                  WHERE r.format = l.format AND r.status IN ('loaded', 'rejected')
                    AND r.rows_total > 0 AND r.bytes > 0
                  ORDER BY r.finished_at DESC LIMIT 200) w) AS readings_per_row,
           (SELECT sum(w.bytes)::float8 / nullif(sum(w.rows_total), 0)
            FROM (SELECT r.bytes, r.rows_total FROM meterops.load_file r
                  WHERE r.format = l.format AND r.status IN ('loaded', 'rejected')
                    AND r.rows_total > 0 AND r.bytes > 0
                  ORDER BY r.finished_at DESC LIMIT 200) w) AS bytes_per_row
    FROM (SELECT DISTINCT format FROM loading) l
)
SELECT 'l' AS kind, l.file_id AS id,
       l.progress_rows * coalesce(p.readings_per_row, 1) AS readings,
       CASE WHEN p.bytes_per_row > 0 THEN least(l.progress_rows * p.bytes_per_row, l.bytes::float8)
            ELSE 0 END AS bytes_done,
       l.bytes, coalesce(extract(epoch FROM now() - l.started_at), 0)::float8 AS elapsed_s
FROM loading l LEFT JOIN per_row p USING (format)
UNION ALL
SELECT 'f', f.file_id, f.readings_loaded, f.bytes, f.bytes,
       coalesce(extract(epoch FROM f.finished_at - f.started_at), 0)::float8
FROM meterops.load_file f
WHERE f.finished_at > coalesce(to_timestamp($1::float8), now() - interval '10 seconds')
  AND f.status IN ('loaded', 'rejected', 'failed')
UNION ALL
SELECT 'c', p.pid, p.tuples_processed, 0,
       coalesce((regexp_match(a.application_name, ' file ([0-9]{1,18})$'))[1]::bigint, 0), 0
FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid
WHERE p.datname = current_database() AND a.application_name ~ ' file [0-9]{1,18}$'
UNION ALL
SELECT 'q', 0, 0, 0, coalesce(sum(bytes), 0)::bigint, 0
FROM meterops.load_file WHERE status = 'queued'
UNION ALL
SELECT 't', 0, extract(epoch FROM clock_timestamp())::float8, 0, 0, 0
