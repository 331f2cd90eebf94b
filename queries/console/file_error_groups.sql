-- console/file_error_groups: a file's validation errors grouped by code, most frequent
-- first, with the first and last line and the columns involved. $1 file_id.
SELECT e.code, count(*) AS errors, min(e.line_no) AS first_line, max(e.line_no) AS last_line,
       coalesce(string_agg(DISTINCT e.column_name, ', '), '') AS columns
FROM meterops.load_error e
WHERE e.file_id = $1
GROUP BY e.code
ORDER BY count(*) DESC, e.code
