-- checks/replication: each standby streaming from this server, its lag in bytes (what it
-- has not replayed of the WAL written here) and in seconds (replay_lag, NULL once it has
-- caught up and nothing is written: 0). The worst first; $1 at most.
SELECT coalesce(nullif(application_name, ''), client_addr::text, pid::text) AS name,
       state, sync_state,
       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), -1)::float8 AS lag_bytes,
       coalesce(extract(epoch FROM replay_lag), 0)::float8 AS lag_s
FROM pg_stat_replication
ORDER BY lag_bytes DESC, name
LIMIT $1
