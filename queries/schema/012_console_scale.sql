-- 012_console_scale: indexes that keep the console's file queries flat at 100k load_file
-- rows and more (queries/console/files.sql, requeue_match.sql, jobs.sql, dash_loading.sql).

-- The path filter (files, requeue_match) is a case-insensitive substring:
-- lower(path) LIKE '%text%', which only a trigram index serves. 006_customer has already
-- created pg_trgm where it is available and allowed; without it the filter still works by
-- a scan and this step says so.
DO $$
DECLARE
    ext_schema text;
BEGIN
    SELECT n.nspname INTO ext_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX IF NOT EXISTS load_file_path_trgm_idx ON meterops.load_file '
                       'USING gin (lower(path) %I.gin_trgm_ops)', ext_schema);
    ELSE
        RAISE NOTICE 'pg_trgm is not available: the files path filter will scan load_file';
    END IF;
END
$$;

-- Jobs: each job's files counted by status from the index alone (an index-only scan of
-- the job's entries, not the table).
CREATE INDEX IF NOT EXISTS load_file_job_status_idx
    ON meterops.load_file (job_id, status) INCLUDE (readings_loaded);

-- Loading: the bytes per row of a format is taken from its most recent finished files (a
-- bounded window, dash_loading.sql), read newest first from this index.
CREATE INDEX IF NOT EXISTS load_file_format_finished_idx
    ON meterops.load_file (format, finished_at DESC) INCLUDE (bytes, rows_total)
    WHERE status IN ('loaded', 'rejected') AND rows_total > 0 AND bytes > 0;
