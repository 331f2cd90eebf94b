-- The shards of reading_day and the worker of each, by hash range (no rows when
-- reading_day is not distributed): the loader writes a file's meter-days into them.
SELECT shardid, min_hash, max_hash, node_host, node_port, shard FROM meterops.reading_day_shards()
