-- Gives a claimed file back to the queue untouched (the loader is stopping).
UPDATE meterops.load_file
   SET status = 'queued', claimed_by = NULL, lease_until = NULL, message = $3
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
