-- A file that could not be loaded at all (unreadable, vanished, a database error that
-- retrying did not cure): failed, with the reason; it can be requeued once fixed. Nothing
-- of this attempt landed, so the file shows no counts and no errors (an earlier attempt's
-- are in its load_attempt row); the attempt is closed as failed. Only the file's holder
-- may: meterops.load_fail() (queries/functions/load_queue.sql).
SELECT meterops.load_fail($1::bigint, $2, $3)
