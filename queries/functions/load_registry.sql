-- The customers feed without reading customers: meterops_loader may read only
-- customer_id and account_no of meterops.customer (014_loader_rights.sql), never a name,
-- postcode, email or phone. The upsert skips customers whose details did not change (a
-- daily full feed must not rewrite every row), which means comparing the stored details:
-- so it runs here, as the owner, over the session's staging table pg_temp.stage that the
-- loader filled (backend/loadreg.c), and returns only line numbers, codes and account
-- numbers. queries/load/upsert_customers.sql calls it.

-- stage_share: lets the owner of fn read the caller's staging table. A temporary table
-- belongs to the session's role; a SECURITY DEFINER function reads it with its owner's
-- rights, which a superuser has anyway and any other owner gets here. Runs as the caller
-- (the table's owner). Returns true, so it can stand as fn's argument and run first.
CREATE OR REPLACE FUNCTION meterops.stage_share(fn regprocedure)
RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    owner name;
BEGIN
    SELECT pg_get_userbyid(p.proowner) INTO owner FROM pg_proc p WHERE p.oid = fn;
    IF owner <> current_user
       AND NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = owner) THEN
        EXECUTE format('GRANT SELECT ON pg_temp.stage TO %I', owner);
    END IF;
    RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION meterops.stage_share(regprocedure) TO meterops_loader;

-- customer_upsert_staged: the customers feed in pg_temp.stage (line_no, account_no, name,
-- postcode, email, phone, all text but line_no) into meterops.customer. A new account_no
-- is inserted; a known one takes the file's details (an empty field clears it). An
-- account_no repeated within the file: the first line counts and each later one is
-- refused (duplicate_identical when it says the same, duplicate_conflict otherwise).
-- Returns (line_no, column_name, code, message) for every staged row it refused.
CREATE OR REPLACE FUNCTION meterops.customer_upsert_staged(shared boolean)
RETURNS TABLE (line_no bigint, column_name text, code text, message text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH ranked AS (
        SELECT s.*,
               row_number() OVER w AS nth,
               first_value(s.line_no) OVER w AS first_line,
               (s.name, s.postcode, s.email, s.phone)::text
                   IS NOT DISTINCT FROM first_value((s.name, s.postcode, s.email, s.phone)::text) OVER w
                   AS same_as_first
        FROM pg_temp.stage s
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
        SELECT r.account_no, r.name, r.postcode, r.email, r.phone
        FROM ranked r
        WHERE r.nth = 1
        ORDER BY r.line_no
        ON CONFLICT (account_no) DO UPDATE
            SET name = EXCLUDED.name, postcode = EXCLUDED.postcode,
                email = EXCLUDED.email, phone = EXCLUDED.phone
            WHERE (c.name, c.postcode, c.email, c.phone)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.postcode, EXCLUDED.email, EXCLUDED.phone)
        RETURNING 1
    )
    SELECT x.line_no, x.column_name, x.code, x.message
    FROM refused x
    ORDER BY x.line_no;
END
$$;
REVOKE ALL ON FUNCTION meterops.customer_upsert_staged(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_upsert_staged(boolean) TO meterops_loader;
