-- console/ack: acknowledges a rejected or failed file (meterops.ack_file: audited, checks
-- the status; operator only). $1 file id, $2 reason.
SELECT meterops.ack_file($1::bigint, $2)
