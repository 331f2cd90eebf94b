-- upsert_bills: moves one bills feed (staged by the loader in the temporary table stage:
-- line_no bigint, account_no, period_start, period_end, kwh, amount_p, issued_on, all
-- text, each row already validated by backend/reader_registry.c) into meterops.bill in one
-- statement. A bill is identified by its customer and period_start: a known one takes the
-- file's figures (a re-issued bill). Refused, one reason per row: the same account and
-- period_start repeated within the file (the first line counts), an account_no the
-- registry does not hold (unknown_reference), a period overlapping another bill of the
-- customer already held, or overlapping an earlier-starting period of the same file.
-- Returns (line_no, column_name, code, message) for every staged row it refused.
WITH src AS (
    SELECT s.line_no,
           s.account_no,
           s.period_start::date AS period_start,
           s.period_end::date AS period_end,
           s.kwh::numeric AS kwh,
           s.amount_p::numeric AS amount_p,
           s.issued_on::date AS issued_on
    FROM stage s
),
ranked AS (
    SELECT src.*,
           row_number() OVER w AS nth,
           first_value(src.line_no) OVER w AS first_line,
           (src.period_end, src.kwh, src.amount_p, src.issued_on)::text
               IS NOT DISTINCT FROM first_value((src.period_end, src.kwh, src.amount_p, src.issued_on)::text) OVER w
               AS same_as_first
    FROM src
    WINDOW w AS (PARTITION BY src.account_no, src.period_start ORDER BY src.line_no)
),
-- Distinct periods of each account in time order, to find overlaps within the file.
periods AS (
    SELECT r.line_no,
           lag(r.period_end) OVER p AS prev_end,
           lag(r.line_no) OVER p AS prev_line
    FROM ranked r
    WHERE r.nth = 1
    WINDOW p AS (PARTITION BY r.account_no ORDER BY r.period_start)
),
looked AS (
    SELECT r.*,
           c.customer_id,
           p.prev_end,
           p.prev_line,
           held.period_start AS held_start,
           held.period_end AS held_end
    FROM ranked r
    LEFT JOIN periods p ON p.line_no = r.line_no
    LEFT JOIN meterops.customer c ON c.account_no = r.account_no
    LEFT JOIN LATERAL (
        SELECT b.period_start, b.period_end
        FROM meterops.bill b
        WHERE b.customer_id = c.customer_id
          AND b.period_start <> r.period_start
          AND b.period_start <= r.period_end
          AND b.period_end >= r.period_start
        ORDER BY b.period_start
        LIMIT 1
    ) held ON true
),
refused AS (
    SELECT l.line_no, p.column_name, p.code, p.message
    FROM looked l
    CROSS JOIN LATERAL (
        SELECT v.column_name, v.code, v.message
        FROM (VALUES
            (1, 'period_start',
             meterops.repeat_code(l.nth, l.same_as_first),
             format('the bill of %s for the period from %s already appears on line %s%s', l.account_no,
                    l.period_start, l.first_line, meterops.repeat_note(l.same_as_first, 'figures'))),
            (2, 'account_no',
             CASE WHEN l.customer_id IS NULL THEN 'unknown_reference' END,
             format('account_no %s is not a known customer (load the customers feed first)', l.account_no)),
            (3, 'period_start',
             CASE WHEN l.held_start IS NOT NULL THEN 'field_invalid' END,
             format('the period %s to %s overlaps the bill of %s for %s to %s already held',
                    l.period_start, l.period_end, l.account_no, l.held_start, l.held_end)),
            (4, 'period_start',
             CASE WHEN l.prev_end >= l.period_start THEN 'field_invalid' END,
             format('the period %s to %s overlaps the period of line %s, which runs to %s',
                    l.period_start, l.period_end, l.prev_line, l.prev_end))
        ) v(ord, column_name, code, message)
        WHERE v.code IS NOT NULL
        ORDER BY v.ord
        LIMIT 1
    ) p
),
upserted AS (
    INSERT INTO meterops.bill AS b (customer_id, period_start, period_end, kwh, amount_p, issued_on)
    SELECT l.customer_id, l.period_start, l.period_end, l.kwh, l.amount_p, l.issued_on
    FROM looked l
    WHERE NOT EXISTS (SELECT 1 FROM refused x WHERE x.line_no = l.line_no)
    ORDER BY l.line_no
    ON CONFLICT (customer_id, period_start) DO UPDATE
        SET period_end = EXCLUDED.period_end, kwh = EXCLUDED.kwh,
            amount_p = EXCLUDED.amount_p, issued_on = EXCLUDED.issued_on
        WHERE (b.period_end, b.kwh, b.amount_p, b.issued_on)
              IS DISTINCT FROM (EXCLUDED.period_end, EXCLUDED.kwh, EXCLUDED.amount_p, EXCLUDED.issued_on)
    RETURNING 1
)
SELECT line_no, column_name, code, message
FROM refused
ORDER BY line_no;
