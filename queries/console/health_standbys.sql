-- console/health_standbys: the Health view's standbys (pg_stat_replication): how far each
-- is behind in bytes (what the primary has written minus what the standby was sent, has
-- written, flushed and replayed) and in time (the *_lag columns, ms; -1 when idle), its
-- state and sync state. On a standby itself the position is the WAL it has received.
SELECT r.pid, coalesce(r.application_name, '') AS name, coalesce(host(r.client_addr), 'local') AS client,
       coalesce(r.state, '') AS state, coalesce(r.sync_state, '') AS sync,
       coalesce(pg_wal_lsn_diff(w.lsn, r.sent_lsn)::bigint, -1) AS sent_bytes,
       coalesce(pg_wal_lsn_diff(w.lsn, r.write_lsn)::bigint, -1) AS write_bytes,
       coalesce(pg_wal_lsn_diff(w.lsn, r.flush_lsn)::bigint, -1) AS flush_bytes,
       coalesce(pg_wal_lsn_diff(w.lsn, r.replay_lsn)::bigint, -1) AS replay_bytes,
       coalesce((extract(epoch FROM r.write_lag) * 1000)::bigint, -1) AS write_ms,
       coalesce((extract(epoch FROM r.flush_lag) * 1000)::bigint, -1) AS flush_ms,
       coalesce((extract(epoch FROM r.replay_lag) * 1000)::bigint, -1) AS replay_ms
FROM pg_stat_replication r,
     LATERAL (SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                          ELSE pg_current_wal_lsn() END AS lsn) w
ORDER BY r.application_name, r.pid
