-- upsert_customers: moves one customers feed (staged by the loader in the temporary table
-- stage: line_no bigint, account_no, name, postcode, email, phone, all text, each row
-- already validated by backend/reader_registry.c) into meterops.customer in one statement.
-- A new account_no is inserted; a known one takes the file's details (a later file updates
-- a customer; an empty field clears it). An account_no repeated within the file: the first
-- line counts and each later one is refused (duplicate_identical when it says the same,
-- duplicate_conflict otherwise).
-- Returns (line_no, column_name, code, message) for every staged row it refused.
WITH ranked AS (
    SELECT s.*,
           row_number() OVER w AS nth,
           first_value(s.line_no) OVER w AS first_line,
           (s.name, s.postcode, s.email, s.phone)::text
               IS NOT DISTINCT FROM first_value((s.name, s.postcode, s.email, s.phone)::text) OVER w
               AS same_as_first
    FROM stage s
    WINDOW w AS (PARTITION BY s.account_no ORDER BY s.line_no)
),
refused AS (
    SELECT r.line_no,
           'account_no'::text AS column_name,
           meterops.repeat_code(r.nth, r.same_as_first) AS code,
           format('account_no %s already appears on line %s%s', r.account_no, r.first_line,
                  meterops.repeat_note(r.same_as_first, 'details')) AS message
    FROM ranked r
    WHERE r.nth > 1
),
upserted AS (
    INSERT INTO meterops.customer AS c (account_no, name, postcode, email, phone)
    SELECT account_no, name, postcode, email, phone
    FROM ranked
    WHERE nth = 1
    ORDER BY line_no
    ON CONFLICT (account_no) DO UPDATE
        SET name = EXCLUDED.name, postcode = EXCLUDED.postcode,
            email = EXCLUDED.email, phone = EXCLUDED.phone
        WHERE (c.name, c.postcode, c.email, c.phone)
              IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.postcode, EXCLUDED.email, EXCLUDED.phone)
    RETURNING 1
)
SELECT line_no, column_name, code, message
FROM refused
ORDER BY line_no;
