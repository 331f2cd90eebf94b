-- The support desk's way in: find a customer, list its meters. SECURITY DEFINER so that
-- meterops_support, which holds no table right at all, can call them; what they return is
-- what support may see. Applied after customer_masked.sql (the masking they reuse).

-- customer_find: customers matching ref by
--   account_no  exactly (spaces around ref ignored),
--   mpxn        exactly, any meter the customer has or had (spaces ignored; a 21-digit full
--               MPAN matches by its 13-digit core, as the registry stores it),
--   postcode    case and spaces ignored ("sw1a1aa" finds "SW1A 1AA"), operators only,
--   name        case-insensitive substring, when ref has at least 3 characters, operators
--               only.
-- The support desk (masked) searches by the two identifiers only, which it sees in full
-- anyway. A search by a field it sees masked answers "is this the hidden value?", and
-- asking often enough recovers it: the 6,760 inward codes of an outward code find a
-- customer's full postcode in seconds, and an exact full name is the same oracle over a
-- list of names of the masked length and initial. So postcode and name find nothing for
-- support, not even exactly (tests/integration/roles.sh tries the enumerations).
-- A customer matching several ways is listed once, by its strongest match (the order
-- above). At most 50 rows, strongest match first, then by name and account_no; matches
-- counts all of them, so a caller can say "50 of 1234".
-- Personal data comes back through meterops.customer_masked (the one masking rule) unless
-- the session user is a member of meterops_operator (session_user, because inside a
-- SECURITY DEFINER function current_user is the owner); masked says which.
CREATE OR REPLACE FUNCTION meterops.customer_find(ref text)
RETURNS TABLE (account_no text, name text, postcode text, email text, phone text,
               matched_by text, meters int, masked boolean, matches int)
-- ROWS and jit = off: see usage_cost.sql.
LANGUAGE sql STABLE SECURITY DEFINER ROWS 10
SET search_path = pg_catalog, meterops SET jit = off AS $$
    WITH q AS (
        SELECT btrim(customer_find.ref) AS ref,
               upper(regexp_replace(customer_find.ref, '\s', '', 'g')) AS compact,
               NOT pg_has_role(session_user, 'meterops_operator', 'MEMBER') AS masked
    ), hits AS (
        SELECT c.customer_id, 1 AS strength, 'account_no' AS matched_by
        FROM q JOIN meterops.customer c ON c.account_no = q.ref
        UNION ALL
        SELECT m.customer_id, 2, 'mpxn'
        FROM q JOIN meterops.meter m
          ON q.compact ~ '^[0-9]{6,21}$'
         AND m.mpxn = CASE WHEN length(q.compact) = 21 THEN right(q.compact, 13) ELSE q.compact END
        WHERE m.customer_id IS NOT NULL
        UNION ALL
        SELECT c.customer_id, 3, 'postcode'
        FROM q JOIN meterops.customer c
          ON NOT q.masked AND upper(replace(c.postcode, ' ', '')) = q.compact
        UNION ALL
        SELECT c.customer_id, 4, 'name'
        FROM q JOIN meterops.customer c
          ON NOT q.masked AND length(q.ref) >= 3
         AND c.name ILIKE '%' || replace(replace(replace(q.ref, '\', '\\'), '%', '\%'), '_', '\_') || '%'
    ), best AS (
        SELECT DISTINCT ON (h.customer_id) h.customer_id, h.strength, h.matched_by
        FROM hits h
        ORDER BY h.customer_id, h.strength
    ), shown AS (
        -- The 50 shown are chosen first; masking and meter counts are worked out for them
        -- only (a common surname matches tens of thousands: bench/customer-scale.sh).
        SELECT b.customer_id, b.strength, b.matched_by, c.name, c.account_no,
               (count(*) OVER ())::int AS matches
        FROM best b
        JOIN meterops.customer c ON c.customer_id = b.customer_id
        ORDER BY b.strength, lower(c.name), c.account_no
        LIMIT 50
    )
    SELECT c.account_no,
           CASE WHEN q.masked THEN k.name ELSE c.name END,
           CASE WHEN q.masked THEN k.postcode ELSE c.postcode END,
           CASE WHEN q.masked THEN k.email ELSE c.email END,
           CASE WHEN q.masked THEN k.phone ELSE c.phone END,
           s.matched_by,
           (SELECT count(*) FROM meterops.meter m WHERE m.customer_id = c.customer_id)::int,
           q.masked,
           s.matches
    FROM shown s
    JOIN meterops.customer c ON c.customer_id = s.customer_id
    JOIN meterops.customer_masked k ON k.customer_id = s.customer_id
    CROSS JOIN q
    ORDER BY s.strength, lower(s.name), s.account_no
$$;
REVOKE ALL ON FUNCTION meterops.customer_find(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_find(text) TO meterops_support, meterops_operator;

-- customer_meters: the meters of one account, those in service first, electricity before
-- gas, import before export, with the tariff each is on and its direction. No rows for an unknown account.
-- direction (018) changed the result's columns, which CREATE OR REPLACE cannot do.
DROP FUNCTION IF EXISTS meterops.customer_meters(text);
CREATE OR REPLACE FUNCTION meterops.customer_meters(account_no text)
RETURNS TABLE (mpxn text, fuel text, interval_minutes int, tariff_code text, tariff_name text,
               installed_on date, removed_on date, direction text)
-- ROWS and jit = off: see usage_cost.sql.
LANGUAGE sql STABLE SECURITY DEFINER ROWS 3
SET search_path = pg_catalog, meterops SET jit = off AS $$
    SELECT m.mpxn, m.fuel, m.interval_minutes, t.code, t.name, m.installed_on, m.removed_on,
           m.direction
    FROM meterops.customer c
    JOIN meterops.meter m ON m.customer_id = c.customer_id
    LEFT JOIN meterops.tariff t ON t.tariff_id = m.tariff_id
    WHERE c.account_no = customer_meters.account_no
    ORDER BY m.removed_on IS NOT NULL, m.fuel, m.direction = 'export', m.mpxn
$$;
REVOKE ALL ON FUNCTION meterops.customer_meters(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_meters(text) TO meterops_support, meterops_operator;
