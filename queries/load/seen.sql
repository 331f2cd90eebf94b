-- Marks the meter-days a file wrote in meterops.meter_seen (009_meter_counts.sql), in the
-- file's transaction just before COMMIT: one row per (day, fuel, chunk of 65536 meter ids)
-- the file touched, ORed into what is there (a day written again sets its bit again).
-- $1 days since 1970-01-01, $2 fuels, $3 chunks, $4 65536-bit strings (backend/seenmap.c);
-- rows come sorted, so two loaders' commits lock shared rows in the same order.
-- meterops.meter_seen_mark() does it: the loader may add bits, never clear them.
SELECT meterops.meter_seen_mark($1::int[], $2::text[], $3::int[], $4::varbit[])
