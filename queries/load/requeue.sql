-- Puts a finished file back in the queue (audited by the function itself).
SELECT meterops.requeue_file($1::bigint, $2)
