-- move/sync_partitions: the source's reading_day months made on the target (dblink);
-- returns how many were missing there.
SELECT meterops.migration_sync_partitions()
