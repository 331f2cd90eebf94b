-- console/dash_loaders: the loader processes (meterops.loader) not stopped cleanly, with
-- a heartbeat in the last 24 hours: the live ones, and the ones gone lately (killed,
-- host lost). A loader is live while its heartbeat is younger than its lease; after that
-- the files it held are claimable by any other loader (claim.sql), so it is gone.
-- Reads the partial index loader_running_idx only. $1 how many rows at most.
SELECT l.loader_id, l.host, l.pid, l.kind, coalesce(l.job_id, 0) AS job_id,
       l.files_in_hand,
       extract(epoch FROM now() - l.heartbeat_at)::float8                AS heartbeat_age_s,
       extract(epoch FROM now() - l.started_at)::bigint                  AS running_s,
       l.heartbeat_at > now() - make_interval(secs => l.lease_s)         AS live
FROM meterops.loader l
WHERE l.stopped_at IS NULL
  AND l.heartbeat_at > now() - interval '24 hours'
ORDER BY l.heartbeat_at DESC
LIMIT $1
