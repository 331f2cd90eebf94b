-- console/dash_problems: "what failed, why, since when" on the first screen: the latest
-- failed or rejected files of the last 24 hours, newest first, with the first error (the
-- first load_error row in index order: its code, else the file's message) and whether it
-- was acknowledged (meterops.ack_file) since it finished. unacked_failed/unacked_rejected
-- count every such file of the 24 hours (not only the rows shown): they set the health
-- level. Reads the partial index load_file_problem_idx, then one load_error index probe
-- per row shown. $1 how many rows at most.
WITH recent AS (
    SELECT f.file_id, f.status, f.path, f.message, f.finished_at,
           (f.acked_at IS NOT NULL AND f.acked_at >= f.finished_at) AS acked,
           f.acked_by, f.ack_reason
    FROM meterops.load_file f
    WHERE f.status IN ('rejected', 'failed')
      AND f.finished_at > now() - interval '24 hours'
), shown AS (
    SELECT r.*,
           count(*) FILTER (WHERE NOT r.acked AND r.status = 'failed') OVER ()   AS unacked_failed,
           count(*) FILTER (WHERE NOT r.acked AND r.status = 'rejected') OVER () AS unacked_rejected
    FROM recent r
    ORDER BY r.finished_at DESC, r.file_id DESC
    LIMIT $1
)
SELECT s.file_id, s.status, s.path,
       extract(epoch FROM now() - s.finished_at)::bigint        AS age_s,
       coalesce(e.code, '')                                     AS code,
       coalesce(e.message, s.message, '')                       AS message,
       s.acked, coalesce(s.acked_by, '') AS acked_by, coalesce(s.ack_reason, '') AS ack_reason,
       s.unacked_failed, s.unacked_rejected
FROM shown s
LEFT JOIN LATERAL (
    SELECT le.code, le.message FROM meterops.load_error le
    WHERE le.file_id = s.file_id
    ORDER BY le.code, le.line_no
    LIMIT 1) e ON true
ORDER BY s.finished_at DESC, s.file_id DESC
