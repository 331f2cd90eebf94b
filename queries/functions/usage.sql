-- Daily usage of one meter in Europe/London days. A local day is 46, 48 or 50 half-hours;
-- it spans at most two UTC days of reading_day, so each local day reads the two UTC rows
-- that can hold its intervals. intervals counts the non-missing values that fell in it.
CREATE OR REPLACE FUNCTION meterops.meter_usage_daily(mpxn text, from_day date, to_day date)
RETURNS TABLE (day date, kwh numeric, intervals int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
    WITH m AS (
        SELECT meter_id, interval_minutes FROM meterops.meter WHERE meter.mpxn = meter_usage_daily.mpxn
    ), slots AS (
        SELECT ((r.day::timestamp + (u.i - 1) * make_interval(mins => m.interval_minutes))
                AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/London')::date AS local_day,
               u.wh
        FROM m
        JOIN meterops.reading_day r ON r.meter_id = m.meter_id
        CROSS JOIN LATERAL unnest(r.wh) WITH ORDINALITY AS u(wh, i)
        WHERE r.day BETWEEN from_day - 1 AND to_day
    )
    SELECT d::date AS day,
           round(coalesce(sum(s.wh), 0) / 1000.0, 3) AS kwh,
           count(s.wh)::int AS intervals
    FROM generate_series(from_day, to_day, interval '1 day') AS d
    LEFT JOIN slots s ON s.local_day = d::date
    WHERE EXISTS (SELECT 1 FROM m)
    GROUP BY d
    ORDER BY d
$$;
REVOKE ALL ON FUNCTION meterops.meter_usage_daily(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.meter_usage_daily(text, date, date)
    TO meterops_support, meterops_operator, meterops_loader;
