-- migrate/record_migration: migration $1 was applied (in the same transaction as it).
INSERT INTO meterops.schema_migration (name) VALUES ($1)
