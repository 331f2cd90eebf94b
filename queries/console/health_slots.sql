-- console/health_slots: the Health view's replication slots: the WAL each one keeps
-- (the server's position minus the slot's restart_lsn), whether a client is using it, and
-- wal_status (reserved, extended, unreserved, lost).
SELECT s.slot_name, s.slot_type, coalesce(s.database, '') AS db, s.active,
       coalesce(s.active_pid, 0) AS active_pid,
       coalesce(pg_wal_lsn_diff(w.lsn, s.restart_lsn)::bigint, -1) AS retained_bytes,
       coalesce(s.wal_status, '') AS wal_status
FROM pg_replication_slots s,
     LATERAL (SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                          ELSE pg_current_wal_lsn() END AS lsn) w
ORDER BY retained_bytes DESC, s.slot_name
