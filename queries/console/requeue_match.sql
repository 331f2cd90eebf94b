-- console/requeue_match: the files a `:requeue` filter names, for its confirmation ("requeue
-- 7 files?"). Only finished files can be requeued, so queued and loading ones never match.
-- $1 statuses as a text[] literal (NULL: rejected and failed), $2 job_id (NULL any),
-- $3 text the path contains ('' any), matched as files.sql does (the trigram index).
SELECT f.file_id
FROM meterops.load_file f
WHERE f.status = ANY (coalesce($1::text[], ARRAY['rejected', 'failed']))
  AND f.status IN ('loaded', 'rejected', 'failed')
  AND ($2::bigint IS NULL OR f.job_id = $2::bigint)
  AND ($3 = '' OR lower(f.path) LIKE '%' || replace(replace(replace(lower($3), '\', '\\'), '%', '\%'), '_', '\_') || '%')
ORDER BY f.file_id
