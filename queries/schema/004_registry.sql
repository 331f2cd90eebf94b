-- 004_registry: what the registry feeds (queries/load/upsert_*.sql) need beyond 001/002.

-- A tariffs feed replaces a tariff's set of time-of-use bands, so bands that the new file
-- no longer lists are deleted.
GRANT DELETE ON meterops.tariff_band TO meterops_loader;

-- The tariffs feed refuses to change a tariff's fuel while meters are on it, and the
-- console lists a tariff's meters: both look meters up by tariff.
CREATE INDEX meter_tariff_idx ON meterops.meter (tariff_id);
