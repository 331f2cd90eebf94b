-- move/checksums: row count, Wh sum and row checksum per table and reading_day partition
-- (meterops.migration_checksums, 020_migration.sql); run on both sides by verify.
SELECT relation, rows, wh, digest FROM meterops.migration_checksums()
