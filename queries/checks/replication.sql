-- checks/replication: each standby streaming from this server, its lag in bytes (what it
-- has not replayed of the WAL written here, or received here when this is a cascading
-- standby) and in seconds (replay_lag, NULL once it has
-- caught up and nothing is written: 0). Named by application_name (the client address or
-- pid when empty), with the walsender's pid added when two share a name, so each name is
-- one series for --prometheus. The worst first; $1 at most.
WITH r AS (
    SELECT coalesce(nullif(application_name, ''), host(client_addr), pid::text) AS base, pid, state,
           sync_state, coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                                          ELSE pg_current_wal_lsn() END, replay_lsn), -1)::float8 AS lag_bytes,
           coalesce(extract(epoch FROM replay_lag), 0)::float8 AS lag_s
    FROM pg_stat_replication
)
SELECT CASE WHEN count(*) OVER (PARTITION BY base) > 1 THEN base || ' pid ' || pid ELSE base END AS name,
       state, sync_state, lag_bytes, lag_s
FROM r
ORDER BY lag_bytes DESC, name
LIMIT $1
