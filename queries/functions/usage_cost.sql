-- Cost and half-hourly usage of one meter in Europe/London days, read through
-- meterops.meter_slots (queries/functions/usage.sql, applied before this file).
--
-- Pricing rule, in one place (meter_slots_priced): an interval is priced by the tariff the
-- meter is on that local day (meterops.meter_tariff, 021: a meter that changes tariff on
-- the 16th has the old tariff's prices to the 15th and the new one's from the 16th), when
-- that tariff is valid on the interval's local day (valid_from <= day <
-- valid_to; valid_to NULL = open-ended), at the rate of the band its LOCAL start time falls
-- in (tariff_band minutes are local minutes of the day, so an Economy 7 night band
-- 00:30-07:30 follows the clock through GMT and BST). Arithmetic is exact: integer Wh times
-- a numeric(10,4) rate, times 0.001, is an exact numeric in pence (scale 7).
--
-- The support-desk functions (here, customer_search.sql, usage_insights.sql) carry a ROWS
-- estimate and jit = off: they read a few hundred rows, but the planner's default guess of
-- 1000 rows per function call made their queries look costly enough to JIT-compile, which
-- took about 0.4 s for 10 ms of work (measured with one customer of a 400-meter data set).
-- On one server they also use generic plans (queries/functions/plan_mode.sql).

