-- console/jobs: the Jobs view: recent load jobs with their files counted by status and the
-- readings they loaded. $1 how many jobs at most.
SELECT j.job_id, j.host, j.pid, j.db_user, j.args, j.status,
       extract(epoch FROM j.started_at)::bigint                 AS started_at,
       coalesce(extract(epoch FROM j.finished_at)::bigint, 0)   AS finished_at,
       count(f.file_id)                                          AS files,
       count(*) FILTER (WHERE f.status = 'queued')               AS queued,
       count(*) FILTER (WHERE f.status = 'loading')              AS loading,
       count(*) FILTER (WHERE f.status = 'loaded')               AS loaded,
       count(*) FILTER (WHERE f.status = 'rejected')             AS rejected,
       count(*) FILTER (WHERE f.status = 'failed')               AS failed,
       coalesce(sum(f.readings_loaded), 0)                       AS readings
FROM meterops.load_job j
LEFT JOIN meterops.load_file f ON f.job_id = j.job_id
GROUP BY j.job_id
ORDER BY j.job_id DESC
LIMIT $1
