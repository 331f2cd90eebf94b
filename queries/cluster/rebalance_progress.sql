-- cluster/rebalance_progress: the newest rebalance job and how far it is
-- (meterops.cluster_rebalance: state, moves done, moves in all).
SELECT job_id, state, tasks_done, tasks_total, description FROM meterops.cluster_rebalance()
