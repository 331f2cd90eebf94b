-- Usage of one meter in Europe/London days. A local day is 46, 48 or 50 half-hours; it
-- spans at most two UTC days of reading_day, so a local day reads the two UTC rows that can
-- hold its intervals.

-- meter_slots: every reading present (wh not NULL) of one meter whose interval starts in a
-- local day from from_day to to_day, with its UTC and local start. The one place that turns
-- reading_day arrays into intervals; usage, cost and heatmap functions all read through it.
-- Internal: not SECURITY DEFINER and no SET clause (it runs with its SECURITY DEFINER
-- callers' rights and search_path; every name is schema-qualified), and only the owner may
-- EXECUTE it. PL/pgSQL that looks the meter up first and then reads reading_day by its
-- meter_id as a value: on Citus, where reading_day is distributed by meter_id, that read is
-- one router query to the shard holding the meter (a SQL function's parameterized query
-- on a distributed table cannot be planned there at all); on one server it is the same
-- primary-key range scan as before.
CREATE OR REPLACE FUNCTION meterops.meter_slots(mpxn text, from_day date, to_day date)
RETURNS TABLE (meter_id bigint, local_day date, utc_start timestamptz, local_start timestamp,
               minutes int, wh int, quality text)
LANGUAGE plpgsql STABLE ROWS 1488 AS $$
#variable_conflict use_column
DECLARE
    id bigint;
    step int;
BEGIN
    SELECT m.meter_id, m.interval_minutes INTO id, step
    FROM meterops.meter m WHERE m.mpxn = meter_slots.mpxn;
    IF id IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT r.meter_id,
           l.local_start::date,
           t.utc_start,
           l.local_start,
           step,
           u.wh,
           CASE WHEN r.flags IS NULL OR pg_catalog.length(r.flags) < u.i THEN 'A'
                ELSE pg_catalog.chr(pg_catalog.get_byte(r.flags, (u.i - 1)::int)) END
    FROM meterops.reading_day r
    CROSS JOIN LATERAL pg_catalog.unnest(r.wh) WITH ORDINALITY AS u(wh, i)
    CROSS JOIN LATERAL (
        SELECT (r.day::timestamp + (u.i - 1) * pg_catalog.make_interval(mins => step))
               AT TIME ZONE 'UTC' AS utc_start) t
    CROSS JOIN LATERAL (SELECT t.utc_start AT TIME ZONE 'Europe/London' AS local_start) l
    WHERE r.meter_id = id
      AND r.day BETWEEN meter_slots.from_day - 1 AND meter_slots.to_day
      AND u.wh IS NOT NULL
      AND l.local_start::date BETWEEN meter_slots.from_day AND meter_slots.to_day;
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_slots(text, date, date) FROM PUBLIC;

-- Daily usage of one meter. intervals counts the readings present in the local day.
CREATE OR REPLACE FUNCTION meterops.meter_usage_daily(mpxn text, from_day date, to_day date)
RETURNS TABLE (day date, kwh numeric, intervals int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
    SELECT d::date AS day,
           round(coalesce(sum(s.wh), 0) / 1000.0, 3) AS kwh,
           count(s.wh)::int AS intervals
    FROM generate_series(from_day, to_day, interval '1 day') AS d
    LEFT JOIN meterops.meter_slots(meter_usage_daily.mpxn, from_day, to_day) s ON s.local_day = d::date
    WHERE EXISTS (SELECT 1 FROM meterops.meter WHERE meter.mpxn = meter_usage_daily.mpxn)
    GROUP BY d
    ORDER BY d
$$;
REVOKE ALL ON FUNCTION meterops.meter_usage_daily(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.meter_usage_daily(text, date, date)
    TO meterops_support, meterops_operator, meterops_loader;
