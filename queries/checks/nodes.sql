-- checks/nodes: a Citus cluster's nodes (meterops.cluster_nodes(): whether each answers,
-- its shard placements and their size, its client connections) and the latest shard
-- rebalance on every row. No rows on plain PostgreSQL.
SELECT n.node, n.port, n.role, n.active, n.reachable, n.shards, n.shard_bytes, n.connections,
       coalesce(r.state, '') AS rebalance_state, coalesce(r.moves_done, 0) AS moves_done,
       coalesce(r.moves_total, 0) AS moves_total
FROM meterops.cluster_nodes() n
LEFT JOIN meterops.cluster_rebalance() r ON true
