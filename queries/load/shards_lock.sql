-- In the file's transaction: reading_day's shards locked against moves until it commits
-- (meterops.reading_day_shards_lock, 019); the loader reads the shard map again after it.
SELECT meterops.reading_day_shards_lock()
