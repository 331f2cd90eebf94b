-- console/nodes: the Nodes view: each node of the Citus cluster (meterops.cluster_nodes:
-- health, shard placements, their size, client connections; no row on plain PostgreSQL),
-- with the newest shard rebalance and its progress repeated on each row (NULL when none
-- ran; meterops.cluster_rebalance).
SELECT n.node, n.port, n.role, n.active, n.reachable, n.shards, n.shard_bytes, n.connections,
       r.job_id, r.state, r.moves_done, r.moves_total
FROM meterops.cluster_nodes() n
LEFT JOIN meterops.cluster_rebalance() r ON true
