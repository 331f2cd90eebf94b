-- customer_register_reads: the latest read of each register of each meter of one account
-- (D0010 register reads, 020), for `meterops customer` and the console. Support has no
-- table rights: this function is how it sees them. No rows for an unknown account or a
-- meter without register reads. PL/pgSQL that finds the account's meters first and then
-- reads register_read by each meter_id as a value, as meter_slots (usage.sql) does: on
-- Citus that is one router query to the shard holding the meter (a SQL function's
-- parameterized join with the distributed table cannot be planned there).
CREATE OR REPLACE FUNCTION meterops.customer_register_reads(account_no text)
RETURNS TABLE (mpxn text, meter_serial text, register_id text, read_at timestamptz,
               reading numeric, reading_type text, reading_flag text, reading_method text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 4
SET search_path = pg_catalog, meterops SET jit = off AS $$
#variable_conflict use_column
DECLARE
    m record;
BEGIN
    FOR m IN
        SELECT mt.meter_id, mt.mpxn
        FROM meterops.customer c
        JOIN meterops.meter mt ON mt.customer_id = c.customer_id
        WHERE c.account_no = customer_register_reads.account_no
        ORDER BY mt.mpxn
    LOOP
        RETURN QUERY
        SELECT DISTINCT ON (r.meter_serial, r.register_id)
               m.mpxn::text, r.meter_serial, r.register_id, r.read_at, r.reading, r.reading_type,
               r.reading_flag, r.reading_method
        FROM meterops.register_read r
        WHERE r.meter_id = m.meter_id
        ORDER BY r.meter_serial, r.register_id, r.read_at DESC;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION meterops.customer_register_reads(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_register_reads(text) TO meterops_support, meterops_operator;
