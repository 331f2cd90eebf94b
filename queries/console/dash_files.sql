-- console/dash_files: the dashboard's and `meterops status`'s file counts. queued and
-- loading are the queue as it stands; loaded, rejected and failed count files that finished
-- in the last 24 hours. Also the age of the oldest queued file and the loading files whose
-- lease expired (their loader stopped renewing it: crashed or cut off).
SELECT count(*) FILTER (WHERE status = 'queued')                       AS queued,
       count(*) FILTER (WHERE status = 'loading')                      AS loading,
       count(*) FILTER (WHERE status = 'loaded' AND recent)            AS loaded,
       count(*) FILTER (WHERE status = 'rejected' AND recent)          AS rejected,
       count(*) FILTER (WHERE status = 'failed' AND recent)            AS failed,
       coalesce(extract(epoch FROM now() - min(queued_at) FILTER (WHERE status = 'queued'))::bigint, -1)
                                                                       AS oldest_queued_s,
       count(*) FILTER (WHERE status = 'loading' AND lease_until < now()) AS expired_leases,
       coalesce(sum(readings_loaded) FILTER (WHERE recent), 0)         AS readings_24h,
       coalesce(sum(rows_rejected) FILTER (WHERE recent), 0)           AS rows_rejected_24h
FROM (SELECT f.*, f.finished_at > now() - interval '24 hours' AS recent
      FROM meterops.load_file f
      WHERE f.status IN ('queued', 'loading')
         OR f.finished_at > now() - interval '24 hours') f
