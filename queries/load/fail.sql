-- A file that could not be loaded at all (unreadable, vanished, a database error that
-- retrying did not cure): failed, with the reason; it can be requeued once fixed. Nothing
-- of this attempt landed, so the file shows no counts and no errors (an earlier attempt's
-- are in its load_attempt row); the attempt is closed as failed. No row comes back when
-- the claim is no longer this loader's (another loader took the file).
WITH f AS (
UPDATE meterops.load_file
   SET status = 'failed', message = $3, finished_at = now(), lease_until = NULL,
       rows_total = 0, rows_loaded = 0, rows_rejected = 0, readings_loaded = 0,
       progress_rows = 0
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
RETURNING file_id, attempts),
a AS (
UPDATE meterops.load_attempt a
   SET status = 'failed', message = $3, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = f.attempts),
s AS (
DELETE FROM meterops.load_error_summary s USING f WHERE s.file_id = f.file_id),
e AS (
DELETE FROM meterops.load_error e USING f WHERE e.file_id = f.file_id)
SELECT file_id FROM f
