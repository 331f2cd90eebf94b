-- 023_customer_find_prefix: a name search's pages without reading every match of a common
-- name (meterops.customer_find, queries/functions/customer_search.sql; issue 11, "Speed").
--
-- A name search lists the names that start with what was typed first, then those that
-- contain it elsewhere, each in name order. The first are one range of the name index, read
-- in order without the heap: "Olivia" (58,000 of 2.4M customers) or "Olivia Smith" (842)
-- is a page and a count capped at 200 in about a millisecond, where reading their matches
-- through the trigram index took 190 ms and 17 ms. That needs the index in code point order
-- (COLLATE "C"), in which the names starting with a text are exactly those from it up to
-- the text with its last character incremented, whatever the database's collation; the
-- index of 022 had the database's. Names are compared lower-cased, so "C" order is the
-- alphabet's for the letters a to z.
-- (Each statement on its own: Citus sends a DDL statement's text on to the nodes, and
-- refuses a text of several.)
--
-- The planner's estimate of a name search's matches decides whether customer_find walks
-- the name index first. From the default sample (100 histogram bounds) "%smith%" was
-- expected to match 3,670 of 2.4M customers, against 35,294; from 1000, 32,878. Not on
-- Citus, where customer_find asks for no estimate.
DO $$
BEGIN
    EXECUTE 'DROP INDEX IF EXISTS meterops.customer_name_order_idx';
    EXECUTE 'CREATE INDEX customer_name_order_idx ON meterops.customer ((lower(name) COLLATE "C"), account_no)
                 INCLUDE (name, customer_id)';
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        EXECUTE 'ALTER TABLE meterops.customer ALTER COLUMN name SET STATISTICS 1000';
        EXECUTE 'ANALYZE meterops.customer (name)';
    END IF;
END
$$;
