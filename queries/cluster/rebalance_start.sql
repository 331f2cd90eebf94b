-- cluster/rebalance_start: starts Citus's background rebalance of the shards over the
-- workers (after a worker was added); its job id, or NULL when no move is needed.
-- shard_transfer_mode $1: auto (logical replication; needs wal_level logical) or
-- block_writes.
SELECT citus_rebalance_start(shard_transfer_mode => $1::citus.shard_transfer_mode)
