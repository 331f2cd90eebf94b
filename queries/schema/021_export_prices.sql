-- 021_export_prices: export meters and dated unit prices (doc/customer.md, "Export" and
-- "Dated prices"; doc/formats.md, "prices" and "lcl-prices").

-- A meter measures energy taken from the grid (import: what the customer uses) or sent to
-- it (export: a solar home's generation it did not use). Usage, insights and cost count
-- import; an export meter's energy is shown beside it, and its tariff's rates are paid to
-- the customer (a credit), as the UK Smart Export Guarantee pays on an export MPAN.
ALTER TABLE meterops.meter
    ADD COLUMN IF NOT EXISTS direction text NOT NULL DEFAULT 'import'
        CONSTRAINT meter_direction_check CHECK (direction IN ('import', 'export'));
GRANT INSERT (direction), UPDATE (direction) ON meterops.meter TO meterops_loader;

-- Dated unit prices of a tariff (Octopus Agile, the London trial's 2013 dynamic
-- time-of-use schedule): the price of energy whose interval starts in [starts, ends).
-- Where a tariff has a dated price for an interval it wins over the tariff's bands; the
-- bands price the rest. Written only by the prices feeds (queries/load/upsert_prices.sql).
CREATE TABLE IF NOT EXISTS meterops.tariff_price (
    tariff_id   int NOT NULL REFERENCES meterops.tariff ON DELETE CASCADE,
    starts      timestamptz NOT NULL,
    ends        timestamptz NOT NULL,
    unit_p_kwh  numeric(10,4) NOT NULL, -- negative too: Agile prices fall below zero
    PRIMARY KEY (tariff_id, starts),
    CHECK (ends > starts)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON meterops.tariff_price TO meterops_loader;
GRANT SELECT ON meterops.tariff_price TO meterops_operator;
