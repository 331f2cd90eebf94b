-- A file loaded again (after a requeue), or failed, keeps only the errors of its latest
-- attempt: its kept rows and its summary go together.
WITH s AS (DELETE FROM meterops.load_error_summary WHERE file_id = $1)
DELETE FROM meterops.load_error WHERE file_id = $1
