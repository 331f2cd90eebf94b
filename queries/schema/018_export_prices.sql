-- 018_export_prices: export meters and dated unit prices (doc/customer.md, "Export" and
-- "Pricing"; doc/formats.md, meters "direction", "prices" and "lcl-prices").
--
-- One statement per EXECUTE inside a DO block: on a Citus coordinator, DDL on meter (a
-- Citus local table) and on tables referring to reference tables is sent on to the nodes
-- as its statement's text, which must then be one command (the migration as one
-- multi-statement string failed: "cannot insert multiple commands into a prepared
-- statement").
DO $$
BEGIN
    -- A meter measures energy taken from the grid (import: what the customer uses) or sent
    -- to it (export: a solar home's generation it did not use itself). Usage, insights and
    -- cost count import; an export meter's energy is shown beside it, and its tariff's
    -- rates are paid to the customer (a credit), as the UK Smart Export Guarantee pays on
    -- an export MPAN.
    EXECUTE $q$ALTER TABLE meterops.meter
        ADD COLUMN IF NOT EXISTS direction text NOT NULL DEFAULT 'import'
            CONSTRAINT meter_direction_check CHECK (direction IN ('import', 'export'))$q$;
    EXECUTE $q$GRANT INSERT (direction), UPDATE (direction) ON meterops.meter TO meterops_loader$q$;

    -- Dated unit prices of a tariff (Octopus Agile, the London trial's 2013 dynamic
    -- time-of-use schedule, a price change on a date): the price of energy whose interval
    -- starts in [starts, ends). Where a tariff has a dated price for an interval it wins
    -- over the tariff's bands; the bands price the rest. A tariff's prices never overlap
    -- (the prices feeds refuse it). Negative prices are allowed: Agile's fall below zero.
    -- Written only by the prices feeds (queries/load/upsert_prices.sql).
    EXECUTE $q$CREATE TABLE IF NOT EXISTS meterops.tariff_price (
        tariff_id   int NOT NULL REFERENCES meterops.tariff ON DELETE CASCADE,
        starts      timestamptz NOT NULL,
        ends        timestamptz NOT NULL,
        unit_p_kwh  numeric(10,4) NOT NULL,
        PRIMARY KEY (tariff_id, starts),
        CHECK (ends > starts)
    )$q$;
    EXECUTE $q$GRANT SELECT, INSERT, UPDATE, DELETE ON meterops.tariff_price TO meterops_loader$q$;
    EXECUTE $q$GRANT SELECT ON meterops.tariff_price TO meterops_operator$q$;
END
$$;
