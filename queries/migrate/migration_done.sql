-- migrate/migration_done: one row when migration $1 (e.g. 'schema/001_core') was applied.
SELECT 1 FROM meterops.schema_migration WHERE name = $1
