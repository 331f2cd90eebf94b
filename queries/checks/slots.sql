-- checks/slots: replication slots, whether a walsender or decoder uses them, and the WAL
-- each keeps from being removed (from its restart_lsn to the current WAL position, on a
-- standby the last received; -1 when it holds none). The most retaining first; $1 at
-- most, and how many in all and inactive.
SELECT slot_name, slot_type, active, coalesce(wal_status, '') AS wal_status,
       coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                                     ELSE pg_current_wal_lsn() END, restart_lsn), -1)::float8 AS retained_bytes,
       count(*) OVER () AS slots, count(*) FILTER (WHERE NOT active) OVER () AS inactive
FROM pg_replication_slots
ORDER BY retained_bytes DESC, slot_name
LIMIT $1
