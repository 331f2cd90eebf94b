-- 024_customer_find_surname: a name search lists the names whose last word starts with
-- what was typed (a surname) after the names that start with it, in phone-book order: by
-- that word, then the name (meterops.customer_find, queries/functions/customer_search.sql;
-- issue 11, "Speed"). They are one range of this index, read in order without the heap, as
-- 023's are of the name index: "Smith" is a page and the count capped at 200 at once,
-- wherever the Smiths sort by their first names. The expressions, code point order
-- included, must stay the ones customer_find uses.
-- (One statement on its own: Citus sends a DDL statement's text on to the nodes.)
CREATE INDEX customer_name_last_idx ON meterops.customer
    ((regexp_replace(lower(name), '^.* ', '') COLLATE "C"), (lower(name) COLLATE "C"), account_no)
    INCLUDE (name, customer_id);
