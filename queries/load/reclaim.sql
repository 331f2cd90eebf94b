-- After a lost connection: takes up the same file again for a fresh attempt, if the claim
-- is still ours (the lease did not run out meanwhile). The attempt that lost its
-- connection is closed as retried and the next one opened (meterops.load_reclaim()).
SELECT c.attempts, extract(epoch FROM now())::bigint AS now
FROM meterops.load_reclaim($1::bigint, $2, $3::int) c
