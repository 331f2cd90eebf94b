-- Usage of one meter by local (Europe/London) day without a row per interval: the fast
-- path of meterops.meter_cost_daily and meterops.customer_insights (issue 11, "Speed").
-- Named usage_byday.sql so that it is applied after usage.sql (meter_slots) and before
-- usage_cost.sql (meter_slots_priced is only called, so its order does not matter to
-- PL/pgSQL; the SQL functions there call these).
--
-- Why: meter_slots turns each reading into a row with its UTC and local start, two time
-- zone conversions per interval; 180 days of one meter is 8,690 rows and most of a
-- customer card's time (bench/RESULTS.md, "Customer lookup at national scale"). A local
-- day is one or two slices of at most two reading_day rows: the UTC day before (its last
-- hour, in BST) and the same UTC day (up to 23, 24 or 25 hours of it), so its readings in
-- order are those two slices put end to end, found with two time zone conversions a day.

-- meter_days: one row per local day from from_day to to_day (none for an unknown meter),
-- with the readings of the local day in order:
--   wh          the local day's readings, element k the interval starting (k - 1) *
--               minutes after local midnight (NULL where missing; trailing missing
--               intervals may be absent): 46, 48 or 50 elements for a half-hourly meter
--   total_wh, present, min_wh
--               sum, count and lowest of the readings present (as meter_slots gives them)
--   estimated   readings present whose flag is 'E' (meter_slots' quality)
--   regular     false on every day when a row from from_day - 4 to to_day is not one UTC
--               day of intervals of the meter's current length starting at subscript 1
--               (an array longer than a day, as a meter whose interval length changed
--               may have, reaches into the days after it: 96 quarter-hours read as hours
--               span four): then the figures above are not meter_slots' and the callers
--               read the period through meter_slots
-- Internal like meter_slots (owner-only EXECUTE, no SET clause, every name qualified), and
-- PL/pgSQL like it for the same reason: on Citus the read of reading_day must be planned
-- with the meter's id as a value to be one router query to its shard.
CREATE OR REPLACE FUNCTION meterops.meter_days(mpxn text, from_day date, to_day date)
RETURNS TABLE (meter_id bigint, local_day date, minutes int, wh int4[], total_wh bigint,
               present int, min_wh int, estimated int, regular boolean)
LANGUAGE plpgsql STABLE ROWS 31 AS $$
#variable_conflict use_column
DECLARE
    id bigint;
    step int;
    per_day int;
BEGIN
    SELECT m.meter_id, m.interval_minutes INTO id, step
    FROM meterops.meter m WHERE m.mpxn = meter_days.mpxn;
    IF id IS NULL THEN
        RETURN;
    END IF;
    per_day := 1440 / step;
    RETURN QUERY
    WITH r AS MATERIALIZED (
        SELECT r.day, r.wh, r.flags,
               pg_catalog.array_ndims(r.wh) = 1 AND pg_catalog.array_lower(r.wh, 1) = 1 AND pg_catalog.cardinality(r.wh) <= per_day AS ok
        FROM meterops.reading_day r
        WHERE r.meter_id = id
          AND r.day BETWEEN meter_days.from_day - 4 AND meter_days.to_day
    ), shape AS (
        SELECT coalesce(pg_catalog.bool_and(r.ok), true) AS ok FROM r
    ), d AS (
        -- head: intervals of the local day in the UTC day before (0 in GMT, an hour in
        -- BST); n: intervals in the local day
        SELECT g::date AS local_day,
               (extract(epoch FROM g::date::timestamp
                    - (g::date::timestamp AT TIME ZONE 'Europe/London' AT TIME ZONE 'UTC')) / 60)::int
                   / step AS head,
               (extract(epoch FROM ((g::date + 1)::timestamp AT TIME ZONE 'Europe/London')
                    - (g::date::timestamp AT TIME ZONE 'Europe/London')) / 60)::int / step AS n
        FROM pg_catalog.generate_series(meter_days.from_day, meter_days.to_day, interval '1 day') g
    ), s AS (
        SELECT d.local_day, d.head, d.n,
               p.wh[per_day - d.head + 1 : per_day] AS p_wh, p.flags AS p_flags,
               c.wh[1 : d.n - d.head] AS c_wh, c.flags AS c_flags
        FROM d
        LEFT JOIN r p ON p.day = d.local_day - 1 AND d.head > 0
        LEFT JOIN r c ON c.day = d.local_day
    ), a AS (
        SELECT s.*,
               coalesce(s.p_wh, '{}'::int4[])
                   || pg_catalog.array_fill(NULL::int4, ARRAY[s.head - coalesce(pg_catalog.cardinality(s.p_wh), 0)])
                   || s.c_wh AS day_wh
        FROM s
    )
    SELECT id, a.local_day, step, a.day_wh, x.total_wh, x.present::int, x.min_wh,
           CASE WHEN a.p_flags IS NULL AND a.c_flags IS NULL THEN 0
                ELSE (SELECT pg_catalog.count(*)::int
                      FROM pg_catalog.unnest(a.p_wh) WITH ORDINALITY AS u(w, i)
                      WHERE u.w IS NOT NULL AND pg_catalog.length(a.p_flags) >= per_day - a.head + u.i
                        AND pg_catalog.get_byte(a.p_flags, (per_day - a.head + u.i - 1)::int) = 69)
                   + (SELECT pg_catalog.count(*)::int
                      FROM pg_catalog.unnest(a.c_wh) WITH ORDINALITY AS u(w, i)
                      WHERE u.w IS NOT NULL AND pg_catalog.length(a.c_flags) >= u.i
                        AND pg_catalog.get_byte(a.c_flags, (u.i - 1)::int) = 69) END,
           (SELECT shape.ok FROM shape)
    FROM a
    CROSS JOIN LATERAL (
        SELECT pg_catalog.sum(w) AS total_wh, pg_catalog.count(w) AS present, pg_catalog.min(w) AS min_wh
        FROM pg_catalog.unnest(a.day_wh) AS w
    ) x;
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_days(text, date, date) FROM PUBLIC;

-- meter_days_priced: meterops.meter_cost_daily's days (see there for day, kwh, cost_p,
-- standing_p, intervals and expected) with what customer_insights needs besides, read
-- without a row per interval wherever the tariff allows it:
--   tariff_id   the tariff the meter is on that day when it is valid that day, else NULL
--   min_wh, estimated
--               the lowest reading present and how many were estimated (as meter_slots)
--   cheap_wh    energy priced at the tariff's cheapest band rate (NULL when none)
--   priced_wh   energy priced at all (NULL when none)
-- How each day is read ("mode"):
--   sums    no valid tariff (the day is not priced): meter_days' sum and count
--   flat    one band over the whole day, no dated prices: sum(wh) * rate, which is exactly
--           sum(wh * rate) (integer Wh, numeric rates)
--   bands   bands that do not overlap, no dated prices: each band is a slice of
--           meter_days' local array (element k starts at local minute (k - 1) * minutes;
--           on a clock-change day two slices, before and after the change), its sum times
--           its rate
--   dated   dated prices, one of 30 minutes for each half-hour of the day (Agile's
--           kind), a half-hourly meter: the day's readings and prices in step, each
--           reading times its price (meter_slots_priced finds the same price by the
--           half-hour's start)
--   slots   anything else (other dated prices, overlapping bands, an irregular
--           reading_day array):
--           meterops.meter_slots_priced over the span from the first such day to the
--           last, kept for those days only
-- with_cost false: the days' use only, for a period whose cost is not wanted
-- (customer_insights' previous period, which is compared by kWh): no tariff is looked up,
-- so every regular day is read as "sums" and tariff_id, cost_p, standing_p, cheap_wh and
-- priced_wh are NULL; day, kwh, intervals, expected, min_wh and estimated are as with it.
-- Internal (owner-only EXECUTE, no SET clause, every name qualified); PL/pgSQL so that on
-- Citus its queries are planned with the values, as meter_slots_priced's are.
-- (with_cost came after the first version: a CREATE OR REPLACE would add a second one.)
DROP FUNCTION IF EXISTS meterops.meter_days_priced(text, date, date);
CREATE OR REPLACE FUNCTION meterops.meter_days_priced(mpxn text, from_day date, to_day date,
                                                      with_cost boolean DEFAULT true)
RETURNS TABLE (day date, tariff_id int, kwh numeric, cost_p numeric, standing_p numeric,
               intervals int, expected int, min_wh int, estimated int, cheap_wh bigint,
               priced_wh bigint)
LANGUAGE plpgsql STABLE ROWS 31 AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH days AS MATERIALIZED (
        SELECT d::date AS day,
               t.tariff_id,
               m.interval_minutes,
               (m.installed_on IS NULL OR m.installed_on <= d::date)
                   AND (m.removed_on IS NULL OR d::date <= m.removed_on) AS in_service,
               t.standing_p_day,
               m.direction = 'export' AS export,
               t.tariff_id IS NOT NULL AS priced,
               d::date::timestamp AT TIME ZONE 'Europe/London' AS starts,
               (d::date + 1)::timestamp AT TIME ZONE 'Europe/London' AS ends
        FROM meterops.meter m
        CROSS JOIN pg_catalog.generate_series(meter_days_priced.from_day, meter_days_priced.to_day,
                                              interval '1 day') AS d
        LEFT JOIN LATERAL (
            SELECT h.tariff_id FROM meterops.meter_tariff h
            WHERE h.meter_id = m.meter_id AND h.valid_from <= d::date AND meter_days_priced.with_cost
            ORDER BY h.valid_from DESC
            LIMIT 1
        ) a ON true
        LEFT JOIN meterops.tariff t
               ON t.tariff_id = a.tariff_id
              AND t.valid_from <= d::date
              AND (t.valid_to IS NULL OR d::date < t.valid_to)
        WHERE m.mpxn = meter_days_priced.mpxn
    ), kinds AS MATERIALIZED (
        SELECT k.tariff_id,
               -- the key's first entry (EXISTS, or LIMIT 1 alone, was planned as a scan of
               -- every price: 1.4-2 ms a call with two years of half-hourly prices)
               (SELECT true FROM meterops.tariff_price p WHERE p.tariff_id = k.tariff_id
                ORDER BY p.tariff_id, p.starts LIMIT 1) IS NOT NULL AS dated,
               b.flat, b.disjoint, b.cheap
        FROM (SELECT DISTINCT days.tariff_id FROM days WHERE days.tariff_id IS NOT NULL) k
        CROSS JOIN LATERAL (
            SELECT pg_catalog.count(*) = 1 AND pg_catalog.min(x.start_minute) = 0
                       AND pg_catalog.max(x.end_minute) = 1440 AS flat,
                   coalesce(pg_catalog.bool_and(x.prev_end IS NULL OR x.prev_end <= x.start_minute), true)
                       AS disjoint,
                   pg_catalog.min(x.unit_p_kwh) AS cheap
            FROM (SELECT b0.start_minute, b0.end_minute, b0.unit_p_kwh,
                         pg_catalog.max(b0.end_minute) OVER (ORDER BY b0.start_minute
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
                  FROM meterops.tariff_band b0 WHERE b0.tariff_id = k.tariff_id) x
        ) b
    ), day_prices AS MATERIALIZED (
        -- A dated tariff's prices of each local day, in order (read in the key's order,
        -- one range a day), and whether they are one price per half-hour of the day: n
        -- prices of 30 minutes that do not overlap (the feeds refuse overlaps), inside the
        -- day of n half-hours, tile it.
        SELECT days.day, p.prices,
               p.n = extract(epoch FROM days.ends - days.starts) / 1800
                   AND p.all_half_hours AND p.last_end <= days.ends AS tiled
        FROM days
        JOIN kinds ON kinds.tariff_id = days.tariff_id AND kinds.dated
        CROSS JOIN LATERAL (
            SELECT pg_catalog.array_agg(p0.unit_p_kwh ORDER BY p0.starts) AS prices, pg_catalog.count(*) AS n,
                   pg_catalog.bool_and(p0.ends - p0.starts = interval '30 minutes') AS all_half_hours,
                   pg_catalog.max(p0.ends) AS last_end
            FROM (SELECT p1.unit_p_kwh, p1.starts, p1.ends FROM meterops.tariff_price p1
                  WHERE p1.tariff_id = days.tariff_id AND p1.starts >= days.starts
                    AND p1.starts < days.ends
                  ORDER BY p1.tariff_id, p1.starts) p0
        ) p
        WHERE days.interval_minutes = 30
    ), modes AS MATERIALIZED (
        -- On a clock-change day the local minute of element k (from 1) is (k - 1) *
        -- minutes before the change (01:00 UTC, element shift_at + 1) and (k - 1) *
        -- minutes + delta from it: delta is +60 on the day of 23 hours, -60 on the day
        -- of 25, 0 (and shift_at the whole day) on other days.
        SELECT days.*, md.wh AS day_wh, md.minutes, md.total_wh, md.present, md.min_wh,
               md.estimated, md.regular, kinds.cheap, dp.prices,
               1440 - (extract(epoch FROM days.ends - days.starts) / 60)::int AS delta,
               CASE WHEN days.ends - days.starts = interval '24 hours'
                    THEN (extract(epoch FROM days.ends - days.starts) / 60)::int / md.minutes
                    ELSE (extract(epoch FROM ((days.day::timestamp + interval '1 hour') AT TIME ZONE 'UTC')
                                             - days.starts) / 60)::int / md.minutes END AS shift_at,
               (extract(epoch FROM days.ends - days.starts) / 60)::int / md.minutes AS n,
               CASE WHEN NOT md.regular THEN 'slots'
                    WHEN days.tariff_id IS NULL THEN 'sums'
                    WHEN kinds.dated AND dp.tiled AND md.minutes = 30 THEN 'dated'
                    WHEN kinds.dated THEN 'slots'
                    WHEN kinds.flat THEN 'flat'
                    WHEN kinds.disjoint THEN 'bands'
                    ELSE 'slots' END AS mode
        FROM days
        JOIN meterops.meter_days(meter_days_priced.mpxn, meter_days_priced.from_day,
                                 meter_days_priced.to_day) md ON md.local_day = days.day
        LEFT JOIN kinds ON kinds.tariff_id = days.tariff_id
        LEFT JOIN day_prices dp ON dp.day = days.day
    ), slow AS (
        SELECT pg_catalog.min(modes.day) AS first_day, pg_catalog.max(modes.day) AS last_day
        FROM modes WHERE modes.mode = 'slots'
    ), slots AS (
        SELECT p.local_day,
               pg_catalog.sum(p.wh) AS wh,
               pg_catalog.count(*) AS present,
               pg_catalog.count(p.unit_p_kwh) AS priced,
               pg_catalog.sum(p.wh * p.unit_p_kwh) AS cost_e3,
               pg_catalog.min(p.wh) AS min_wh,
               pg_catalog.count(*) FILTER (WHERE p.quality = 'E') AS estimated,
               pg_catalog.sum(p.wh) FILTER (WHERE p.unit_p_kwh = k.cheap) AS cheap_wh,
               pg_catalog.sum(p.wh) FILTER (WHERE p.unit_p_kwh IS NOT NULL) AS priced_wh
        FROM slow
        CROSS JOIN LATERAL meterops.meter_slots_priced(meter_days_priced.mpxn, slow.first_day,
                                                       slow.last_day) p
        LEFT JOIN kinds k ON k.tariff_id = p.tariff_id
        WHERE slow.first_day IS NOT NULL
        GROUP BY p.local_day
    ), banded AS (
        SELECT modes.day,
               pg_catalog.count(*) AS bands,
               pg_catalog.sum(x.wh * b.unit_p_kwh) AS cost_e3,
               pg_catalog.sum(x.n) AS priced,
               pg_catalog.sum(x.wh) FILTER (WHERE b.unit_p_kwh = modes.cheap) AS cheap_wh,
               pg_catalog.sum(x.wh) AS priced_wh
        FROM modes
        JOIN meterops.tariff_band b ON b.tariff_id = modes.tariff_id
        -- the elements whose local minute is in [start_minute, end_minute): those before
        -- the change, then those from it
        CROSS JOIN LATERAL (
            SELECT pg_catalog.sum(w) AS wh, pg_catalog.count(w) AS n
            FROM pg_catalog.unnest(
                modes.day_wh[greatest(pg_catalog.ceil(b.start_minute::numeric / modes.minutes)::int, 0) + 1
                             : least(pg_catalog.ceil(b.end_minute::numeric / modes.minutes)::int, modes.shift_at)]
                || modes.day_wh[greatest(pg_catalog.ceil((b.start_minute - modes.delta)::numeric / modes.minutes)::int,
                                         modes.shift_at) + 1
                                : least(pg_catalog.ceil((b.end_minute - modes.delta)::numeric / modes.minutes)::int,
                                        modes.n)]) AS w
        ) x
        WHERE modes.mode = 'bands'
        GROUP BY modes.day
    ), zipped AS (
        -- a half-hourly meter's readings and the half-hourly prices of the day, in step
        SELECT modes.day,
               pg_catalog.sum(z.w * z.price) AS cost_e3,
               pg_catalog.count(z.w) FILTER (WHERE z.price IS NOT NULL) AS priced,
               pg_catalog.sum(z.w) FILTER (WHERE z.price = modes.cheap) AS cheap_wh,
               pg_catalog.sum(z.w) FILTER (WHERE z.price IS NOT NULL) AS priced_wh
        FROM modes
        CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(modes.day_wh), pg_catalog.unnest(modes.prices)) AS z(w, price)
        WHERE modes.mode = 'dated'
        GROUP BY modes.day
    ), used AS (
        -- NULLs where the day has no reading, as a day without slots has no group
        SELECT modes.*,
               CASE WHEN modes.mode = 'slots' THEN s.wh WHEN modes.present > 0 THEN modes.total_wh END AS u_wh,
               CASE WHEN modes.mode = 'slots' THEN s.present WHEN modes.present > 0 THEN modes.present END
                   AS u_present,
               CASE WHEN modes.mode = 'slots' THEN s.priced
                    WHEN modes.present = 0 THEN NULL
                    WHEN modes.mode = 'bands' THEN coalesce(bd.priced, 0)
                    WHEN modes.mode = 'dated' THEN coalesce(z.priced, 0)
                    ELSE modes.present END AS u_priced,
               CASE WHEN modes.mode = 'slots' THEN s.cost_e3
                    WHEN modes.present = 0 THEN NULL
                    WHEN modes.mode = 'bands' THEN bd.cost_e3
                    WHEN modes.mode = 'dated' THEN z.cost_e3
                    WHEN modes.mode = 'flat' THEN modes.total_wh * modes.cheap END AS u_cost_e3,
               CASE WHEN modes.regular THEN modes.min_wh ELSE s.min_wh END AS u_min_wh,
               CASE WHEN modes.regular THEN modes.estimated ELSE coalesce(s.estimated, 0)::int END
                   AS u_estimated,
               CASE WHEN modes.mode = 'slots' THEN s.cheap_wh
                    WHEN modes.present = 0 THEN NULL
                    WHEN modes.mode = 'bands' THEN bd.cheap_wh
                    WHEN modes.mode = 'dated' THEN z.cheap_wh
                    WHEN modes.mode = 'flat' THEN modes.total_wh END AS u_cheap_wh,
               CASE WHEN modes.mode = 'slots' THEN s.priced_wh
                    WHEN modes.present = 0 THEN NULL
                    WHEN modes.mode = 'bands' THEN bd.priced_wh
                    WHEN modes.mode = 'dated' THEN z.priced_wh
                    WHEN modes.mode = 'flat' THEN modes.total_wh END AS u_priced_wh
        FROM modes
        LEFT JOIN slots s ON s.local_day = modes.day AND modes.mode = 'slots'
        LEFT JOIN banded bd ON bd.day = modes.day
        LEFT JOIN zipped z ON z.day = modes.day
    )
    SELECT used.day,
           used.tariff_id,
           coalesce(used.u_wh, 0) * 0.001,
           CASE WHEN NOT used.priced OR coalesce(used.u_priced, 0) < coalesce(used.u_present, 0) THEN NULL
                WHEN used.export THEN coalesce(used.u_cost_e3, 0) * -0.001
                ELSE coalesce(used.u_cost_e3, 0) * 0.001 END,
           CASE WHEN NOT used.priced THEN NULL
                WHEN used.in_service AND NOT used.export THEN used.standing_p_day
                ELSE 0 END,
           coalesce(used.u_present, 0)::int,
           CASE WHEN NOT used.in_service THEN 0
                ELSE greatest(0, pg_catalog.floor(extract(epoch FROM
                         least(used.ends, pg_catalog.now()) - used.starts)
                         / 60 / used.interval_minutes))::int END,
           used.u_min_wh,
           used.u_estimated,
           used.u_cheap_wh::bigint,
           used.u_priced_wh::bigint
    FROM used
    ORDER BY used.day;
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_days_priced(text, date, date, boolean) FROM PUBLIC;
