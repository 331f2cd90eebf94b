-- Names the file a loader connection is loading in its application_name ("meterops load
-- file 12", or the operator's own name with " file 12"), so pg_stat_activity and
-- pg_stat_progress_copy say which load_file row a COPY belongs to (console/dash_copy.sql).
-- $1 NULL takes the file's id off again once the file is done.
SELECT set_config('application_name',
                  regexp_replace(current_setting('application_name'), ' file [0-9]+$', '') ||
                  coalesce(' file ' || $1::bigint, ''), false)
