-- Registers the meters a file brought with --create-meters (ids from meter_ids.sql).
-- COPY writes the given identity values, like INSERT ... OVERRIDING SYSTEM VALUE.
COPY meterops.meter (meter_id, mpxn, fuel, interval_minutes) FROM STDIN
