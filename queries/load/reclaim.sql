-- After a lost connection: takes up the same file again for a fresh attempt, if the claim
-- is still ours (the lease did not run out meanwhile).
UPDATE meterops.load_file f
   SET lease_until = now() + make_interval(secs => $3), attempts = f.attempts + 1,
       progress_rows = 0
 WHERE f.file_id = $1 AND f.claimed_by = $2 AND f.status = 'loading'
RETURNING f.attempts, extract(epoch FROM now())::bigint
