-- The nodes of a Citus cluster for the console's Nodes view: each primary node (the
-- coordinator first) with its health, its shard placements, its database's size and its
-- client connections. A worker is asked through run_command_on_workers (one statement
-- per worker, in parallel): one that does not answer is reachable = false, with the
-- error. Shard counts come from the coordinator's metadata, so they show for a worker
-- that is down. On plain PostgreSQL: one row for this server (role 'single').
-- SECURITY DEFINER: pg_dist_* and the workers' pg_stat_activity for the operator.
CREATE OR REPLACE FUNCTION meterops.cluster_nodes()
RETURNS TABLE (node text, port int, role text, active boolean, reachable boolean,
               shards bigint, bytes bigint, connections int, error text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_node') IS NULL
       OR NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN QUERY
        SELECT coalesce(host(inet_server_addr()), 'local socket'), current_setting('port')::int,
               'single'::text, true, true, 0::bigint, pg_database_size(current_database()),
               (SELECT count(*)::int FROM pg_stat_activity
                 WHERE datname = current_database() AND backend_type = 'client backend'), NULL::text;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        WITH n AS (SELECT groupid, nodename, nodeport, isactive FROM pg_dist_node WHERE noderole = 'primary'),
             s AS (SELECT groupid, count(*) AS shards FROM pg_dist_placement GROUP BY groupid),
             r AS (SELECT nodename, nodeport, success, result FROM run_command_on_workers(
                     $c$SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                                AND backend_type = 'client backend') || ' ' || pg_database_size(current_database())$c$))
        SELECT n.nodename::text, n.nodeport,
               CASE WHEN n.groupid = 0 THEN 'coordinator' ELSE 'worker' END,
               n.isactive,
               n.groupid = 0 OR coalesce(r.success, false),
               coalesce(s.shards, 0),
               CASE WHEN n.groupid = 0 THEN pg_database_size(current_database())
                    WHEN r.success THEN split_part(r.result, ' ', 2)::bigint END,
               CASE WHEN n.groupid = 0 THEN (SELECT count(*)::int FROM pg_stat_activity
                                              WHERE datname = current_database() AND backend_type = 'client backend')
                    WHEN r.success THEN split_part(r.result, ' ', 1)::int END,
               CASE WHEN n.groupid <> 0 AND NOT coalesce(r.success, false)
                    THEN coalesce(r.result, 'not asked (inactive)') END
        FROM n LEFT JOIN s USING (groupid) LEFT JOIN r USING (nodename, nodeport)
        ORDER BY n.groupid <> 0, n.nodename, n.nodeport$q$;
END
$$;
REVOKE ALL ON FUNCTION meterops.cluster_nodes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.cluster_nodes() TO meterops_operator;

-- The newest shard rebalance (citus_rebalance_start) and how far it is: its state
-- (scheduled, running, finished, failed, cancelled...), tasks done and in all, and what
-- it does. No row on plain PostgreSQL or when no rebalance ever ran.
CREATE OR REPLACE FUNCTION meterops.cluster_rebalance()
RETURNS TABLE (job_id bigint, state text, tasks_done int, tasks_total int, started_at timestamptz,
               finished_at timestamptz, description text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_background_job') IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT j.job_id, j.state::text,
               (SELECT count(*)::int FROM pg_dist_background_task t WHERE t.job_id = j.job_id AND t.status = 'done'),
               (SELECT count(*)::int FROM pg_dist_background_task t WHERE t.job_id = j.job_id),
               j.started_at, j.finished_at, j.description
        FROM pg_dist_background_job j
        ORDER BY j.job_id DESC LIMIT 1$q$;
END
$$;
REVOKE ALL ON FUNCTION meterops.cluster_rebalance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.cluster_rebalance() TO meterops_operator;
