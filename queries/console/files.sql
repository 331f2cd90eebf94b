-- console/files: the Files view (and the file detail's metadata): files matching the
-- operator's filter, newest first, with how many match in all. An id list narrows it to
-- those files, which is how a LISTEN event refreshes just the files it names.
-- $1 status ('' any), $2 text the path contains, case-insensitive ('' any),
-- $3 job_id (NULL any), $4 file ids as a bigint[] literal (NULL any), $5 row limit.
-- At 100k files: the rows come newest first from the primary key, the path filter from
-- the trigram index on lower(path) (012_console_scale; LIKE with the text's % _ \
-- escaped), and `matching` is counted up to 1,001 only: above 1,000 the view says
-- "1,000+" (fetch_files.h, FILES_MATCHING_CAP).
SELECT f.file_id, coalesce(f.job_id, 0) AS job_id, f.path, f.format, f.status, f.sha256,
       f.bytes, f.rows_total, f.rows_loaded, f.rows_rejected, f.readings_loaded,
       f.progress_rows, coalesce(f.message, '') AS message,
       extract(epoch FROM f.queued_at)::bigint                 AS queued_at,
       coalesce(extract(epoch FROM f.started_at)::bigint, 0)   AS started_at,
       coalesce(extract(epoch FROM f.finished_at)::bigint, 0)  AS finished_at,
       coalesce(extract(epoch FROM f.lease_until)::bigint, 0)  AS lease_until,
       coalesce(f.claimed_by, '') AS claimed_by, f.attempts, f.requeues,
       m.matching
FROM meterops.load_file f
CROSS JOIN (SELECT count(*) AS matching
            FROM (SELECT 1 FROM meterops.load_file c
                  WHERE ($1 = '' OR c.status = $1)
                    AND ($2 = '' OR lower(c.path) LIKE '%' || replace(replace(replace(lower($2), '\', '\\'), '%', '\%'), '_', '\_') || '%')
                    AND ($3::bigint IS NULL OR c.job_id = $3::bigint)
                    AND ($4::bigint[] IS NULL OR c.file_id = ANY ($4::bigint[]))
                  LIMIT 1001) capped) m
WHERE ($1 = '' OR f.status = $1)
  AND ($2 = '' OR lower(f.path) LIKE '%' || replace(replace(replace(lower($2), '\', '\\'), '%', '\%'), '_', '\_') || '%')
  AND ($3::bigint IS NULL OR f.job_id = $3::bigint)
  AND ($4::bigint[] IS NULL OR f.file_id = ANY ($4::bigint[]))
ORDER BY f.file_id DESC
LIMIT $5
