-- At commit: another file of the same content that is loaded already (two copies were
-- queued before either was hashed). The caller holds enqueue_lock's advisory lock for the
-- sha256, so whichever copy commits second waits for the first and then sees it here.
-- same_meaning: both were loaded with the same --meter and --export-meter (the options
-- that say whose readings the rows are); if not, the second is refused, not skipped.
SELECT o.file_id,
       to_char(o.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC',
       o.options->'meter' IS NOT DISTINCT FROM me.options->'meter'
           AND o.options->'export_meter' IS NOT DISTINCT FROM me.options->'export_meter'
           AS same_meaning
FROM meterops.load_file o
JOIN meterops.load_file me ON me.file_id = $2
WHERE o.sha256 = $1 AND o.status = 'loaded' AND o.file_id <> $2
ORDER BY o.file_id
LIMIT 1
