-- console/file_errors: a file's rejected rows kept in load_error (the loader keeps the
-- first of each code, --keep-errors), the first $2 lines of each code, in line order
-- within code: what the file detail view expands and searches. One index range scan per
-- code (load_error_file_idx), the codes from load_error_summary.
-- $1 file_id, $2 rows per code.
SELECT c.code, e.line_no, coalesce(e.column_name, '') AS column_name, e.message,
       coalesce(e.raw, '') AS raw
FROM (SELECT DISTINCT s.code FROM meterops.load_error_summary s WHERE s.file_id = $1) c
CROSS JOIN LATERAL (
    SELECT x.line_no, x.column_name, x.message, x.raw
    FROM meterops.load_error x
    WHERE x.file_id = $1 AND x.code = c.code
    ORDER BY x.line_no
    LIMIT $2) e
ORDER BY c.code, e.line_no
