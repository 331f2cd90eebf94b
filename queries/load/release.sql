-- Gives a claimed file back to the queue untouched (the loader is stopping); its attempt
-- is closed as released.
WITH f AS (
UPDATE meterops.load_file
   SET status = 'queued', claimed_by = NULL, lease_until = NULL, message = $3
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
RETURNING file_id, attempts)
UPDATE meterops.load_attempt a
   SET status = 'released', message = $3, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = f.attempts
