-- A block of meter ids for meters that --create-meters will register; the rows are
-- inserted (create_meters.sql) inside the file's transaction, so a rejected file
-- registers nothing. Sequence values are never reused, so gaps are harmless.
SELECT nextval(pg_get_serial_sequence('meterops.meter', 'meter_id')) FROM generate_series(1, $1)
