-- 006_customer: indexes for the support desk's search (meterops.customer_find in
-- queries/functions/customer_search.sql), so finding one customer among millions is an
-- index lookup. account_no and meter.mpxn are unique, hence indexed already.

-- Postcodes are searched with case and spaces ignored; the expression must stay the one
-- customer_find compares with.
CREATE INDEX customer_postcode_norm_idx ON meterops.customer (upper(replace(postcode, ' ', '')));

-- Names are searched by case-insensitive substring (ILIKE '%...%'), which only a trigram
-- index serves. pg_trgm ships with PostgreSQL (postgresql-contrib) and is a trusted
-- extension; where it is missing, or the migrating role may not create it, search still
-- works by a sequential scan of customer and this step says so.
DO $$
DECLARE
    ext_schema text;
BEGIN
    SELECT n.nspname INTO ext_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NULL
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION pg_trgm;
            SELECT n.nspname INTO ext_schema
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'pg_trgm';
        EXCEPTION WHEN insufficient_privilege OR invalid_schema_name THEN
            RAISE NOTICE 'pg_trgm not created (%): customer name search will scan the table', SQLERRM;
        END;
    END IF;
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX customer_name_trgm_idx ON meterops.customer USING gin (name %I.gin_trgm_ops)',
                       ext_schema);
    ELSE
        RAISE NOTICE 'pg_trgm is not available: customer name search will scan the table';
    END IF;
END
$$;
