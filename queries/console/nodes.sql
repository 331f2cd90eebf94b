-- console/nodes: the Nodes view: each node of the cluster (meterops.cluster_nodes: health,
-- shard placements, database size, client connections; one row for a single server), with
-- the newest shard rebalance and its progress repeated on each row (NULL when none ran).
SELECT n.node, n.port, n.role, n.active, n.reachable, n.shards, n.bytes, n.connections, n.error,
       r.job_id, r.state, r.tasks_done, r.tasks_total, r.description
FROM meterops.cluster_nodes() n
LEFT JOIN meterops.cluster_rebalance() r ON true
