-- upsert_tariffs: moves one tariffs feed (staged by the loader in the temporary table
-- stage: line_no bigint, code, name, fuel, standing_p_day, valid_from, valid_to, band,
-- start_local, end_local, unit_p_kwh, all text, one row per time-of-use band, each row
-- already validated by backend/reader_registry.c) into meterops.tariff and
-- meterops.tariff_band in one statement.
-- A tariff lands whole or not at all: its rows must agree on the tariff's own fields and
-- its bands must cover the local day from 00:00 to 24:00 without gap or overlap. A new
-- code is inserted; a known one takes the file's fields and its bands are replaced (bands
-- the file no longer lists are deleted). A tariff that meters are on cannot change fuel.
-- Refused, one reason per row: a band start repeated (duplicate_identical /
-- duplicate_conflict, the first line counts), a tariff field differing from the tariff's
-- first row, a gap or overlap, a fuel change; every other row of such a tariff (other
-- than an identical repeat) is refused as not loaded, naming the line at fault.
-- Returns (line_no, column_name, code, message) for every staged row it refused.
WITH src AS (
    SELECT s.line_no,
           s.code AS tariff_code,
           s.name,
           s.fuel,
           s.standing_p_day::numeric AS standing_p_day,
           s.valid_from::date AS valid_from,
           s.valid_to::date AS valid_to,
           s.band,
           s.start_local,
           s.end_local,
           split_part(s.start_local, ':', 1)::int * 60 + split_part(s.start_local, ':', 2)::int AS start_minute,
           split_part(s.end_local, ':', 1)::int * 60 + split_part(s.end_local, ':', 2)::int AS end_minute,
           s.unit_p_kwh::numeric AS unit_p_kwh
    FROM stage s
),
ordered AS (
    SELECT src.*,
           first_value(src.line_no) OVER (PARTITION BY src.tariff_code ORDER BY src.line_no) AS head_line,
           row_number() OVER w AS nth_start,
           first_value(src.line_no) OVER w AS start_first_line,
           (src.name, src.fuel, src.standing_p_day, src.valid_from, src.valid_to, src.band, src.end_minute,
            src.unit_p_kwh)::text
               IS NOT DISTINCT FROM
           first_value((src.name, src.fuel, src.standing_p_day, src.valid_from, src.valid_to, src.band,
                        src.end_minute, src.unit_p_kwh)::text) OVER w
               AS same_as_first
    FROM src
    WINDOW w AS (PARTITION BY src.tariff_code, src.start_minute ORDER BY src.line_no)
),
-- The bands in time order, one per start (repeats are refused on their own account).
chain AS (
    SELECT o.line_no,
           lag(o.end_minute) OVER b AS prev_end,
           lag(o.end_local) OVER b AS prev_end_local,
           lag(o.line_no) OVER b AS prev_line,
           lead(o.line_no) OVER b IS NULL AS is_last
    FROM ordered o
    WHERE o.nth_start = 1
    WINDOW b AS (PARTITION BY o.tariff_code ORDER BY o.start_minute)
),
problem AS (
    SELECT o.line_no, o.tariff_code, p.column_name, p.code, p.message
    FROM ordered o
    JOIN src h ON h.line_no = o.head_line
    LEFT JOIN chain c ON c.line_no = o.line_no
    LEFT JOIN meterops.tariff t ON t.code = o.tariff_code
    CROSS JOIN LATERAL (
        SELECT v.column_name, v.code, v.message
        FROM (VALUES
            (1, 'start_local',
             meterops.repeat_code(o.nth_start, o.same_as_first),
             format('tariff %s already has a band starting at %s on line %s', o.tariff_code, o.start_local, o.start_first_line)),
            (2, 'name', CASE WHEN o.name IS DISTINCT FROM h.name THEN 'field_invalid' END,
             format('tariff %s is named %s on line %s; all rows of a tariff must agree', o.tariff_code, h.name, h.line_no)),
            (3, 'fuel', CASE WHEN o.fuel IS DISTINCT FROM h.fuel THEN 'field_invalid' END,
             format('tariff %s is %s on line %s; all rows of a tariff must agree', o.tariff_code, h.fuel, h.line_no)),
            (4, 'standing_p_day', CASE WHEN o.standing_p_day IS DISTINCT FROM h.standing_p_day THEN 'field_invalid' END,
             format('tariff %s has standing charge %s on line %s; all rows of a tariff must agree', o.tariff_code, h.standing_p_day, h.line_no)),
            (5, 'valid_from', CASE WHEN o.valid_from IS DISTINCT FROM h.valid_from THEN 'field_invalid' END,
             format('tariff %s is valid from %s on line %s; all rows of a tariff must agree', o.tariff_code, h.valid_from, h.line_no)),
            (6, 'valid_to', CASE WHEN o.valid_to IS DISTINCT FROM h.valid_to THEN 'field_invalid' END,
             format('tariff %s is valid to %s on line %s; all rows of a tariff must agree', o.tariff_code, coalesce(h.valid_to::text, '(open)'), h.line_no)),
            (7, 'start_local', CASE WHEN c.prev_line IS NULL AND o.start_minute <> 0 THEN 'field_invalid' END,
             format('tariff %s: its earliest band starts at %s; the bands must cover the day from 00:00', o.tariff_code, o.start_local)),
            (8, 'start_local', CASE WHEN c.prev_end < o.start_minute THEN 'field_invalid' END,
             format('tariff %s: a band starts at %s but the band before it (line %s) ends at %s, leaving a gap', o.tariff_code, o.start_local, c.prev_line, c.prev_end_local)),
            (9, 'start_local', CASE WHEN c.prev_end > o.start_minute THEN 'field_invalid' END,
             format('tariff %s: a band starts at %s but the band before it (line %s) runs to %s: they overlap', o.tariff_code, o.start_local, c.prev_line, c.prev_end_local)),
            (10, 'end_local', CASE WHEN c.is_last AND o.end_minute <> 1440 THEN 'field_invalid' END,
             format('tariff %s: its last band ends at %s; the bands must cover the day to 24:00', o.tariff_code, o.end_local)),
            (11, 'fuel',
             CASE WHEN t.fuel <> o.fuel AND EXISTS (SELECT 1 FROM meterops.meter m WHERE m.tariff_id = t.tariff_id)
                  THEN 'field_invalid' END,
             format('tariff %s is for %s and meters are on it; it cannot become a %s tariff', o.tariff_code, t.fuel, o.fuel))
        ) v(ord, column_name, code, message)
        WHERE v.code IS NOT NULL
        ORDER BY v.ord
        LIMIT 1
    ) p
),
-- A repeated identical band row harms nothing: the tariff still lands from its first line.
spoiled AS (
    SELECT tariff_code, min(line_no) AS first_bad
    FROM problem
    WHERE code <> 'duplicate_identical'
    GROUP BY tariff_code
),
refused AS (
    SELECT line_no, column_name, code, message FROM problem
    UNION ALL
    SELECT o.line_no, 'code', 'field_invalid',
           format('tariff %s is not loaded because line %s is refused', o.tariff_code, s.first_bad)
    FROM ordered o
    JOIN spoiled s ON s.tariff_code = o.tariff_code
    WHERE NOT EXISTS (SELECT 1 FROM problem p WHERE p.line_no = o.line_no)
),
good AS (
    SELECT o.*
    FROM ordered o
    WHERE o.nth_start = 1
      AND NOT EXISTS (SELECT 1 FROM spoiled s WHERE s.tariff_code = o.tariff_code)
),
tariffs AS (
    INSERT INTO meterops.tariff AS t (code, name, fuel, standing_p_day, valid_from, valid_to)
    SELECT g.tariff_code, g.name, g.fuel, g.standing_p_day, g.valid_from, g.valid_to
    FROM good g
    WHERE g.line_no = g.head_line
    ORDER BY g.line_no
    ON CONFLICT (code) DO UPDATE
        SET name = EXCLUDED.name, fuel = EXCLUDED.fuel, standing_p_day = EXCLUDED.standing_p_day,
            valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to
    RETURNING t.tariff_id, t.code
),
dropped AS (
    DELETE FROM meterops.tariff_band b
    USING tariffs t
    WHERE b.tariff_id = t.tariff_id
      AND NOT EXISTS (SELECT 1 FROM good g WHERE g.tariff_code = t.code AND g.start_minute = b.start_minute)
    RETURNING 1
),
bands AS (
    INSERT INTO meterops.tariff_band AS b (tariff_id, band, start_minute, end_minute, unit_p_kwh)
    SELECT t.tariff_id, g.band, g.start_minute, g.end_minute, g.unit_p_kwh
    FROM good g
    JOIN tariffs t ON t.code = g.tariff_code
    ORDER BY g.line_no
    ON CONFLICT (tariff_id, start_minute) DO UPDATE
        SET band = EXCLUDED.band, end_minute = EXCLUDED.end_minute, unit_p_kwh = EXCLUDED.unit_p_kwh
    RETURNING 1
)
SELECT line_no, column_name, code, message
FROM refused
ORDER BY line_no;
