-- Straight to a worker: binary COPY of new meter-days into one shard of reading_day (the
-- parent's shard, partitioned by month on the worker). The loader writes the shard's
-- name, from meterops.reading_day_shards() (Citus's shard_name, quoted), where the
-- comment stands: a table name cannot be a parameter.
COPY /*shard*/ (meter_id, day, wh, flags, file_id) FROM STDIN (FORMAT binary)
