-- console/dash_health: the one-line database health summary. Sessions are counted without
-- the console's own backend. Replication lag is the largest replay_lag of the replicas
-- streaming from this server (none: -1).
SELECT (SELECT count(*) FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())      AS connections,
       current_setting('max_connections')::int                                 AS max_connections,
       (SELECT count(*) FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid())            AS waiting_on_locks,
       coalesce((SELECT round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2)
                 FROM pg_stat_database WHERE datname = current_database()), -1)::float8
                                                                               AS cache_hit_pct,
       coalesce((SELECT extract(epoch FROM max(now() - xact_start))::bigint FROM pg_stat_activity
                 WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
                   AND backend_type = 'client backend'), -1)                   AS longest_xact_s,
       (SELECT count(*) FROM pg_stat_replication)                              AS replicas,
       coalesce((SELECT extract(epoch FROM max(replay_lag)) FROM pg_stat_replication), -1)::float8
                                                                               AS replica_lag_s,
       pg_database_size(current_database())                                    AS db_bytes,
       current_setting('server_version')                                       AS server_version
