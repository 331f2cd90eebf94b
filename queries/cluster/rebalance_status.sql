-- The latest shard rebalance: job, state, moves done and planned; no row: none ever ran.
SELECT job_id, state, moves_done, moves_total FROM meterops.cluster_rebalance()