-- Internal like meter_slots (only the owner may EXECUTE it), and PL/pgSQL like it: on
-- Citus a SQL function's parameterized query over the reference and Citus local tables
-- is not planned right (it found no slots); PL/pgSQL plans it with the values.
-- unit_p_kwh is NULL when no valid tariff, no dated price and no band covers the interval.
-- Dated prices (meterops.tariff_price, 018): an interval whose UTC start falls in a dated
-- price's [starts, ends) of the tariff takes that price (band is then 'dated'); the
-- tariff's bands price the others. A tariff's prices never overlap (the prices feeds
-- refuse it), so the one that can cover an interval is the last starting at or before it.
-- The period's prices are read by one range scan of the primary key (tariff_id, starts)
-- and joined to the slots by hash on the half hour's start, which finds a half-hourly
-- price (Agile's kind); an interval that finds none there probes the key for the last
-- price starting before it (a price over days or months). A range join of the period's
-- prices with its slots took 4.3 s for 90 days, a probe for every interval 0.2 s
-- (bench/prices.sh). A tariff without dated prices skips both.
CREATE OR REPLACE FUNCTION meterops.meter_slots_priced(mpxn text, from_day date, to_day date)
RETURNS TABLE (meter_id bigint, local_day date, utc_start timestamptz, local_start timestamp,
               minutes int, wh int, quality text, tariff_id int, band text, unit_p_kwh numeric)
LANGUAGE plpgsql STABLE ROWS 1488 AS $$
#variable_conflict use_column
DECLARE
    mid bigint;
    tid int;
    span_from date;
    span_to date;
    dated boolean;
BEGIN
    SELECT m.meter_id INTO mid FROM meterops.meter m WHERE m.mpxn = meter_slots_priced.mpxn;
    IF mid IS NULL THEN
        RETURN;
    END IF;
    -- One query per tariff the meter was on in the period (meterops.meter_tariff, 021), over
    -- that tariff's days: the query below is planned for one tariff, as before meters
    -- changed tariff; days before the meter's first tariff are a period without one.
    FOR tid, span_from, span_to IN
        SELECT x.tariff_id,
               greatest(x.valid_from, meter_slots_priced.from_day),
               least(x.next_from - 1, meter_slots_priced.to_day)
        FROM (SELECT h.tariff_id, h.valid_from,
                     lead(h.valid_from) OVER (ORDER BY h.valid_from) AS next_from
              FROM (SELECT h0.tariff_id, h0.valid_from FROM meterops.meter_tariff h0
                    WHERE h0.meter_id = mid
                    UNION ALL
                    SELECT NULL, '-infinity'::date
                    WHERE NOT EXISTS (SELECT 1 FROM meterops.meter_tariff h1
                                      WHERE h1.meter_id = mid AND h1.valid_from = '-infinity')) h) x
        WHERE greatest(x.valid_from, meter_slots_priced.from_day)
              <= least(x.next_from - 1, meter_slots_priced.to_day)
        ORDER BY 2
    LOOP
    dated := EXISTS (SELECT 1 FROM meterops.tariff_price p WHERE p.tariff_id = tid);
    RETURN QUERY
    WITH period_prices AS MATERIALIZED (
        -- local days start at most an hour before their UTC day: a day's margin each side
        SELECT p.starts, p.ends, p.unit_p_kwh
        FROM meterops.tariff_price p
        WHERE dated AND p.tariff_id = tid
          AND p.starts >= (span_from - 1)::timestamp AT TIME ZONE 'UTC'
          AND p.starts < (span_to + 2)::timestamp AT TIME ZONE 'UTC'
    )
    SELECT s.meter_id, s.local_day, s.utc_start, s.local_start, s.minutes, s.wh, s.quality,
           t.tariff_id,
           CASE WHEN coalesce(hp.unit_p_kwh, dp.unit_p_kwh) IS NOT NULL THEN 'dated' ELSE b.band END,
           coalesce(hp.unit_p_kwh, dp.unit_p_kwh, b.unit_p_kwh)
    FROM meterops.meter_slots(meter_slots_priced.mpxn, span_from, span_to) s
    LEFT JOIN meterops.tariff t
           ON t.tariff_id = tid
          AND t.valid_from <= s.local_day
          AND (t.valid_to IS NULL OR s.local_day < t.valid_to)
    LEFT JOIN meterops.tariff_band b
           ON b.tariff_id = t.tariff_id
          AND b.start_minute <= pg_catalog.date_part('hour', s.local_start) * 60
                                + pg_catalog.date_part('minute', s.local_start)
          AND b.end_minute > pg_catalog.date_part('hour', s.local_start) * 60
                             + pg_catalog.date_part('minute', s.local_start)
    LEFT JOIN period_prices hp
           ON t.tariff_id IS NOT NULL
          AND hp.starts = pg_catalog.date_bin('30 minutes', s.utc_start, timestamptz '2000-01-01 00:00+00')
          AND s.utc_start < hp.ends
    LEFT JOIN LATERAL (
        SELECT p.unit_p_kwh
        FROM (SELECT p0.starts, p0.ends, p0.unit_p_kwh
              FROM meterops.tariff_price p0
              WHERE dated AND hp.starts IS NULL
                AND p0.tariff_id = t.tariff_id AND p0.starts <= s.utc_start
              ORDER BY p0.starts DESC
              LIMIT 1) p
        WHERE p.ends > s.utc_start
    ) dp ON true;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_slots_priced(text, date, date) FROM PUBLIC;

-- One row per local day from from_day to to_day (none for an unknown meter). An export
-- meter (meter.direction, 018) is paid for what it sends: its cost_p is the energy times
-- its tariff's rates as a negative amount (a credit), and it has no standing charge.
-- Rates are exact; nothing is rounded here (callers round once, at the end).
--   kwh        readings present, exact to the Wh
--   cost_p     unit cost in pence, exact; NULL when the day has readings the tariff does
--              not price (no tariff valid that day, or no band for an interval), or no
--              tariff is valid that day at all
--   standing_p the standing charge of the tariff the meter is on that day (meter_tariff)
--              when the meter is in service that day (installed_on <= day <= removed_on,
--              each bound optional), 0 when it is not,
--              NULL when no tariff is valid that day
--   intervals  readings present
--   expected   intervals the meter should have reported: the local day's length (23, 24
--              or 25 hours) over the meter's interval, 0 when the meter is not in service,
--              and only intervals that have ended by now()
CREATE OR REPLACE FUNCTION meterops.meter_cost_daily(mpxn text, from_day date, to_day date)
RETURNS TABLE (day date, kwh numeric, cost_p numeric, standing_p numeric, intervals int,
               expected int)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 31
