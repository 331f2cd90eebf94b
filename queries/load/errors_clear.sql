-- A file loaded again (after a requeue), or failed, keeps only the errors of its latest
-- attempt: its kept rows and its summary go together. $1 file, $2 owner, $3 attempt: only
-- the file's holder may clear them (meterops.load_errors_clear()); false when not held.
SELECT meterops.load_errors_clear($1::bigint, $2, $3::int)
