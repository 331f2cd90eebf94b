-- Keeps a claim alive and publishes progress (rows read so far), from the loader's own
-- autocommit connection, so it is visible while the file's transaction is still open.
-- No row back means the claim was lost (the lease ran out and another loader took it).
-- $1 file, $2 owner (claimed_by), $3 lease seconds, $4 rows read, $5 attempt.
SELECT meterops.load_renew($1::bigint, $2, $3::int, $4::bigint, $5::int) AS file_id
