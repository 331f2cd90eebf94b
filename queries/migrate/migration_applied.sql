-- migrate/migration_applied: when migration $1 was applied; no row when it is pending.
SELECT to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') FROM meterops.schema_migration
WHERE name = $1
