-- migrate/bootstrapped: whether migrate/bootstrap ever ran (meterops db status on an
-- empty database lists everything as pending instead of failing).
SELECT to_regclass('meterops.schema_migration') IS NOT NULL
