-- console/file_attempts: a file's attempts, newest first (load_attempt, one row per claim):
-- when, by whom, how each ended, its counts and message. $1 file_id.
SELECT a.attempt, extract(epoch FROM a.started_at)::bigint AS started_at,
       coalesce(extract(epoch FROM a.finished_at)::bigint, 0) AS finished_at,
       coalesce(a.claimed_by, '') AS claimed_by, a.status, a.rows_total, a.rows_loaded,
       a.rows_rejected, a.readings_loaded, coalesce(a.message, '') AS message
FROM meterops.load_attempt a
WHERE a.file_id = $1
ORDER BY a.attempt DESC
LIMIT 100
