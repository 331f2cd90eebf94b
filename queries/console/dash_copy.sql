-- console/dash_copy: COPY statements in flight in this database (pg_stat_progress_copy),
-- with the session that runs them and, for a loader's COPY, the file it loads (the loader
-- puts "file N" at the end of its application_name, queries/load/app_name.sql). The
-- console's own backend is left out.
SELECT p.pid, coalesce(p.relid::regclass::text, '') AS relation, p.command, p.type,
       p.bytes_processed, p.bytes_total, p.tuples_processed, p.tuples_excluded,
       coalesce(a.application_name, '') AS application_name,
       coalesce(extract(epoch FROM now() - a.query_start)::bigint, 0) AS running_s,
       f.file_id, f.path
FROM pg_stat_progress_copy p
LEFT JOIN pg_stat_activity a ON a.pid = p.pid
LEFT JOIN meterops.load_file f
       ON f.file_id = (regexp_match(a.application_name, ' file ([0-9]{1,18})$'))[1]::bigint
WHERE p.datname = current_database() AND p.pid <> pg_backend_pid()
ORDER BY p.pid
