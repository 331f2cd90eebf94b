-- 003_loader: what the loader needs beyond 001/002.
-- --create-meters takes a block of meter ids from the identity sequence outside the file's
-- transaction (meter_ids.sql) and registers the meters inside it with those ids.
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO meterops_loader',
                   pg_get_serial_sequence('meterops.meter', 'meter_id'));
END
$$;
