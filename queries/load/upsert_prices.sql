-- upsert_prices: moves one prices feed (formats prices and lcl-prices, both staged by the
-- loader in the temporary table stage: line_no bigint, tariff_code, starts, ends,
-- unit_p_kwh, all text, each row validated by backend/reader_prices.c, times already
-- written in UTC) into meterops.tariff_price in one statement. A tariff's dated prices
-- from the file replace every stored price of that tariff overlapping the file's span
-- for it (first start to last end), so a corrected schedule reloads cleanly. Refused,
-- one reason per row, in this order: the same tariff and start repeated within the file
-- (the first line counts), a tariff_code the registry does not hold (unknown_reference:
-- load the tariffs feed first), a price whose interval overlaps the previous one of the
-- same tariff in the file (field_invalid on starts).
-- Returns (line_no, column_name, code, message) for every staged row it refused.
WITH src AS (
    SELECT s.line_no, s.tariff_code,
           s.starts::timestamptz AS starts,
           s.ends::timestamptz AS ends,
           s.unit_p_kwh::numeric AS unit_p_kwh
    FROM stage s
),
ranked AS (
    SELECT src.*,
           row_number() OVER w AS nth,
           first_value(src.line_no) OVER w AS first_line,
           (src.ends, src.unit_p_kwh)::text IS NOT DISTINCT FROM
               first_value((src.ends, src.unit_p_kwh)::text) OVER w AS same_as_first
    FROM src
    WINDOW w AS (PARTITION BY src.tariff_code, src.starts ORDER BY src.line_no)
),
ordered AS (
    SELECT r.line_no,
           lag(r.ends) OVER p AS prev_end,
           lag(r.line_no) OVER p AS prev_line
    FROM ranked r
    WHERE r.nth = 1
    WINDOW p AS (PARTITION BY r.tariff_code ORDER BY r.starts)
),
looked AS (
    SELECT r.*, t.tariff_id, o.prev_end, o.prev_line
    FROM ranked r
    LEFT JOIN ordered o ON o.line_no = r.line_no
    LEFT JOIN meterops.tariff t ON t.code = r.tariff_code
),
refused AS (
    SELECT l.line_no, p.column_name, p.code, p.message
    FROM looked l
    CROSS JOIN LATERAL (
        SELECT v.column_name, v.code, v.message
        FROM (VALUES
            (1, 'starts',
             meterops.repeat_code(l.nth, l.same_as_first),
             format('tariff %s has a price from %s already on line %s%s', l.tariff_code, l.starts,
                    l.first_line, meterops.repeat_note(l.same_as_first, 'price'))),
            (2, 'tariff_code',
             CASE WHEN l.tariff_id IS NULL THEN 'unknown_reference' END,
             format('tariff_code %s is not a known tariff (load the tariffs feed first)', l.tariff_code)),
            (3, 'starts',
             CASE WHEN l.prev_end > l.starts THEN 'field_invalid' END,
             format('the price from %s overlaps the one on line %s, which ends at %s', l.starts,
                    l.prev_line, l.prev_end))
        ) v(ord, column_name, code, message)
        WHERE v.code IS NOT NULL
        ORDER BY v.ord
        LIMIT 1
    ) p
),
accepted AS (
    SELECT l.* FROM looked l
    WHERE NOT EXISTS (SELECT 1 FROM refused x WHERE x.line_no = l.line_no)
),
spans AS (
    SELECT a.tariff_id, min(a.starts) AS first_start, max(a.ends) AS last_end
    FROM accepted a
    GROUP BY a.tariff_id
),
cleared AS (
    DELETE FROM meterops.tariff_price p
    USING spans s
    WHERE p.tariff_id = s.tariff_id AND p.starts < s.last_end AND p.ends > s.first_start
      -- a start the file gives again is updated below, not deleted (one command may not
      -- touch a row twice)
      AND NOT EXISTS (SELECT 1 FROM accepted a WHERE a.tariff_id = p.tariff_id AND a.starts = p.starts)
    RETURNING p.tariff_id, p.starts
),
inserted AS (
    INSERT INTO meterops.tariff_price AS p (tariff_id, starts, ends, unit_p_kwh)
    SELECT a.tariff_id, a.starts, a.ends, a.unit_p_kwh
    FROM accepted a
    ORDER BY a.tariff_id, a.starts
    ON CONFLICT (tariff_id, starts) DO UPDATE SET ends = EXCLUDED.ends, unit_p_kwh = EXCLUDED.unit_p_kwh
    RETURNING 1
)
SELECT line_no, column_name, code, message
FROM refused
ORDER BY line_no;
