-- The Citus cluster as the on-call engineer needs it (issue 14, "Operating the cluster"):
-- each node's health, shards and connections, and the shard rebalance. On plain
-- PostgreSQL (no citus extension) the functions return no rows, so the console and
-- `meterops status` ask the same way everywhere. Citus's own functions are called through
-- EXECUTE: this file is applied on servers where they do not exist.
--
-- A node that does not answer must not hang the caller: every probe runs with
-- citus.node_connection_timeout at 2 s (Citus's default is 30 s), and shard sizes, which
-- ask every worker, are only read when all of them answered.

-- cluster_nodes: one row per node in pg_dist_node (the coordinator, group 0, first).
-- reachable: the coordinator could open a connection to it now. shards, shard_bytes: the
-- shard placements it holds and their size (NULL while some node does not answer).
-- connections: its client backends (NULL when it does not answer).
CREATE OR REPLACE FUNCTION meterops.cluster_nodes()
RETURNS TABLE (node text, port int, role text, active boolean, reachable boolean,
               shards bigint, shard_bytes bigint, connections bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, meterops
SET citus.node_connection_timeout = 2000 AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    -- One statement, no temporary table: it runs on a hot standby too. A CTE is read only
    -- when needed: the sizes (which ask every worker) only when all of them answered.
    RETURN QUERY EXECUTE $q$
        WITH n AS MATERIALIZED (
            SELECT nodeid, nodename, nodeport, groupid, isactive,
                   citus_check_connection_to_node(nodename, nodeport) AS up
            FROM pg_dist_node WHERE noderole = 'primary'),
        sizes AS MATERIALIZED (
            SELECT nodename, nodeport, sum(shard_size)::bigint AS bytes
            FROM citus_shards GROUP BY 1, 2),
        conns AS MATERIALIZED (
            SELECT nodeid, result FROM run_command_on_all_nodes(
                'SELECT count(*) FROM pg_stat_activity WHERE backend_type = ''client backend''')
            WHERE success)
        SELECT n.nodename, n.nodeport,
               CASE WHEN n.groupid = 0 THEN 'coordinator' ELSE 'worker' END, n.isactive, n.up,
               (SELECT count(*) FROM pg_dist_placement p WHERE p.groupid = n.groupid),
               CASE WHEN (SELECT bool_and(up) FROM n)
                    THEN coalesce((SELECT s.bytes FROM sizes s
                                   WHERE s.nodename = n.nodename AND s.nodeport = n.nodeport), 0)
               END,
               (SELECT c.result::bigint FROM conns c WHERE c.nodeid = n.nodeid)
        FROM n ORDER BY n.groupid <> 0, n.nodename, n.nodeport$q$;
END
$$;
REVOKE ALL ON FUNCTION meterops.cluster_nodes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.cluster_nodes() TO meterops_operator, pg_monitor;

-- cluster_rebalance: the latest shard rebalance (citus_rebalance_status): its state
-- (scheduled, running, finished, failed, cancelled...), the moves done and planned, when it
-- started and finished. No row: none was ever started, or no Citus.
CREATE OR REPLACE FUNCTION meterops.cluster_rebalance()
RETURNS TABLE (job_id bigint, state text, moves_done int, moves_total int,
               started_at timestamptz, finished_at timestamptz)
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT s.job_id, s.state::text,
               coalesce((s.details->'task_state_counts'->>'done')::int, 0),
               (SELECT coalesce(sum(v::int), 0)::int
                FROM jsonb_each_text(s.details->'task_state_counts') AS c(k, v)),
               s.started_at, s.finished_at
        FROM citus_rebalance_status() s
        ORDER BY s.job_id DESC LIMIT 1$q$;
END
$$;
REVOKE ALL ON FUNCTION meterops.cluster_rebalance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.cluster_rebalance() TO meterops_operator, pg_monitor;

-- cluster_rebalance_start: starts moving shards onto nodes that hold fewer (a worker just
-- added), in the background (citus_rebalance_start). block_writes copies each shard with
-- COPY and holds writes to it only while it moves: it needs no wal_level=logical, and a
-- loader writing to a moving shard waits, then goes on. Operators only, audited with the
-- reason. Returns the job id; NULL when nothing needs to move.
CREATE OR REPLACE FUNCTION meterops.cluster_rebalance_start(reason text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    job bigint;
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a rebalance needs a reason' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'this database is not a Citus coordinator' USING ERRCODE = '55000';
    END IF;
    EXECUTE $q$SELECT citus_rebalance_start(shard_transfer_mode => 'block_writes')$q$ INTO job;
    INSERT INTO meterops.audit_log (db_user, action, target, reason, detail)
    VALUES (session_user, 'rebalance', 'cluster', reason, jsonb_build_object('job_id', job));
    RETURN job;
END
$$;
REVOKE ALL ON FUNCTION meterops.cluster_rebalance_start(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.cluster_rebalance_start(text) TO meterops_operator;
