-- 022_customer_find: a name search's pages in order (meterops.customer_find,
-- queries/functions/customer_search.sql; issue 11, "Speed").
--
-- The matches of a name search are shown in (lower(name), account_no) order, a page at a
-- time. A common surname ("Smith": 35,000 of 2.4M customers) has too many matches to read
-- them all from the heap for one page; in this index they come in display order, and with
-- name included each entry is tested against the search without visiting the heap (an
-- index-only scan: customer is mostly all-visible), so a page of a common name costs a few
-- thousand index entries. The expression and its collation must stay the ones
-- customer_find orders by.
CREATE INDEX customer_name_order_idx ON meterops.customer (lower(name), account_no)
    INCLUDE (name, customer_id);
