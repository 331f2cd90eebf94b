-- Closes a file inside its own transaction, together with its readings and errors. The
-- claim is checked: if the lease ran out and another loader took the file, no row comes
-- back and the caller rolls everything back. $11 is the sha256 of the bytes the loader
-- read (NULL when it read none); it fills in what was not known when the file was queued.
-- The attempt's own row (load_attempt) gets the same outcome.
WITH f AS (
UPDATE meterops.load_file
   SET status = $4, format = $5, rows_total = $6, rows_loaded = $7, rows_rejected = $8,
       readings_loaded = $9, progress_rows = $6, message = $10, finished_at = now(),
       lease_until = NULL, sha256 = coalesce($11, sha256)
 WHERE file_id = $1 AND claimed_by = $2 AND attempts = $3 AND status = 'loading'
RETURNING file_id),
a AS (
UPDATE meterops.load_attempt a
   SET status = $4, rows_total = $6, rows_loaded = $7, rows_rejected = $8,
       readings_loaded = $9, message = $10, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = $3)
SELECT file_id FROM f
