-- console/file_error_groups: a file's rejections grouped by code, most frequent first,
-- with the first and last line and the columns involved, each with its count
-- ("kwh 12, date 3"). Read from load_error_summary (exact counts written by the loader at
-- commit), a few rows whatever the file rejected. $1 file_id.
SELECT s.code, sum(s.errors)::bigint AS errors, min(s.first_line) AS first_line,
       max(s.last_line) AS last_line,
       coalesce(string_agg(s.column_name || ' ' || s.errors, ', '
                           ORDER BY s.errors DESC, s.column_name)
                FILTER (WHERE s.column_name <> ''), '') AS columns
FROM meterops.load_error_summary s
WHERE s.file_id = $1
GROUP BY s.code
ORDER BY sum(s.errors) DESC, s.code
