-- Keeps a claim alive and publishes progress (rows read so far), from the loader's own
-- autocommit connection, so it is visible while the file's transaction is still open.
-- No row back means the claim was lost (the lease ran out and another loader took it).
UPDATE meterops.load_file
   SET lease_until = now() + make_interval(secs => $3), progress_rows = $4
 WHERE file_id = $1 AND claimed_by = $2 AND attempts = $5 AND status = 'loading'
RETURNING file_id
