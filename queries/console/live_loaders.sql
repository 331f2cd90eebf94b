-- console/live_loaders: how many loaders are alive now (heartbeat younger than their lease),
-- so `requeue` and `:requeue` can say when nobody is there to take the files. Reads the
-- partial index loader_running_idx only.
SELECT count(*) FROM meterops.loader l
WHERE l.stopped_at IS NULL
  AND l.heartbeat_at > now() - interval '24 hours'
  AND l.heartbeat_at > now() - make_interval(secs => l.lease_s)
