-- console/health_server: the Health view's Server, as name/value pairs (kind n a number,
-- c a counter the view turns into a rate between refreshes, b bytes, pct): client
-- connections by state against max_connections; checkpoints requested against timed
-- (pg_stat_bgwriter); the commit, rollback and block counters of every database
-- (pg_stat_database), from which the view computes transactions per second and the cache
-- hit ratio of the last interval. Statistics views only.
SELECT 'connections' AS grp, 'max_connections' AS name,
       current_setting('max_connections')::bigint AS value, 'n' AS kind
UNION ALL
SELECT 'connections', coalesce(nullif(a.state, ''), 'unknown'), count(*), 'n'
FROM pg_stat_activity a WHERE a.backend_type = 'client backend' GROUP BY a.state
UNION ALL SELECT 'checkpoints', 'timed', checkpoints_timed, 'n' FROM pg_stat_bgwriter
UNION ALL SELECT 'checkpoints', 'requested', checkpoints_req, 'n' FROM pg_stat_bgwriter
UNION ALL SELECT 'checkpoints', 'since stats reset',
       extract(epoch FROM now() - stats_reset)::bigint, 's' FROM pg_stat_bgwriter
UNION ALL SELECT 'db', 'xact', sum(xact_commit + xact_rollback)::bigint, 'c' FROM pg_stat_database
UNION ALL SELECT 'db', 'blks_hit', sum(blks_hit)::bigint, 'c' FROM pg_stat_database
UNION ALL SELECT 'db', 'blks_read', sum(blks_read)::bigint, 'c' FROM pg_stat_database
UNION ALL SELECT 'db', 'deadlocks', sum(deadlocks)::bigint, 'n' FROM pg_stat_database
