-- console/dash_waiting: the files waiting for a loader, oldest first: queued, or loading
-- with an expired lease (abandoned: the loader that held it is gone; any loader claims it
-- as if queued). Named by `status` when no live loader is there to take them.
-- Two index scans of load_file_status_idx (status, queued_at), $1 rows each at most.
(SELECT f.file_id, false AS abandoned, coalesce(f.claimed_by, '') AS claimed_by
   FROM meterops.load_file f
  WHERE f.status = 'queued'
  ORDER BY f.queued_at, f.file_id
  LIMIT $1)
UNION ALL
(SELECT f.file_id, true, coalesce(f.claimed_by, '')
   FROM meterops.load_file f
  WHERE f.status = 'loading' AND f.lease_until < now()
  ORDER BY f.queued_at, f.file_id
  LIMIT $1)
