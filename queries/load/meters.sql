-- The meter registry as the loader needs it (meter id as written -> meter_id, interval,
-- whether it is gas: the seen bitmaps are kept per fuel),
-- streamed to the client once per file: COPY keeps a registry of millions of meters out
-- of a single result set.
COPY (SELECT mpxn, meter_id, interval_minutes, fuel = 'gas' FROM meterops.meter) TO STDOUT
