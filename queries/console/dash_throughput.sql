-- console/dash_throughput: readings per second over the last minute. Each file is taken to
-- load at an even rate between started_at and finished_at (or now, while loading), and only
-- the part of it that falls inside the last minute counts. A loading file's readings are its
-- progress_rows times the readings per row its format showed in files finished in the last
-- day (1 when none has: a long-format row is one reading).
WITH per_row AS (
    SELECT format, sum(readings_loaded)::float8 / sum(rows_loaded) AS readings_per_row
    FROM meterops.load_file
    WHERE status = 'loaded' AND rows_loaded > 0 AND finished_at > now() - interval '1 day'
    GROUP BY format
), recent AS (
    SELECT f.status, f.started_at, coalesce(f.finished_at, now()) AS ended_at,
           CASE WHEN f.status = 'loading' THEN f.progress_rows * coalesce(p.readings_per_row, 1)
                ELSE f.readings_loaded END AS readings
    FROM meterops.load_file f LEFT JOIN per_row p USING (format)
    WHERE f.started_at IS NOT NULL
      AND (f.status = 'loading' OR f.finished_at > now() - interval '1 minute')
)
SELECT coalesce(sum(readings
           * greatest(extract(epoch FROM ended_at - greatest(started_at, now() - interval '1 minute')), 0)
           / greatest(extract(epoch FROM ended_at - started_at), 1)) / 60.0, 0)::float8
       AS readings_per_s
FROM recent
