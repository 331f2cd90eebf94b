-- The tariffs one meter was on from from_day to to_day (meterops.meter_tariff, 021), one
-- row per period, each clipped to the days asked for, in order, with the energy and the
-- cost of its days: a meter that moved from tariff A to tariff B on the 16th has A's row to
-- the 15th and B's from the 16th, and the two costs add up to the whole period's. Days
-- before the meter's first dated tariff come as a period without a tariff (code NULL).
-- Sums are exact (meterops.meter_cost_daily; callers round once):
--   kwh     readings present in the period's days
--   cost_p  unit cost plus standing charge; NULL when any of its days is not priced
-- No rows for an unknown meter. (Named after usage_cost.sql: functions apply in name order,
-- and this SQL function needs meter_cost_daily to exist.)
CREATE OR REPLACE FUNCTION meterops.meter_tariff_periods(mpxn text, from_day date, to_day date)
RETURNS TABLE (tariff_code text, tariff_name text, period_from date, period_to date,
               kwh numeric, cost_p numeric)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 2
SET search_path = pg_catalog, meterops SET jit = off AS $$
    WITH m AS (
        SELECT meter.meter_id FROM meterops.meter WHERE meter.mpxn = meter_tariff_periods.mpxn
    ), starts AS (
        SELECT h.tariff_id, h.valid_from FROM meterops.meter_tariff h JOIN m USING (meter_id)
        UNION ALL
        SELECT NULL, '-infinity'::date FROM m
        WHERE NOT EXISTS (SELECT 1 FROM meterops.meter_tariff h
                          WHERE h.meter_id = m.meter_id AND h.valid_from = '-infinity')
    ), spans AS (
        SELECT s.tariff_id,
               greatest(s.valid_from, from_day) AS first_day,
               least(lead(s.valid_from) OVER (ORDER BY s.valid_from) - 1, to_day) AS last_day
        FROM starts s
    ), days AS (
        SELECT c.day, c.kwh, c.cost_p + c.standing_p AS cost_p
        FROM meterops.meter_cost_daily(meter_tariff_periods.mpxn, from_day, to_day) c
    )
    SELECT t.code, t.name, sp.first_day, sp.last_day,
           sum(d.kwh),
           CASE WHEN count(*) FILTER (WHERE d.cost_p IS NULL) = 0 THEN sum(d.cost_p) END
    FROM spans sp
    JOIN days d ON d.day BETWEEN sp.first_day AND sp.last_day
    LEFT JOIN meterops.tariff t ON t.tariff_id = sp.tariff_id
    WHERE sp.first_day <= sp.last_day
    GROUP BY sp.first_day, sp.last_day, t.code, t.name
    ORDER BY sp.first_day
$$;
REVOKE ALL ON FUNCTION meterops.meter_tariff_periods(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.meter_tariff_periods(text, date, date)
    TO meterops_support, meterops_operator;
