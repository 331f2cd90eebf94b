-- Whether a meter has any reading_day row: the registry feed (queries/load/upsert_meters.sql)
-- refuses a change of interval for such a meter. A function rather than a correlated
-- EXISTS in the feed's statement because on Citus reading_day is distributed and that
-- statement (LATERAL ... LIMIT over local and reference tables) cannot be pushed down with
-- a distributed table in it; called on its own, the lookup is one router query to the
-- shard holding the meter. plpgsql, so it is never inlined back into the caller.
CREATE OR REPLACE FUNCTION meterops.meter_has_readings(meter_id bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM meterops.reading_day d WHERE d.meter_id = meter_has_readings.meter_id);
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_has_readings(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.meter_has_readings(bigint) TO meterops_loader;
