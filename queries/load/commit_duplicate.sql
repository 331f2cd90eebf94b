-- At commit: another file of the same content that is loaded already (two copies were
-- queued before either was hashed). The caller holds enqueue_lock's advisory lock for the
-- sha256, so whichever copy commits second waits for the first and then sees it here.
SELECT file_id,
       to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
FROM meterops.load_file
WHERE sha256 = $1 AND status = 'loaded' AND file_id <> $2
ORDER BY file_id
LIMIT 1
