-- Registers the meters a file brought with --create-meters (ids from meter_ids.sql).
-- COPY writes the given identity values, like INSERT ... OVERRIDING SYSTEM VALUE. direction
-- is export for the meter --export-meter names, else import.
COPY meterops.meter (meter_id, mpxn, fuel, interval_minutes, direction) FROM STDIN
