-- After a lost connection: takes up the same file again for a fresh attempt, if the claim
-- is still ours (the lease did not run out meanwhile). The attempt that lost its
-- connection is closed as retried and the next one opened.
WITH c AS (
UPDATE meterops.load_file f
   SET lease_until = now() + make_interval(secs => $3), attempts = f.attempts + 1,
       progress_rows = 0
 WHERE f.file_id = $1 AND f.claimed_by = $2 AND f.status = 'loading'
RETURNING f.file_id, f.attempts, extract(epoch FROM now())::bigint AS now),
retried AS (
UPDATE meterops.load_attempt a
   SET status = 'retried', finished_at = now(),
       message = 'the attempt ended without a result (connection lost or a retryable error)'
  FROM c
 WHERE a.file_id = c.file_id AND a.status = 'loading'),
opened AS (
INSERT INTO meterops.load_attempt (file_id, attempt, claimed_by)
SELECT c.file_id, c.attempts, $2 FROM c
ON CONFLICT (file_id, attempt) DO NOTHING)
SELECT c.attempts, c.now FROM c
