-- upsert_customers: moves one customers feed (staged by the loader in the temporary table
-- stage: line_no bigint, account_no, name, postcode, email, phone, all text, each row
-- already validated by backend/reader_registry.c) into meterops.customer in one statement,
-- through meterops.customer_upsert_staged() (queries/functions/load_registry.sql): the
-- loader may not read customers' personal data, which the upsert compares. stage_share()
-- runs first (it is the argument) and lets the function's owner read the staging table.
-- Returns (line_no, column_name, code, message) for every staged row it refused.
SELECT u.line_no, u.column_name, u.code, u.message
FROM meterops.customer_upsert_staged(
         meterops.stage_share('meterops.customer_upsert_staged(boolean)')) u