SET search_path = pg_catalog, meterops SET jit = off AS $$
    -- Each day read the cheapest way its tariff allows (meterops.meter_days_priced,
    -- usage_byday.sql): a sum over the local day's readings for a flat tariff, a sum per
    -- band for fixed time-of-use bands, a price per interval (meter_slots_priced) only for
    -- dated prices and clock-change days on time-of-use bands. Same figures as pricing
    -- every interval (tests/integration/usage_fastpath.sh).
    SELECT p.day, p.kwh, p.cost_p, p.standing_p, p.intervals, p.expected
    FROM meterops.meter_days_priced(meter_cost_daily.mpxn, from_day, to_day) p
    ORDER BY p.day
$$;
REVOKE ALL ON FUNCTION meterops.meter_cost_daily(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.meter_cost_daily(text, date, date)
    TO meterops_support, meterops_operator;

-- The half-hours of each local day from from_day to to_day, for a heatmap: slot 0 starts
-- at local midnight; a day has 46, 48 or 50 slots (the clock changes at 01:00 UTC, so on
-- the October day slots 2 and 4 both start at 01:00 local). wh is NULL where readings are
-- missing. Meters of 15 minutes: the sum of the half-hour's readings, NULL unless all are
-- present. Hourly meters: each hour's Wh split over its two half-hours (the first takes
-- the odd Wh), so daily sums stay exact. No rows for an unknown meter.
CREATE OR REPLACE FUNCTION meterops.meter_usage_halfhourly(mpxn text, from_day date, to_day date)
RETURNS TABLE (day date, slot int, local_start timestamp, wh int)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 1488
SET search_path = pg_catalog, meterops SET jit = off AS $$
    WITH m AS (
        SELECT meter.interval_minutes FROM meterops.meter WHERE meter.mpxn = meter_usage_halfhourly.mpxn
    ), grid AS (
        SELECT d::date AS day, (g.n - 1)::int AS slot, g.utc_start
        FROM m
        CROSS JOIN generate_series(from_day, to_day, interval '1 day') AS d
        CROSS JOIN LATERAL generate_series(d::date::timestamp AT TIME ZONE 'Europe/London',
                                           (d::date + 1)::timestamp AT TIME ZONE 'Europe/London'
                                               - interval '30 minutes',
                                           interval '30 minutes') WITH ORDINALITY AS g(utc_start, n)
    ), pieces AS (
        -- A reading longer than 30 minutes becomes one piece per half-hour it covers.
        SELECT s.utc_start + (k.k * interval '30 minutes') AS half_start,
               s.wh / k.n + CASE WHEN k.k < s.wh % k.n THEN 1 ELSE 0 END AS wh,
               s.minutes
        FROM meterops.meter_slots(meter_usage_halfhourly.mpxn, from_day, to_day) s
        CROSS JOIN LATERAL (SELECT greatest(s.minutes / 30, 1) AS n) n0
        CROSS JOIN LATERAL (SELECT kk AS k, n0.n FROM generate_series(0, n0.n - 1) AS kk) k
    ), halves AS (
        SELECT date_bin(interval '30 minutes', p.half_start, timestamptz '2000-01-01 00:00+00') AS half_start,
               sum(p.wh) AS wh,
               count(*) AS present,
               greatest(30 / min(p.minutes), 1) AS needed
        FROM pieces p
        GROUP BY 1
    )
    SELECT grid.day,
           grid.slot,
           grid.utc_start AT TIME ZONE 'Europe/London' AS local_start,
           CASE WHEN h.present >= h.needed THEN h.wh::int END AS wh
    FROM grid
    LEFT JOIN halves h ON h.half_start = grid.utc_start
    ORDER BY grid.day, grid.slot
$$;
REVOKE ALL ON FUNCTION meterops.meter_usage_halfhourly(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.meter_usage_halfhourly(text, date, date)
    TO meterops_support, meterops_operator;
