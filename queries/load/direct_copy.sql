-- The direct path: binary COPY of new meter-days straight into reading_day (routed to
-- the monthly partitions). A meter-day that exists already makes this fail with a
-- unique violation; the loader then sends that batch through the correction path.
COPY meterops.reading_day (meter_id, day, wh, flags, file_id) FROM STDIN (FORMAT binary)
