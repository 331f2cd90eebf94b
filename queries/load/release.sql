-- Gives a claimed file back to the queue untouched (the loader is stopping); its attempt
-- is closed as released. No row comes back when the claim is no longer this loader's (its
-- lease ran out and another loader took the file): the caller then finds out what became
-- of the file instead of saying it is back in the queue.
WITH f AS (
UPDATE meterops.load_file
   SET status = 'queued', claimed_by = NULL, lease_until = NULL, message = $3
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
RETURNING file_id, attempts),
a AS (
UPDATE meterops.load_attempt a
   SET status = 'released', message = $3, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = f.attempts)
SELECT file_id FROM f
