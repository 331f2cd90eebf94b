-- customer/register_reads: the latest read of each register of each meter of one account
-- (D0010), as meterops.customer_register_reads gives. $1 = account_no.
SELECT r.mpxn, r.meter_serial, r.register_id,
       to_char(r.read_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI:SS') AS read_at,
       r.reading::text, r.reading_type, r.reading_flag, r.reading_method
FROM meterops.customer_register_reads($1) r
