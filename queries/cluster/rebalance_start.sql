-- Starts a shard rebalance in the background, audited (queries/functions/cluster.sql);
-- NULL when nothing needs to move.
SELECT meterops.cluster_rebalance_start($1)
