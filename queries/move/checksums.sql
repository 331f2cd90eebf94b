-- move/checksums: row count, Wh sum ($1: whether to compute it) and row checksum per table
-- and reading_day partition (meterops.migration_checksums, 016_migration.sql); run on both
-- sides at once by verify and cutover.
SELECT relation, rows, wh, digest FROM meterops.migration_checksums($1::boolean)
