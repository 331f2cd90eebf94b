-- console/file_errors: a file's validation errors, the first $2 lines of each code, in
-- line order within code: what the file detail view expands and searches.
-- $1 file_id, $2 rows per code.
SELECT code, line_no, coalesce(column_name, '') AS column_name, message, coalesce(raw, '') AS raw
FROM (SELECT e.*, row_number() OVER (PARTITION BY e.code ORDER BY e.line_no) AS n
      FROM meterops.load_error e
      WHERE e.file_id = $1) e
WHERE e.n <= $2
ORDER BY e.code, e.line_no
