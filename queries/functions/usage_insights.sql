-- Plain-language insights for one customer over local days from_day to to_day, for the
-- support desk to read out. Named usage_insights.sql so that it is applied after
-- usage_cost.sql, whose functions it calls. Each statement is made only when the data
-- supports it: comparisons need nearly complete data on both sides, the most expensive
-- day is chosen among days with complete readings, and gaps are always reported.

-- Pence as pounds for a message: 241.5 -> "£2.42" (half up, as bills round).
CREATE OR REPLACE FUNCTION meterops.insight_pounds(pence numeric)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '£' || pg_catalog.btrim(pg_catalog.to_char(pg_catalog.round(pence / 100, 2), 'FM999,999,990.00'))
$$;
REVOKE ALL ON FUNCTION meterops.insight_pounds(numeric) FROM PUBLIC;

-- kind is one of:
--   no_meters    the account has no meter
--   usage        per fuel: kWh, daily average and cost (when every day is priced), of
--                import meters only: export (a solar home's) is not use
--   export       per fuel with an export meter: kWh exported, what it earned (export
--                tariff), and the net use (import less export)
--   change       per fuel: against the previous period of the same length, when neither
--                period misses more than 1% of its expected readings
--   peak_day     the day costing most (all meters, standing charges included), among the
--                days whose readings are complete; needs two such days
--   time_of_use  per meter on a tariff with cheaper bands (Economy 7): the share of the
--                energy used at the cheapest rate
--   baseload     per electricity meter: the median over complete days of the day's lowest
--                reading, in kW, and what that costs in a year at the tariff valid on to_day
--   no_data      per meter that should have reported and sent nothing
--   missing      per meter: intervals missing in the period
--   estimated    per meter: readings estimated rather than read
--   no_tariff    per meter: days without a valid tariff (their cost is not shown)
-- Rows come in that order. No rows for an unknown account.
CREATE OR REPLACE FUNCTION meterops.customer_insights(account_no text, from_day date, to_day date)
RETURNS TABLE (kind text, message text)
-- ROWS and jit = off: see usage_cost.sql. plpgsql, not sql: a SQL function's query is
-- planned at every call (7-10 ms here, most of the query's time once the days are read
-- by slices), while plpgsql keeps the plan for the session, as the console's is.
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 8
SET search_path = pg_catalog, meterops SET jit = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH cust AS (
        SELECT c.customer_id FROM meterops.customer c WHERE c.account_no = customer_insights.account_no
    ), span AS (
        SELECT (to_day - from_day + 1) AS n,
               CASE WHEN to_day = from_day THEN '1 day' ELSE (to_day - from_day + 1) || ' days' END AS days,
               CASE WHEN to_day = from_day THEN 'day' ELSE (to_day - from_day + 1) || ' days' END AS prev
    ), ms AS (
        SELECT m.meter_id, m.mpxn, m.fuel, m.interval_minutes, m.tariff_id,
               m.direction = 'export' AS export,
               CASE m.fuel WHEN 'elec' THEN 'electricity' ELSE m.fuel END AS fuel_name,
               format('meter %s (%s%s)', m.mpxn, CASE m.fuel WHEN 'elec' THEN 'electricity' ELSE m.fuel END,
                      CASE WHEN m.direction = 'export' THEN ' export' ELSE '' END) AS meter_name,
               CASE WHEN count(*) OVER (PARTITION BY m.fuel, m.direction) > 1 THEN format(' (meter %s)', m.mpxn) ELSE '' END AS which,
               CASE m.interval_minutes WHEN 15 THEN 'quarter-hour' WHEN 30 THEN 'half-hour' ELSE 'hour' END AS unit
        FROM cust JOIN meterops.meter m ON m.customer_id = cust.customer_id
    ), daily AS MATERIALIZED (
        -- This period and the one before it, per meter and local day: meter_cost_daily's
        -- figures with the lowest reading, the estimated readings and the energy at the
        -- cheapest rate, read without a row per interval where the tariff allows
        -- (meterops.meter_days_priced, usage_byday.sql). The period before is compared
        -- by kWh only, so it is read without its cost (an Agile tariff's prices are most
        -- of the time of a day priced).
        SELECT ms.mpxn, ms.fuel, ms.export, d.day, d.kwh, d.cost_p, d.standing_p, d.intervals, d.expected,
               greatest(d.expected - d.intervals, 0) AS missing,
               p.cur,
               d.tariff_id, d.min_wh, d.estimated, d.cheap_wh, d.priced_wh
        FROM ms CROSS JOIN span
        CROSS JOIN (VALUES (true), (false)) p(cur)
        CROSS JOIN LATERAL meterops.meter_days_priced(ms.mpxn,
                                                      CASE WHEN p.cur THEN from_day ELSE from_day - span.n END,
                                                      CASE WHEN p.cur THEN to_day ELSE from_day - 1 END,
                                                      p.cur) d
    ), slotday AS (
        -- This period's days with readings: per meter and day, the lowest reading and how
        -- many were estimated.
        SELECT d.mpxn, d.day AS local_day, d.min_wh, d.intervals AS present, d.estimated
        FROM daily d
        WHERE d.cur AND d.intervals > 0
    ), per_fuel AS (
        SELECT ms.fuel, min(ms.fuel_name) AS fuel_name,
               sum(d.kwh) FILTER (WHERE d.cur) AS kwh,
               sum(d.kwh) FILTER (WHERE NOT d.cur) AS prev_kwh,
               sum(d.cost_p + d.standing_p) FILTER (WHERE d.cur) AS cost_p,
               bool_and(d.cost_p IS NOT NULL AND d.standing_p IS NOT NULL) FILTER (WHERE d.cur) AS priced,
               sum(d.intervals) FILTER (WHERE d.cur) AS present,
               sum(d.missing) FILTER (WHERE d.cur) AS missing,
               sum(d.expected) FILTER (WHERE d.cur) AS expected,
               sum(d.missing) FILTER (WHERE NOT d.cur) AS prev_missing,
               sum(d.expected) FILTER (WHERE NOT d.cur) AS prev_expected
        FROM ms JOIN daily d ON d.mpxn = ms.mpxn
        WHERE NOT ms.export
        GROUP BY ms.fuel
    ), exported AS (
        -- Export meters: energy sent to the grid and what it earned (a credit, so the
        -- negative of their cost), with the import of the same fuel for the net figure.
        SELECT ms.fuel, min(ms.fuel_name) AS fuel_name,
               sum(d.kwh) AS kwh,
               -sum(d.cost_p) AS earned_p,
               bool_and(d.cost_p IS NOT NULL) AS priced,
               sum(d.intervals) AS present
        FROM ms JOIN daily d ON d.mpxn = ms.mpxn AND d.cur
        WHERE ms.export
        GROUP BY ms.fuel
    ), per_day AS (
        SELECT d.day, sum(d.cost_p + d.standing_p) AS cost_p,
               bool_and(d.missing = 0 AND d.cost_p IS NOT NULL AND d.standing_p IS NOT NULL) AS complete
        FROM daily d
        WHERE d.cur
        GROUP BY d.day
    ), peak AS (
        SELECT p.day, p.cost_p,
               count(*) OVER () AS complete_days,
               (SELECT count(*) FROM per_day) AS all_days
        FROM per_day p
        WHERE p.complete
        ORDER BY p.cost_p DESC, p.day
        LIMIT 1
    ), rates AS (
        -- Tariffs with cheaper and dearer bands.
        SELECT b.tariff_id, min(b.unit_p_kwh) AS cheap, max(b.unit_p_kwh) AS dear,
               string_agg(DISTINCT b.band, ' and ') FILTER (WHERE b.unit_p_kwh = x.cheap) AS cheap_band
        FROM meterops.tariff_band b
        JOIN (SELECT tariff_id, min(unit_p_kwh) AS cheap FROM meterops.tariff_band GROUP BY tariff_id) x
          ON x.tariff_id = b.tariff_id
        GROUP BY b.tariff_id
        HAVING min(b.unit_p_kwh) < max(b.unit_p_kwh)
    ), tou AS (
        SELECT ms.mpxn, ms.fuel_name, ms.which, t.name AS tariff_name, r.cheap, r.dear, r.cheap_band,
               sum(d.cheap_wh) AS cheap_wh,
               sum(d.priced_wh) AS priced_wh
        FROM ms
        JOIN rates r ON r.tariff_id = ms.tariff_id AND NOT ms.export
        JOIN meterops.tariff t ON t.tariff_id = ms.tariff_id
        -- the days on the meter's present tariff (cheap_wh is at that tariff's cheapest rate)
        JOIN daily d ON d.mpxn = ms.mpxn AND d.cur AND d.tariff_id = ms.tariff_id
        WHERE d.intervals > 0
        GROUP BY ms.mpxn, ms.fuel_name, ms.which, t.name, r.cheap, r.dear, r.cheap_band
    ), base AS (
        SELECT ms.mpxn, ms.which, ms.unit,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY sd.min_wh)::numeric
                   * 60 / ms.interval_minutes / 1000 AS kw,
               (SELECT sum((b.end_minute - b.start_minute) * b.unit_p_kwh) / 60
                FROM meterops.tariff t JOIN meterops.tariff_band b ON b.tariff_id = t.tariff_id
                WHERE t.tariff_id = ms.tariff_id AND t.valid_from <= to_day
                  AND (t.valid_to IS NULL OR to_day < t.valid_to)) AS p_per_kw_day
        FROM ms
        JOIN daily d ON d.mpxn = ms.mpxn AND d.cur AND d.expected > 0 AND d.missing = 0
        JOIN slotday sd ON sd.mpxn = ms.mpxn AND sd.local_day = d.day
        WHERE ms.fuel = 'elec' AND NOT ms.export
        GROUP BY ms.mpxn, ms.which, ms.unit, ms.interval_minutes, ms.tariff_id
        HAVING count(*) >= 3
    ), per_meter AS (
        SELECT ms.mpxn, ms.meter_name, ms.unit, ms.tariff_id,
               sum(d.intervals) AS present, sum(d.missing) AS missing, sum(d.expected) AS expected,
               count(*) FILTER (WHERE d.standing_p IS NULL) AS unpriced_days,
               count(*) AS days,
               (SELECT coalesce(sum(sd.estimated), 0) FROM slotday sd WHERE sd.mpxn = ms.mpxn) AS estimated
        FROM ms JOIN daily d ON d.mpxn = ms.mpxn AND d.cur
        GROUP BY ms.mpxn, ms.meter_name, ms.unit, ms.tariff_id
    ), said AS (
        SELECT 0 AS ord, '' AS k, 'no_meters' AS kind,
               'No meters are registered to this account.' AS message
        FROM cust WHERE NOT EXISTS (SELECT 1 FROM ms)
        UNION ALL
        SELECT 1, f.fuel, 'usage',
               format('Your %s use was %s kWh over %s, %s kWh a day on average%s.',
                      f.fuel_name, to_char(f.kwh, 'FM999,999,990.0'), span.days,
                      to_char(f.kwh / span.n, 'FM999,999,990.0'),
                      CASE WHEN f.priced THEN ', costing ' || meterops.insight_pounds(f.cost_p)
                                              || ' with standing charges' ELSE '' END)
        FROM per_fuel f CROSS JOIN span
        WHERE f.present > 0
        UNION ALL
        SELECT 1, x.fuel || '~', 'export',
               format('You exported %s kWh of %s to the grid over %s%s; your net %s use was %s kWh (%s kWh used less %s kWh exported).',
                      to_char(x.kwh, 'FM999,999,990.0'), x.fuel_name, span.days,
                      CASE WHEN x.priced AND x.earned_p <> 0
                           THEN ', earning ' || meterops.insight_pounds(x.earned_p) ELSE '' END,
                      x.fuel_name,
                      to_char(coalesce(f.kwh, 0) - x.kwh, 'FM999,999,990.0'),
                      to_char(coalesce(f.kwh, 0), 'FM999,999,990.0'), to_char(x.kwh, 'FM999,999,990.0'))
        FROM exported x CROSS JOIN span
        LEFT JOIN per_fuel f ON f.fuel = x.fuel
        WHERE x.present > 0
        UNION ALL
        SELECT 2, f.fuel, 'change',
               CASE WHEN c.pct = 0
                    THEN format('Your %s use was about the same as in the previous %s (%s kWh against %s kWh).',
                                f.fuel_name, span.prev, to_char(f.kwh, 'FM999,999,990.0'),
                                to_char(f.prev_kwh, 'FM999,999,990.0'))
                    ELSE format('Your %s use was %s%% %s than in the previous %s (%s kWh against %s kWh).',
                                f.fuel_name, abs(c.pct), CASE WHEN c.pct > 0 THEN 'higher' ELSE 'lower' END,
                                span.prev, to_char(f.kwh, 'FM999,999,990.0'),
                                to_char(f.prev_kwh, 'FM999,999,990.0')) END
        FROM per_fuel f CROSS JOIN span
        CROSS JOIN LATERAL (SELECT round((f.kwh - f.prev_kwh) * 100 / f.prev_kwh)::int AS pct) c
        WHERE f.prev_kwh > 0 AND f.expected > 0 AND f.prev_expected > 0
          AND f.missing * 100 <= f.expected AND f.prev_missing * 100 <= f.prev_expected
        UNION ALL
        SELECT 3, '', 'peak_day',
               format('Most expensive day: %s, %s%s.', to_char(p.day, 'FMDay FMDD FMMonth'),
                      meterops.insight_pounds(p.cost_p),
                      CASE WHEN p.complete_days < p.all_days
                           THEN format(' (of the %s days with complete readings)', p.complete_days)
                           ELSE '' END)
        FROM peak p
        WHERE p.complete_days >= 2
        UNION ALL
        SELECT 4, u.mpxn, 'time_of_use',
               format('On %s, %s%% of your %s%s was used at the cheaper %s rate (%sp a kWh, against %sp).',
                      u.tariff_name, round(u.cheap_wh * 100.0 / u.priced_wh), u.fuel_name, u.which,
                      u.cheap_band, to_char(u.cheap, 'FM990.00'), to_char(u.dear, 'FM990.00'))
        FROM tou u
        WHERE u.priced_wh > 0
        UNION ALL
        SELECT 5, b.mpxn, 'baseload',
               format('Your always-on use%s is %s kW (the lowest %s of a typical day)%s.',
                      b.which, to_char(b.kw, 'FM990.00'), b.unit,
                      CASE WHEN b.p_per_kw_day IS NOT NULL
                           THEN format(': about £%s a year for appliances that never switch off',
                                       to_char(round(b.kw * b.p_per_kw_day * 365 / 100), 'FM999,999,990'))
                           ELSE '' END)
        FROM base b
        WHERE b.kw > 0
        UNION ALL
        SELECT 6, m.mpxn, 'no_data',
               format('No readings from %s in this period.', m.meter_name)
        FROM per_meter m
        WHERE m.present = 0 AND m.expected > 0
        UNION ALL
        SELECT 6, m.mpxn, 'missing',
               format('%s %s%s of readings %s missing from %s in this period, so its totals may be low.',
                      m.missing, m.unit, CASE WHEN m.missing = 1 THEN '' ELSE 's' END,
                      CASE WHEN m.missing = 1 THEN 'is' ELSE 'are' END, m.meter_name)
        FROM per_meter m
        WHERE m.present > 0 AND m.missing > 0
        UNION ALL
        SELECT 7, m.mpxn, 'estimated',
               format('%s %s%s from %s %s estimated rather than read from the meter.',
                      m.estimated, m.unit, CASE WHEN m.estimated = 1 THEN '' ELSE 's' END,
                      m.meter_name, CASE WHEN m.estimated = 1 THEN 'was' ELSE 'were' END)
        FROM per_meter m
        WHERE m.estimated > 0
        UNION ALL
        SELECT 8, m.mpxn, 'no_tariff',
               CASE WHEN m.tariff_id IS NULL
                    THEN format('%s has no tariff, so its cost is not shown.', upper(left(m.meter_name, 1)) || substr(m.meter_name, 2))
                    ELSE format('%s has no tariff valid on %s of these days, so their cost is not shown.',
                                upper(left(m.meter_name, 1)) || substr(m.meter_name, 2),
                                CASE WHEN m.unpriced_days = m.days THEN 'any' ELSE m.unpriced_days::text END) END
        FROM per_meter m
        WHERE m.unpriced_days > 0
    )
    SELECT said.kind, said.message FROM said ORDER BY said.ord, said.k, said.kind;
END
$$;
REVOKE ALL ON FUNCTION meterops.customer_insights(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_insights(text, date, date)
    TO meterops_support, meterops_operator;
