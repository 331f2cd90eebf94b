-- An earlier copy of the same content that makes enqueueing it again pointless: loaded
-- (and not requeued since: a requeued file is 'queued' again), or waiting / loading now.
-- With the options that say what its rows mean (queue.c compares them with this run's).
SELECT file_id, status,
       to_char(coalesce(finished_at, queued_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC',
       path, options->>'meter', options->>'export_meter'
FROM meterops.load_file
WHERE sha256 = $1 AND status IN ('loaded', 'queued', 'loading')
ORDER BY status = 'loaded' DESC, file_id DESC
LIMIT 1
