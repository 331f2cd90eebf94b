-- console/jobs: the Jobs view: recent load jobs with their files counted by status and the
-- readings they loaded. $1 how many jobs at most. The newest jobs come from the primary
-- key, and each one's files are counted from load_file_job_status_idx alone
-- (012_console_scale), so the cost is that of the jobs shown, not of every file.
SELECT j.job_id, j.host, j.pid, j.db_user, j.args, j.status,
       extract(epoch FROM j.started_at)::bigint                 AS started_at,
       coalesce(extract(epoch FROM j.finished_at)::bigint, 0)   AS finished_at,
       c.files, c.queued, c.loading, c.loaded, c.rejected, c.failed, c.readings
FROM (SELECT * FROM meterops.load_job ORDER BY job_id DESC LIMIT $1) j
CROSS JOIN LATERAL (
    SELECT count(*)                                          AS files,
           count(*) FILTER (WHERE f.status = 'queued')       AS queued,
           count(*) FILTER (WHERE f.status = 'loading')      AS loading,
           count(*) FILTER (WHERE f.status = 'loaded')       AS loaded,
           count(*) FILTER (WHERE f.status = 'rejected')     AS rejected,
           count(*) FILTER (WHERE f.status = 'failed')       AS failed,
           coalesce(sum(f.readings_loaded), 0)               AS readings
    FROM meterops.load_file f
    WHERE f.job_id = j.job_id) c
ORDER BY j.job_id DESC
