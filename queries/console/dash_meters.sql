-- console/dash_meters: the registry's active meters by fuel (removed_on NULL or after
-- today, UTC), how many of them reported today (have a reading_day row for today) and how
-- many have been silent for more than $1 days (no reading_day row in [today - $1, today]).
-- Exact, and flat in the number of meters and readings: it reads the summaries of
-- 009_meter_counts.sql, never reading_day or the registry's rows: meter_tally (a few rows),
-- meter_active (a 65536-bit string per fuel and chunk of meter ids) and meter_seen (one per
-- day, fuel and chunk: 108 per day at 3.5M meters); only the few meters removed after today
-- are read (partial index meter_removed_idx). Seen bitmaps of both fuels are ORed: a
-- meter's bit sits in one of them. $1 is capped by the callers (MAX_SILENT_DAYS, cli/).
WITH today AS (SELECT (now() AT TIME ZONE 'UTC')::date AS d),
tally AS (
    SELECT coalesce(sum(t.meters), 0)::bigint                               AS total,
           coalesce(sum(t.meters) FILTER (WHERE t.fuel = 'elec'), 0)::bigint AS elec,
           coalesce(sum(t.meters) FILTER (WHERE t.fuel = 'gas'), 0)::bigint  AS gas
    FROM meterops.meter_tally t
    WHERE t.removed_on > (SELECT d FROM today)
),
active AS (      -- removed_on IS NULL, both fuels
    SELECT a.chunk, bit_or(a.bits) AS bits FROM meterops.meter_active a GROUP BY a.chunk
),
seen AS (        -- per chunk: seen today, seen on any day of the window
    SELECT s.chunk,
           bit_or(s.bits) FILTER (WHERE s.day = (SELECT d FROM today)) AS today_bits,
           bit_or(s.bits)                                              AS window_bits
    FROM meterops.meter_seen s
    WHERE s.day BETWEEN (SELECT d FROM today) - $1::int AND (SELECT d FROM today)
    GROUP BY s.chunk
),
later AS (       -- active today, removed later: not in meter_active
    SELECT m.meter_id FROM meterops.meter m
    WHERE m.removed_on > (SELECT d FROM today)
),
hits AS (
    SELECT coalesce(sum(bit_count(a.bits & s.today_bits)), 0)  AS today_n,
           coalesce(sum(bit_count(a.bits & s.window_bits)), 0) AS window_n
    FROM active a JOIN seen s USING (chunk)
    UNION ALL
    SELECT count(*) FILTER (WHERE get_bit(s.today_bits, (l.meter_id & 65535)::int) = 1),
           count(*) FILTER (WHERE get_bit(s.window_bits, (l.meter_id & 65535)::int) = 1)
    FROM later l JOIN seen s ON s.chunk = l.meter_id >> 16
)
SELECT tally.total, tally.elec, tally.gas,
       (SELECT sum(today_n) FROM hits)::bigint                 AS reporting_today,
       tally.total - (SELECT sum(window_n) FROM hits)::bigint  AS silent
FROM tally
