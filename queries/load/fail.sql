-- A file that could not be loaded at all (unreadable, vanished, a database error that
-- retrying did not cure): failed, with the reason; it can be requeued once fixed.
UPDATE meterops.load_file
   SET status = 'failed', message = $3, finished_at = now(), lease_until = NULL
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
