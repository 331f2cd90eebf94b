-- customer_register_reads: the latest read of each register of each meter of one account
-- (D0010 register reads, 020), for `meterops customer` and the console. Support has no
-- table rights: this function is how it sees them. No rows for an unknown account or a
-- meter without register reads.
CREATE OR REPLACE FUNCTION meterops.customer_register_reads(account_no text)
RETURNS TABLE (mpxn text, meter_serial text, register_id text, read_at timestamptz,
               reading numeric, reading_type text, reading_flag text, reading_method text)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 4
SET search_path = pg_catalog, meterops SET jit = off AS $$
    SELECT DISTINCT ON (m.mpxn, r.meter_serial, r.register_id)
           m.mpxn, r.meter_serial, r.register_id, r.read_at, r.reading, r.reading_type,
           r.reading_flag, r.reading_method
    FROM meterops.customer c
    JOIN meterops.meter m ON m.customer_id = c.customer_id
    JOIN meterops.register_read r ON r.meter_id = m.meter_id
    WHERE c.account_no = customer_register_reads.account_no
    ORDER BY m.mpxn, r.meter_serial, r.register_id, r.read_at DESC
$$;
REVOKE ALL ON FUNCTION meterops.customer_register_reads(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_register_reads(text) TO meterops_support, meterops_operator;
